"""Requests to the applicant: complete before acceptance, supplement during processing, and the answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.choices import SupplementRule
from motcua.core import rows
from motcua.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.deadlines import calendar_around, dossier_clock
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
    FileKind,
    RequestStage,
    StepStatus,
    SupplementRequest,
)
from motcua.dossiers.services.reuse import (
    ReusedSource,
    attach_reused,
    check_answer_reused,
    reused_event_data,
)
from motcua.dossiers.services.steps import transfer_if_due
from motcua.dossiers.transitions import apply_action, cancel_open_steps, lock_dossier, operation, steps_of
from motcua.dossiers.uploads import Upload, check_upload, store_upload
from motcua.org.access import scope_for
from motcua.org.models import Agency
from motcua.workdays.deadlines import add_working_time, working_time_between

if TYPE_CHECKING:
    from motcua.dossiers.services.filing import RequestItem

# DOMAIN, Supplement: a dossier not completed within 15 working days of the request is closed.
SUPPLEMENT_DAYS = Decimal(15)


def _items(dossier: Dossier, items: list[RequestItem]) -> list[dict]:
    """Check the items against the procedure's own list: an officer may not ask for anything else."""
    if not items:
        raise ValidationFailed(_("List every document that needs completing."), code="items_required")
    listed = {d.position: d.name for d in dossier.procedure_version.documents.all()}
    unknown = [item.position for item in items if item.position not in listed]
    if unknown:
        raise ValidationFailed(
            _("Only documents in the procedure's list may be requested."),
            code="document_not_listed",
            fields={"positions": unknown},
        )
    missing_reason = [item.position for item in items if not item.reason.strip()]
    if missing_reason:
        raise ValidationFailed(
            _("Each document needs a reason."), code="reason_required", fields={"positions": missing_reason}
        )
    return [{"position": i.position, "name": listed[i.position], "reason": i.reason.strip()} for i in items]


def record_completion_request(
    dossier: Dossier, *, items: list[RequestItem], actor: User, agency: Agency, stage: str, now: dt.datetime
) -> SupplementRequest:
    cal = calendar_around(dossier.receiving_point, now)
    try:
        with transaction.atomic():
            return SupplementRequest.objects.create(
                dossier=dossier,
                stage=stage,
                items=_items(dossier, items),
                requested_at=now,
                requested_by=actor,
                agency=agency,
                contact=f"{actor.full_name or actor.get_username()} – {agency.name}",
                deadline=add_working_time(cal, now, SUPPLEMENT_DAYS, "d"),
            )
    except IntegrityError:
        # Decree 118: corrections may be asked for only once, listing everything at once.
        raise TransitionNotAllowed(
            _("The dossier already has a completion request; it may be requested only once."),
            code="supplement_already_requested",
        ) from None


@operation
def request_supplement(
    *,
    code: str,
    actor: User,
    items: list[RequestItem],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> SupplementRequest:
    """The agency holding the dossier finds a gap: the applicant is asked once and the clock stops."""
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    scope = scope_for(actor)
    holding = [s for s in steps_of(dossier) if s.status == StepStatus.ACTIVE]
    step = next((s for s in holding if access.can_act_on_step(actor, s, scope)), None)
    if step is None:
        if dossier.status == Status.RECEIVED and access.is_counter_officer_of(actor, dossier, scope):
            agency = dossier.receiving_agency
        else:
            raise access.not_found(code)
    else:
        agency = step.agency
    remaining = None
    if dossier.due_at is not None:
        cal = calendar_around(dossier.receiving_point, now, also=dossier.due_at)
        remaining = int(working_time_between(cal, now, dossier.due_at).total_seconds())
    request = record_completion_request(
        dossier, items=items, actor=actor, agency=agency, stage=RequestStage.PROCESSING, now=now
    )
    request.step = step
    request.remaining_seconds = remaining
    request.save(update_fields=["step", "remaining_seconds"])
    apply_action(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        actor=actor,
        at=now,
        step=step,
        agency=agency,
        data={"items": request.items, "deadline": request.deadline.isoformat()},
        changes={"clock_paused_at": now},
    )
    return request


@operation
def receive_supplement(
    *,
    code: str,
    actor: User,
    uploads: list[Upload],
    provided: list[int],
    reused: Sequence[tuple[int, int]] = (),
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant supplements: the clock restarts from zero (default) or resumes (pause rule).

    `reused`: (position, file id) pairs, requested items answered with her digitised documents.
    """
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    is_citizen = dossier.citizen_id is not None and dossier.citizen_id == actor.pk
    if not (is_citizen or access.is_counter_officer_of(actor, dossier)):
        raise access.not_found(code)
    request = dossier.supplement_requests.filter(
        stage=RequestStage.PROCESSING, answered_at__isnull=True
    ).first()
    if request is None or dossier.status != Status.WAITING_SUPPLEMENT:
        raise NotFound(_("The dossier has no pending completion request."), code="no_open_request")
    for upload in uploads:
        check_upload(upload)
    sources = check_answer_reused(dossier, request, reused, actor=actor)
    version = dossier.procedure_version
    if version.supplement_rule == SupplementRule.PAUSE and request.remaining_seconds is not None:
        cal = calendar_around(dossier.receiving_point, now)
        hours = Decimal(max(request.remaining_seconds, 0)) / Decimal(3600)
        clock_start, due = now, add_working_time(cal, now, hours, "h")
        changes: dict[str, Any] = {"due_at": due}
    else:
        clock_start, due, second = dossier_clock(
            version=version, channel=dossier.channel, point=dossier.receiving_point, received_at=now
        )
        # A restart is a new legal time limit, so it is also the promise that statistics judge.
        changes = {
            "due_at": due,
            "original_due_at": due,
            "second_due_at": second,
            "clock_started_at": clock_start,
        }
    changes["clock_paused_at"] = None
    # A supplement the desk asked for before the transfer brings the dossier back to the desk, not to an
    # agency that never had it: it is then transferred at once, or the next working morning after 15:00.
    at_desk = dossier.transferred_at is None
    apply_action(
        dossier,
        Action.RECEIVE_SUPPLEMENT_AT_DESK if at_desk else Action.RECEIVE_SUPPLEMENT,
        actor=actor,
        at=now,
        agency=request.agency,
        data={"rule": version.supplement_rule, "new_due_at": due.isoformat(), **reused_event_data(sources)},
        changes=changes,
    )
    answer_request(dossier, request, uploads=uploads, provided=provided, reused=sources, actor=actor, now=now)
    if at_desk:
        transfer_if_due(dossier, actor=actor, now=now, taken_in=now)
    else:
        _restart_active_steps(dossier, now)
    return dossier


def answer_request(
    dossier: Dossier,
    request: SupplementRequest,
    *,
    uploads: list[Upload],
    provided: list[int],
    actor: User,
    now: dt.datetime,
    reused: Sequence[ReusedSource] = (),
) -> None:
    """File the supplement's uploads and reused documents, mark what is now provided, close the request."""
    documents: dict[int | None, DossierDocument] = {d.position: d for d in dossier.documents.all()}
    for upload in uploads:
        store_upload(
            dossier=dossier,
            upload=upload,
            kind=FileKind.SUPPLEMENT,
            actor=actor,
            document=documents.get(upload.document_position),
        )
    attach_reused(dossier, reused, list(documents.values()), actor)
    covered = {*provided, *(s.position for s in reused)}
    dossier.documents.filter(position__in=covered).update(provided=True)
    request.answered_at = now
    request.save(update_fields=["answered_at"])


def _restart_active_steps(dossier: Dossier, now: dt.datetime) -> None:
    from motcua.dossiers.deadlines import step_due

    for step in steps_of(dossier):
        if step.status != StepStatus.ACTIVE:
            continue
        step.started_at = now
        step.due_at = (
            step_due(point=dossier.receiving_point, start=now, days=step.days)
            if step.counts_time
            else dossier.due_at
        )
        rows.save_changes(step)


@transaction.atomic
def abandon_unanswered(*, now: dt.datetime | None = None) -> list[str]:
    """Close dossiers whose request went unanswered past its deadline; safe to run twice at once."""
    now = now or timezone.now()
    closed = []
    overdue = SupplementRequest.objects.filter(answered_at__isnull=True, deadline__lt=now).values_list(
        "dossier__code", flat=True
    )
    for code in overdue:
        dossier = lock_dossier(code)
        if dossier.status not in (Status.WAITING_SUPPLEMENT, Status.NEEDS_COMPLETION):
            continue
        apply_action(
            dossier,
            Action.ABANDON,
            actor=None,
            at=now,
            comment="Quá 15 ngày làm việc không bổ sung hồ sơ.",
            changes={"finished_at": now},
        )
        cancel_open_steps(dossier)
        closed.append(code)
    return closed
