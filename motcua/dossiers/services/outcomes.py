"""How a dossier ends or is delayed: apology, refusal, stop, result ready, hand-over, on the spot."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.deadlines import outcome_of
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Apology, Delivery, Dossier, DossierStep, FileKind, StepStatus
from motcua.dossiers.routing import only_return_left
from motcua.dossiers.services.filing import IntakeIn
from motcua.dossiers.services.intake import receive_dossier
from motcua.dossiers.transitions import apply_action, cancel_open_steps, lock_dossier, operation, steps_of
from motcua.dossiers.uploads import Upload, check_upload
from motcua.org.access import Scope, scope_for
from motcua.org.models import ServicePoint
from motcua.payments.rules import require_fees_settled
from motcua.signing.services import prepare_results, require_signed_result, store_results


def _holding_step(dossier: Dossier, actor: User, scope: Scope) -> DossierStep | None:
    for step in steps_of(dossier):
        if step.status != StepStatus.ACTIVE:
            continue
        if access.can_act_on_step(actor, step, scope) or access.agency_roles_in(actor, step.agency_id, scope):
            return step
    return None


@operation
def issue_apology(
    *,
    code: str,
    actor: User,
    reason: str,
    new_due_at: dt.datetime,
    signer_name: str = "",
    signer_title: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Apology:
    """The agency holding a dossier about to be late apologises and sets a new date, once per dossier."""
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    scope = scope_for(actor)
    step = _holding_step(dossier, actor, scope)
    if step is None:
        raise access.not_found(code)
    if not reason.strip():
        raise ValidationFailed(
            _("State the reason for the delay."), code="reason_required", fields={"reason": "required"}
        )
    if Apology.objects.filter(dossier=dossier).exists():
        raise TransitionNotAllowed(
            _("The dossier has already had its one apology and new date."), code="apology_already_issued"
        )
    if dossier.due_at is None or new_due_at <= dossier.due_at:
        raise ValidationFailed(_("The new due date must be after the current one."), code="new_due_not_later")
    try:
        with transaction.atomic():
            apology = Apology.objects.create(
                dossier=dossier,
                agency_id=step.agency_id,
                reason=reason.strip(),
                previous_due_at=dossier.due_at,
                new_due_at=new_due_at,
                issued_at=now,
                issued_by=actor,
                signer_name=signer_name.strip(),
                signer_title=signer_title.strip(),
            )
    except IntegrityError:
        # DOMAIN, Late: the date may be moved only once.
        raise TransitionNotAllowed(
            _("The dossier has already had its one apology and new date."), code="apology_already_issued"
        ) from None
    apply_action(
        dossier,
        Action.ISSUE_APOLOGY,
        actor=actor,
        at=now,
        step=step,
        agency=step.agency_id,
        comment=reason.strip(),
        data={
            "previous_due_at": dossier.due_at.isoformat(),
            "new_due_at": new_due_at.isoformat(),
            "issued_after_due": now > dossier.due_at,
        },
        changes={"due_at": new_due_at},
    )
    return apology


@operation
def refuse_dossier(
    *,
    code: str,
    actor: User,
    reasons: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The handling agency refuses a dossier during processing, with reasons (form 03)."""
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    scope = scope_for(actor)
    step = _holding_step(dossier, actor, scope)
    if step is None:
        raise access.not_found(code)
    if not reasons.strip():
        raise ValidationFailed(
            _("State the reasons for refusal."), code="reason_required", fields={"reasons": "required"}
        )
    apply_action(
        dossier,
        Action.REFUSE,
        actor=actor,
        at=now,
        step=step,
        agency=step.agency_id,
        comment=reasons.strip(),
        changes={"finished_at": now},
    )
    cancel_open_steps(dossier)
    return dossier


@operation
def stop_dossier(
    *,
    code: str,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Stop at the applicant's request (at the counter or online) while no result exists."""
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    own = dossier.citizen_id is not None and dossier.citizen_id == actor.pk
    if not (own or access.is_counter_officer_of(actor, dossier)):
        raise access.not_found(code)
    apply_action(
        dossier,
        Action.STOP,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency_id,
        comment=reason.strip() or "Theo đề nghị của người nộp hồ sơ.",
        changes={"finished_at": now},
    )
    cancel_open_steps(dossier)
    return dossier


@operation
def mark_result_ready(
    *,
    code: str,
    actor: User,
    results: list[Upload],
    comment: str = "",
    sign: bool = False,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The result is at the desk: every processing step is done and the result documents are attached.

    Result PDFs that arrive signed are verified (one altered after signing is refused); with `sign` the
    unsigned ones are also signed with the handling agency's seal, as copies beside them.
    """
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    scope = scope_for(actor)
    agency_staff = any(access.agency_roles_in(actor, s.agency_id, scope) for s in steps_of(dossier))
    if not (agency_staff or access.is_counter_officer_of(actor, dossier, scope)):
        raise access.not_found(code)
    if not only_return_left(steps_of(dossier)):
        raise TransitionNotAllowed(_("The processing steps are not finished."), code="steps_not_done")
    for upload in results:
        check_upload(upload)
    if dossier.delivery == Delivery.ONLINE and not results:
        raise ValidationFailed(
            _("Returning the result online needs a result file."), code="result_file_required"
        )
    prepared = prepare_results(dossier=dossier, results=results, sign=sign, now=now, actor=actor, scope=scope)
    apply_action(
        dossier,
        Action.MARK_RESULT_READY,
        actor=actor,
        at=now,
        agency=dossier.lead_agency_id,
        comment=comment.strip(),
        changes={"result_ready_at": now},
    )
    store_results(prepared, dossier=dossier, actor=actor, now=now)
    return dossier


@operation
def hand_over_result(
    *,
    code: str,
    actor: User,
    method: str | None = None,
    tracking_number: str = "",
    recipient: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Give the result to the applicant (counter, post with a tracking number, or online) and close."""
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    scope = scope_for(actor)
    if not access.is_counter_officer_of(actor, dossier, scope):
        raise access.not_found(code)
    method = method or dossier.delivery
    if method not in Delivery.values:
        raise ValidationFailed(
            _("The way to return the result is not valid."),
            code="invalid_delivery",
            fields={"method": method},
        )
    if method == Delivery.POST and not tracking_number.strip():
        raise ValidationFailed(_("Sending by post needs a tracking number."), code="tracking_number_required")
    if method == Delivery.ONLINE and not dossier.files.filter(kind=FileKind.RESULT).exists():
        raise ValidationFailed(
            _("There is no result file to return online yet."), code="result_file_required"
        )
    if method == Delivery.ONLINE:
        # Decree 45/2020: the electronic result is the legal one and carries the issuing agency's signature.
        require_signed_result(dossier)
    if dossier.status != Status.RESULT_READY:
        raise TransitionNotAllowed(_("The result is not ready to be returned."), code="result_not_ready")
    # The result goes out once its fees are paid or exempted (a province may turn the rule off).
    require_fees_settled(dossier)
    closed = [s for s in steps_of(dossier) if s.status == StepStatus.ACTIVE]
    for step in closed:
        step.status, step.completed_at, step.completed_by = StepStatus.DONE, now, actor
        step.outcome = outcome_of(now, step.due_at)
    # On-time statistics judge against the first promise, not a date moved by an apology.
    outcome = outcome_of(dossier.result_ready_at or now, dossier.original_due_at)
    apply_action(
        dossier,
        Action.HAND_OVER,
        also=closed,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency_id,
        data={"method": method, "tracking_number": tracking_number.strip(), "recipient": recipient.strip()},
        changes={"finished_at": now, "outcome": outcome},
    )
    return dossier


@operation
def handle_on_the_spot(
    *,
    data: IntakeIn,
    point: ServicePoint,
    actor: User,
    results: list[Upload] | None = None,
    comment: str = "",
    fee_method: str = "cash",
    now: dt.datetime | None = None,
) -> Dossier:
    """Receive, decide and hand over in one sitting; the dossier still has its code, events and forms.

    Fees due are collected in the same sitting (`fee_method`: cash, transfer or card), with their receipt.
    """
    from motcua.catalog.selectors import version_in_force
    from motcua.dossiers.services.steps import transfer
    from motcua.payments.services import collect_fee

    now = now or timezone.now()
    if not version_in_force(data.procedure_code, now).on_the_spot:
        raise ValidationFailed(_("This procedure is not settled on the spot."), code="not_on_the_spot")
    dossier = receive_dossier(data=data, point=point, actor=actor, now=now)
    if dossier.status == Status.RECEIVED:
        transfer(dossier, actor=actor, now=now)
    while not only_return_left(steps_of(dossier)):
        step = next((s for s in steps_of(dossier) if s.status == StepStatus.ACTIVE), None)
        if step is None:
            break
        # The officer at the counter decides for the agency on the spot; the steps still record it.
        _complete_for_officer(dossier, step, actor, now, comment)
    prepared = prepare_results(
        dossier=dossier, results=results or [], sign=False, now=now, actor=actor, scope=scope_for(actor)
    )
    apply_action(
        dossier,
        Action.MARK_RESULT_READY,
        actor=actor,
        at=now,
        agency=point.agency,
        changes={"result_ready_at": now},
    )
    store_results(prepared, dossier=dossier, actor=actor, now=now)
    if dossier.fee_due_vnd:
        collect_fee(code=dossier.code, actor=actor, method=fee_method, now=now)
    return hand_over_result(code=dossier.code, actor=actor, method=Delivery.COUNTER, now=now)


def _complete_for_officer(
    dossier: Dossier, step: DossierStep, actor: User, now: dt.datetime, comment: str
) -> None:
    from motcua.dossiers.services.steps import finish_step

    finish_step(dossier, step, actor=actor, now=now, comment=comment, data={"on_the_spot": True})
