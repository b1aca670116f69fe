"""Online filings: submitted on the portal, checked at a desk, completed or withdrawn by the citizen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Channel, Dossier, RequestStage
from motcua.dossiers.services.filing import IntakeIn, RequestItem, prepare_filing
from motcua.dossiers.services.new_dossier import attach_documents, clock_changes, new_dossier
from motcua.dossiers.services.requests import answer_request, record_completion_request
from motcua.dossiers.services.reuse import check_answer_reused, reused_event_data
from motcua.dossiers.services.steps import start_processing
from motcua.dossiers.transitions import apply_action, lock_dossier, operation
from motcua.dossiers.uploads import Upload, check_upload
from motcua.org.models import ServicePoint


@operation
def submit_online(
    *, data: IntakeIn, point: ServicePoint, citizen: User, now: dt.datetime | None = None
) -> Dossier:
    """File a dossier online; it waits for a desk officer to check it."""
    now = now or timezone.now()
    if not citizen.is_authenticated:
        raise ValidationFailed(_("Sign in to file a dossier online."), code="login_required")
    filing = prepare_filing(data.procedure_code, Channel.ONLINE, point, data, now, citizen=citizen)
    if filing.version.online_level == "none":
        raise ValidationFailed(
            _("This procedure is not offered as an online public service yet."), code="not_online"
        )
    dossier = new_dossier(
        data=data, filing=filing, channel=Channel.ONLINE, point=point, citizen=citizen, now=now
    )
    apply_action(
        dossier,
        Action.SUBMIT_ONLINE,
        actor=citizen,
        at=now,
        agency=point.agency,
        changes={"submitted_at": now},
        data=reused_event_data(filing.reused),
    )
    attach_documents(dossier, data, citizen, reused=filing.reused)
    return dossier


def _desk_dossier(code: str, actor: User, expected_version: int | None) -> Dossier:
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    if not access.is_counter_officer_of(actor, dossier):
        raise access.not_found(code)
    return dossier


@operation
def accept_submission(
    *, code: str, actor: User, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """A desk officer accepts an online dossier: its clock starts by the online rule."""
    now = now or timezone.now()
    dossier = _desk_dossier(code, actor, expected_version)
    if not dossier.files.exists():
        raise ValidationFailed(
            _("The online dossier has no files yet; request completion."), code="documents_missing"
        )
    # The clock of an online dossier starts when the system recorded it complete: its submission.
    received_at = dossier.submitted_at or now
    apply_action(
        dossier,
        Action.ACCEPT,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency,
        changes={"received_at": received_at, "received_by": actor, **clock_changes(dossier, received_at)},
    )
    start_processing(dossier, actor=actor, now=now)
    return dossier


@operation
def request_completion_of_submission(
    *,
    code: str,
    actor: User,
    items: list[RequestItem],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    now = now or timezone.now()
    dossier = _desk_dossier(code, actor, expected_version)
    apply_action(dossier, Action.REQUEST_COMPLETION, actor=actor, at=now, agency=dossier.receiving_agency)
    record_completion_request(
        dossier, items=items, actor=actor, agency=dossier.receiving_agency, stage=RequestStage.INTAKE, now=now
    )
    return dossier


@operation
def refuse_submission(
    *,
    code: str,
    actor: User,
    reasons: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    now = now or timezone.now()
    if not reasons.strip():
        raise ValidationFailed(
            _("State the reasons for refusal."), code="reason_required", fields={"reasons": "required"}
        )
    dossier = _desk_dossier(code, actor, expected_version)
    apply_action(
        dossier,
        Action.REFUSE_INTAKE,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency,
        comment=reasons.strip(),
        changes={"finished_at": now},
    )
    return dossier


def _own_dossier(code: str, citizen: User, expected_version: int | None) -> Dossier:
    dossier = lock_dossier(code)
    if dossier.citizen_id != citizen.pk:
        raise access.not_found(code)
    return lock_dossier(code, expected_version=expected_version)


@operation
def complete_submission(
    *,
    code: str,
    citizen: User,
    uploads: list[Upload],
    provided: list[int],
    reused: Sequence[tuple[int, int]] = (),
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant sends what the desk asked for; the dossier goes back to the desk's queue."""
    now = now or timezone.now()
    dossier = _own_dossier(code, citizen, expected_version)
    if not uploads and not reused:
        raise ValidationFailed(
            _("Upload at least one additional file or choose one of your digitised documents."),
            code="files_required",
        )
    for upload in uploads:
        check_upload(upload)
    request = dossier.supplement_requests.filter(stage=RequestStage.INTAKE, answered_at__isnull=True).first()
    if request is None:
        raise NotFound(_("The dossier has no pending completion request."), code="no_open_request")
    sources = check_answer_reused(dossier, request, reused, actor=citizen)
    apply_action(
        dossier,
        Action.COMPLETE_SUBMISSION,
        actor=citizen,
        at=now,
        changes={"submitted_at": now},
        data=reused_event_data(sources),
    )
    answer_request(
        dossier, request, uploads=uploads, provided=provided, reused=sources, actor=citizen, now=now
    )
    return dossier


@operation
def withdraw_submission(
    *,
    code: str,
    citizen: User,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant withdraws an online dossier before it is accepted."""
    now = now or timezone.now()
    dossier = _own_dossier(code, citizen, expected_version)
    apply_action(
        dossier, Action.WITHDRAW, actor=citizen, at=now, comment=reason.strip(), changes={"finished_at": now}
    )
    return dossier
