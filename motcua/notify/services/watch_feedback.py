"""The deadline watch for feedback: warn the agency before an answer is due, and its leaders once it is late.

The specialist holding the feedback (assigned or taken) is told both times as well: the answer is hers.

Like steps (services/watch.py): each warning is a DeadlineWarning row with a unique key, written with its
messages, so a warning is given once even when two watches run at once. The threshold is the scheme's
`warn_before` (2 working days by default), on the province's calendar.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from motcua.feedback.deadlines import warn_horizon
from motcua.feedback.models import Feedback, FeedbackStatus
from motcua.feedback.schemes import Scheme, scheme_named
from motcua.notify.context import threshold_text
from motcua.notify.kinds import MessageKind as K
from motcua.notify.models import DeadlineWarning, WarningKind
from motcua.notify.recipients import Recipient, agency_inbox, agency_leaders, staff_recipients
from motcua.notify.services.feedback import agency_people, feedback_drafts
from motcua.notify.services.warnings import give_warning


def _open(kind: str) -> QuerySet[Feedback]:
    """Open feedback without a warning of `kind` about its due moment."""
    given = DeadlineWarning.objects.filter(kind=kind, feedback=OuterRef("pk"), due_at=OuterRef("due_at"))
    open_feedback = Feedback.objects.filter(~Exists(given), status=FeedbackStatus.OPEN)
    return open_feedback.select_related("agency", "assignee")


def _label(scheme: Scheme) -> str:
    amount, unit = scheme.warn_before
    return f"{amount.normalize():f}{unit}"


def _threshold(scheme: Scheme, language: str) -> dict[str, Any]:
    return {"threshold": threshold_text(_label(scheme), language)}


def _leaders_and_inbox(feedback: Feedback) -> list[Recipient]:
    return staff_recipients(agency_leaders(feedback.agency)) + agency_inbox(feedback.agency)


def _and_holder(feedback: Feedback, recipients: list[Recipient]) -> list[Recipient]:
    """`recipients`, and the specialist holding the feedback if none of them is her already."""
    if feedback.assignee is None or any(r.user_id == feedback.assignee_id for r in recipients):
        return recipients
    return recipients + staff_recipients([feedback.assignee])


def _warn(feedback: Feedback, kind: str, warning: str, label: str, now: dt.datetime, send: Any) -> bool:
    key = f"feedback:{feedback.pk}:{warning}:{label}:{feedback.due_at.isoformat()}"
    return give_warning(
        key=key,
        kind=kind,
        dossier=None,
        step=None,
        feedback=feedback,
        threshold=label,
        due_at=feedback.due_at,
        now=now,
        messages=partial(send, f"warning:{key}"),
    )


def warn_feedback_due_soon(now: dt.datetime) -> list[str]:
    """Warn the agency (its leaders and inbox) once, `warn_before` ahead of the answer's due moment."""
    candidates = _open(WarningKind.FEEDBACK_DUE_SOON).filter(due_at__gt=now)
    horizons: dict[str, dt.datetime] = {}
    given = []
    for code in set(candidates.values_list("scheme", flat=True)):
        horizons[code] = warn_horizon(now, scheme_named(code))
    for feedback in candidates.filter(due_at__lte=max(horizons.values(), default=now)):
        scheme = scheme_named(feedback.scheme)
        if feedback.due_at > horizons[scheme.code]:
            continue

        def send(source: str, feedback: Feedback = feedback, scheme: Scheme = scheme) -> int:
            people = _and_holder(feedback, agency_people(feedback.agency))
            return feedback_drafts(feedback, K.FEEDBACK_DUE_SOON, source, people, partial(_threshold, scheme))

        if _warn(feedback, WarningKind.FEEDBACK_DUE_SOON, "due_soon", _label(scheme), now, send):
            given.append(f"{feedback.code} · {_label(scheme)}")
    return given


def escalate_late_feedback(now: dt.datetime) -> list[str]:
    """Tell the agency's leaders (and inbox) once an answer is late."""
    given = []
    for feedback in _open(WarningKind.FEEDBACK_LATE).filter(due_at__lte=now):

        def send(source: str, feedback: Feedback = feedback) -> int:
            people = _and_holder(feedback, _leaders_and_inbox(feedback))
            return feedback_drafts(feedback, K.FEEDBACK_LATE, source, people)

        if _warn(feedback, WarningKind.FEEDBACK_LATE, "late", "", now, send):
            given.append(feedback.code)
    return given
