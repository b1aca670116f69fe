"""The applicant rates an ended dossier once: on her account, with the receipt's secret, or at the counter."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import apply_action, lock_dossier, operation, steps_of
from motcua.feedback import evaluation
from motcua.feedback.models import Rating, RatingChannel
from motcua.feedback.selectors import can_be_rated, rating_scheme

MAX_COMMENT = 2000


def _may_rate(dossier: Dossier, channel: str, actor: User | None, secret: str | None) -> bool:
    """The applicant's account, the receipt's secret, or the receiving counter's officer (her screen)."""
    if secret is not None:
        return hmac.compare_digest(dossier.lookup_secret.encode(), secret.strip().upper().encode())
    if actor is None or not actor.is_authenticated:
        return False
    if channel == RatingChannel.COUNTER:
        return access.is_counter_officer_of(actor, dossier)
    return dossier.citizen_id is not None and dossier.citizen_id == actor.pk


@operation
def rate_dossier(
    *,
    code: str,
    level: str,
    answers: Mapping[str, Any],
    channel: str,
    comment: str = "",
    actor: User | None = None,
    secret: str | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """Record the applicant's one rating of an ended dossier and its evaluation; append the RATE event.

    Anyone who cannot prove she may rate gets "not found", as in the look-up. An unsatisfied rating
    alerts the receiving point's leaders (notify.events).
    """
    now = now or timezone.now()
    dossier = lock_dossier(code)
    if not _may_rate(dossier, channel, actor, secret):
        raise access.not_found(code)
    if not can_be_rated(dossier):
        raise TransitionNotAllowed(
            _("The dossier can be rated once its handling has ended."), code="dossier_not_ended"
        )
    if Rating.objects.filter(dossier=dossier).exists():
        raise TransitionNotAllowed(_("This dossier has already been rated. Thank you."), code="already_rated")
    scheme = rating_scheme(dossier)
    chosen = scheme.level(level)
    if chosen is None:
        message = _("Choose how satisfied you are.")
        raise ValidationFailed(message, code="rating_incomplete", fields={"level": message})
    points = evaluation.check_answers(scheme, answers)
    if len(comment) > MAX_COMMENT:
        message = _("Write at most %(n)s characters.") % {"n": MAX_COMMENT}
        raise ValidationFailed(message, code="comment_too_long", fields={"comment": message})
    scores = evaluation.score(scheme, evaluation.measure(dossier, steps_of(dossier)), points)
    total = sum(s.points for s in scores)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                scheme=scheme.code,
                level=chosen.code,
                satisfied=chosen.satisfied,
                criteria=[s.as_json() for s in scores],
                total=total,
                max_total=scheme.max_points,
                comment=comment.strip(),
                channel=channel,
                rated_at=now,
                rated_by=actor if actor is not None and actor.is_authenticated else None,
            )
    except IntegrityError:  # rated at the same moment elsewhere: the dossier's row lock makes it rare
        raise TransitionNotAllowed(
            _("This dossier has already been rated. Thank you."), code="already_rated"
        ) from None
    # The comment stays in the rating: the timeline is public, and a comment may name people.
    apply_action(
        dossier,
        Action.RATE,
        actor=actor if actor is not None and actor.is_authenticated else None,
        at=now,
        agency=dossier.receiving_agency_id,
        data={"level": chosen.code, "satisfied": chosen.satisfied, "total": total, "channel": channel},
    )
    return rating
