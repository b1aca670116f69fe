"""Routing a dossier through its steps: transfer, take, assign, complete, approve, return."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from motcua.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.deadlines import calendar_around, outcome_of, step_due
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.dossiers.routing import create_steps, plan_steps
from motcua.dossiers.transitions import apply_action, lock_dossier
from motcua.org.models import Role
from motcua.workdays.deadlines import transfer_moment

LEADER_ROLES = {Role.UNIT_LEADER, Role.AGENCY_LEADER}


def start_processing(dossier: Dossier, *, actor: User, now: dt.datetime) -> None:
    """Create the steps of an accepted dossier, close the intake stage, and transfer it if in time."""
    planned = plan_steps(dossier.procedure_version, point=dossier.receiving_point, lead=dossier.lead_agency)
    steps = create_steps(dossier, planned)
    first_stage = steps[0].stage
    for step in steps:
        if step.stage == first_stage:
            # The receipt itself is the intake step's work, done by the receiving officer.
            step.status, step.started_at, step.completed_at = StepStatus.DONE, now, now
            step.completed_by, step.outcome = actor, "on_time"
            step.save(update_fields=["status", "started_at", "completed_at", "completed_by", "outcome"])
    cal = calendar_around(dossier.receiving_point, now)
    # Decree 118: transfer at once; received after 15:00, at the start of the next working day.
    if transfer_moment(cal, now) <= now:
        transfer(dossier, actor=actor, now=now)


def transfer(dossier: Dossier, *, actor: User | None, now: dt.datetime) -> None:
    apply_action(
        dossier,
        Action.TRANSFER,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency,
        changes={"transferred_at": now},
        data={"to": dossier.lead_agency.code},
    )
    _advance(dossier, after_stage=_done_stage(dossier), now=now)


def _done_stage(dossier: Dossier) -> int:
    done = (
        dossier.steps.filter(status=StepStatus.DONE)
        .order_by("-stage")
        .values_list("stage", flat=True)
        .first()
    )
    return done or 0


@transaction.atomic
def transfer_due_dossiers(*, now: dt.datetime | None = None) -> list[str]:
    """Transfer every received dossier whose transfer moment has come; safe to run twice at once."""
    now = now or timezone.now()
    moved = []
    for code in Dossier.objects.filter(status=Status.RECEIVED).values_list("code", flat=True):
        dossier = lock_dossier(code)
        if dossier.status != Status.RECEIVED or dossier.received_at is None:
            continue
        cal = calendar_around(dossier.receiving_point, dossier.received_at)
        if transfer_moment(cal, dossier.received_at) <= now:
            transfer(dossier, actor=None, now=now)
            moved.append(code)
    return moved


def _activate(step: DossierStep, now: dt.datetime) -> DossierStep:
    """Open a step; a step that already ran (after a return) runs again as a new attempt."""
    if step.status != StepStatus.PENDING:
        step = DossierStep.objects.create(
            dossier=step.dossier,
            template=step.template,
            stage=step.stage,
            branch=step.branch,
            position=step.position,
            attempt=step.attempt + 1,
            name=step.name,
            agency=step.agency,
            role=step.role,
            days=step.days,
            counts_time=step.counts_time,
        )
    step.status, step.started_at = StepStatus.ACTIVE, now
    if step.counts_time:
        step.due_at = step_due(point=step.dossier.receiving_point, start=now, days=step.days)
    else:
        step.due_at = step.dossier.due_at
    step.save(update_fields=["status", "started_at", "due_at"])
    return step


def _latest_rows(dossier: Dossier) -> dict[tuple[int, str, int], DossierStep]:
    rows: dict[tuple[int, str, int], DossierStep] = {}
    for step in dossier.steps.order_by("attempt"):
        rows[(step.stage, step.branch, step.position)] = step
    return rows


def _advance(dossier: Dossier, *, after_stage: int, now: dt.datetime) -> list[DossierStep]:
    """Open the first step of every branch of the next stage."""
    rows = _latest_rows(dossier)
    later = sorted({stage for stage, _, _ in rows if stage > after_stage})
    if not later:
        return []
    stage = later[0]
    opened = []
    for branch in sorted({b for s, b, _ in rows if s == stage}):
        first = min(p for s, b, p in rows if s == stage and b == branch)
        opened.append(_activate(rows[(stage, branch, first)], now))
    return opened


def get_active_step(dossier: Dossier, step_id: int) -> DossierStep:
    step = dossier.steps.filter(pk=step_id).select_related("agency").first()
    if step is None:
        raise NotFound("Không tìm thấy bước xử lý.", code="step_not_found")
    if step.status != StepStatus.ACTIVE:
        raise TransitionNotAllowed("Bước này không còn đang xử lý.", code="step_not_active")
    return step


def _step_for_actor(
    code: str, step_id: int, actor: User, expected_version: int | None
) -> tuple[Dossier, DossierStep]:
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    step = dossier.steps.filter(pk=step_id).first()
    if step is None or not access.can_act_on_step(actor, step):
        raise access.not_found(code)
    return dossier, get_active_step(dossier, step_id)


@transaction.atomic
def take_step(
    *,
    code: str,
    step_id: int,
    actor: User,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> DossierStep:
    """A member of the holding agency takes the step as hers."""
    now = now or timezone.now()
    dossier, step = _step_for_actor(code, step_id, actor, expected_version)
    if step.assigned_to_id not in (None, actor.pk):
        raise TransitionNotAllowed(f"Bước này đã được giao cho {step.assigned_to}.", code="step_taken")
    step.assigned_to = actor
    step.save(update_fields=["assigned_to"])
    apply_action(dossier, Action.TAKE_STEP, actor=actor, at=now, step=step, agency=step.agency, public=False)
    return step


@transaction.atomic
def assign_step(
    *,
    code: str,
    step_id: int,
    actor: User,
    assignee: User,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> DossierStep:
    """A leader of the holding agency gives the step to one of its staff."""
    now = now or timezone.now()
    dossier, step = _step_for_actor(code, step_id, actor, expected_version)
    if not access.agency_roles_in(actor, step.agency_id) & LEADER_ROLES:
        raise TransitionNotAllowed("Chỉ lãnh đạo đơn vị được phân công.", code="leader_required")
    if not access.can_act_on_step(assignee, step):
        raise ValidationFailed(
            "Người được giao không thuộc đơn vị đang xử lý bước này.", code="assignee_not_in_agency"
        )
    step.assigned_to = assignee
    step.save(update_fields=["assigned_to"])
    apply_action(
        dossier,
        Action.ASSIGN_STEP,
        actor=actor,
        at=now,
        step=step,
        agency=step.agency,
        public=False,
        data={"assignee": assignee.get_username()},
    )
    return step


@transaction.atomic
def complete_step(
    *,
    code: str,
    step_id: int,
    actor: User,
    comment: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> DossierStep:
    """Finish a step: the next step of its branch opens, or the next stage once every branch is done."""
    now = now or timezone.now()
    dossier, step = _step_for_actor(code, step_id, actor, expected_version)
    if step.role == Role.COUNTER_OFFICER and step.stage == _last_stage(dossier):
        raise TransitionNotAllowed("Bước trả kết quả hoàn thành khi giao kết quả.", code="use_hand_over")
    step.status, step.completed_at, step.completed_by = StepStatus.DONE, now, actor
    step.outcome, step.comment = outcome_of(now, step.due_at), comment.strip()
    step.save(update_fields=["status", "completed_at", "completed_by", "outcome", "comment"])
    approval = step.role in LEADER_ROLES
    apply_action(
        dossier,
        Action.COMPLETE_STEP,
        actor=actor,
        at=now,
        step=step,
        agency=step.agency,
        comment=step.comment,
        data={"outcome": step.outcome, "approval": approval},
    )
    _after_step(dossier, step, now)
    return step


def _last_stage(dossier: Dossier) -> int:
    return max(dossier.steps.values_list("stage", flat=True))


def _after_step(dossier: Dossier, step: DossierStep, now: dt.datetime) -> None:
    rows = _latest_rows(dossier)
    following = sorted(p for s, b, p in rows if s == step.stage and b == step.branch and p > step.position)
    if following:
        _activate(rows[(step.stage, step.branch, following[0])], now)
        return
    if dossier.steps.filter(stage=step.stage, status=StepStatus.ACTIVE).exists():
        return  # other branches of this inter-agency stage are still at work
    _advance(dossier, after_stage=step.stage, now=now)


@transaction.atomic
def return_step(
    *,
    code: str,
    step_id: int,
    to_step_id: int,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> DossierStep:
    """Send the work back to an earlier step of the same line, with the reason; it runs again."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationFailed(
            "Cần ghi lý do trả lại.", code="reason_required", fields={"reason": "required"}
        )
    dossier, step = _step_for_actor(code, step_id, actor, expected_version)
    target = dossier.steps.filter(pk=to_step_id, status=StepStatus.DONE).first()
    same_line = target is not None and (
        (target.stage == step.stage and target.branch == step.branch and target.position < step.position)
        or (target.stage < step.stage and target.branch == "" and step.branch == "")
    )
    if target is None or not same_line or (target.role == Role.COUNTER_OFFICER and target.stage == 1):
        raise ValidationFailed(
            "Chỉ trả lại một bước trước đó trên cùng luồng xử lý.", code="invalid_return_target"
        )
    step.status, step.comment = StepStatus.RETURNED, reason.strip()
    step.completed_at, step.completed_by = now, actor
    step.save(update_fields=["status", "comment", "completed_at", "completed_by"])
    reopened = _activate(target, now)
    apply_action(
        dossier,
        Action.RETURN_STEP,
        actor=actor,
        at=now,
        step=step,
        agency=step.agency,
        comment=reason.strip(),
        data={"to_step": reopened.pk, "to_agency": reopened.agency.code},
    )
    return reopened
