"""A paper dossier asked to complete before acceptance comes back complete: received on the same record.

The applicant keeps the code on her completion request slip (form 02); the desk records what she brought,
and once every required document is there the dossier is received as `receive_dossier` would receive a
complete one: clock and appointment from now, steps, transfer, receipt. Nothing is filed twice, and the
request does not run out into "abandoned".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Channel, Dossier, RequestStage
from motcua.dossiers.services.filing import missing_documents
from motcua.dossiers.services.new_dossier import clock_changes
from motcua.dossiers.services.requests import answer_request
from motcua.dossiers.services.reuse import check_answer_reused, reused_event_data
from motcua.dossiers.services.steps import start_processing
from motcua.dossiers.transitions import apply_action, lock_dossier, operation
from motcua.dossiers.uploads import Upload, check_upload
from motcua.org.access import scope_for


@operation
def receive_completed_dossier(
    *,
    code: str,
    actor: User,
    provided: list[int],
    uploads: list[Upload] | None = None,
    reused: Sequence[tuple[int, int]] = (),
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Record the documents the applicant brought back (or her digitised ones) and receive the dossier."""
    now = now or timezone.now()
    uploads = uploads or []
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    scope = scope_for(actor)
    if not access.is_counter_officer_of(actor, dossier, scope):
        raise access.not_found(code)
    if dossier.channel == Channel.ONLINE:
        raise ValidationFailed(
            _(
                "An online dossier is completed by the citizen through the portal, "
                "then received by the one-stop desk."
            ),
            code="wrong_channel",
        )
    request = dossier.supplement_requests.filter(stage=RequestStage.INTAKE, answered_at__isnull=True).first()
    if dossier.status != Status.NEEDS_COMPLETION or request is None:
        raise NotFound(_("The dossier has no pending request to complete it."), code="no_open_request")
    for upload in uploads:
        check_upload(upload)
    sources = check_answer_reused(dossier, request, reused, actor=actor)
    already = set(dossier.documents.filter(provided=True).values_list("position", flat=True))
    brought = {*provided, *(s.position for s in sources)}
    missing = missing_documents(dossier.procedure_version, sorted(already | brought))
    if missing:
        raise ValidationFailed(
            _("The dossier is still missing: %(missing)s.") % {"missing": "; ".join(missing)},
            code="documents_missing",
            fields={"missing": missing},
        )
    apply_action(
        dossier,
        Action.RECEIVE,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency_id,
        changes={"received_at": now, "received_by": actor, **clock_changes(dossier, now)},
        data={
            "channel": dossier.channel,
            "completed": True,
            "request": request.pk,
            **reused_event_data(sources),
        },
    )
    answer_request(dossier, request, uploads=uploads, provided=provided, reused=sources, actor=actor, now=now)
    start_processing(dossier, actor=actor, now=now)
    return dossier
