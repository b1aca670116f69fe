"""Routing a dossier through its steps: transfer, take, assign, complete, approve, return."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from motcua.core import rows
from motcua.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.core.refcache import load_reference
from motcua.dossiers import access
from motcua.dossiers.deadlines import calendar_around, outcome_of, step_due
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, StepStatus
from motcua.dossiers.routing import may_return_to, new_steps, plan_steps
from motcua.dossiers.transitions import (
    STEPS_KEY,
    add_step,
    apply_action,
    lock_dossier,
    operation,
    record,
    steps_of,
    transition,
)
from motcua.org.access import scope_for
from motcua.org.models import Role
from motcua.workdays.deadlines import transfer_moment

LEADER_ROLES = {Role.UNIT_LEADER, Role.AGENCY_LEADER}


def plan_processing(
    dossier: Dossier, *, actor: User, now: dt.datetime
) -> tuple[list[DossierStep], list[DossierEvent]]:
    """The steps of an accepted dossier with the intake stage closed, and its transfer if in time.

    In memory only: the caller writes the steps and the events (the dossier may be new itself).
    """
    planned = plan_steps(dossier.procedure_version, point=dossier.receiving_point, lead=dossier.lead_agency)
    steps = new_steps(dossier, planned)
    first_stage = steps[0].stage
    for step in steps:
        if step.stage == first_stage:
            # The receipt itself is the intake step's work, done by the receiving officer.
            step.status, step.started_at, step.completed_at = StepStatus.DONE, now, now
            step.completed_by, step.outcome = actor, "on_time"
    for step in steps:
        DossierStep.dossier.field.set_cached_value(step, dossier)
    dossier.__dict__[STEPS_KEY] = sorted(steps, key=lambda s: (s.stage, s.branch, s.position, s.attempt))
    cal = calendar_around(dossier.receiving_point, now)
    # Decree 118: transfer at once; received after 15:00, at the start of the next working day.
    if transfer_moment(cal, now) > now:
        return steps, []
    _advance(dossier, after_stage=first_stage, now=now, write=False)  # opened as they are written
    return steps, [_transfer_event(dossier, actor=actor, now=now)]


def start_processing(dossier: Dossier, *, actor: User, now: dt.datetime) -> None:
    """Create the steps of a written, accepted dossier; close the intake stage; transfer it if in time."""
    steps, events = plan_processing(dossier, actor=actor, now=now)
    rows.insert_many(steps)
    for event in events:
        record(dossier, event)


def transfer(dossier: Dossier, *, actor: User | None, now: dt.datetime) -> None:
    record(dossier, _transfer_event(dossier, actor=actor, now=now))
    _advance(dossier, after_stage=_done_stage(dossier), now=now)


def _transfer_event(dossier: Dossier, *, actor: User | None, now: dt.datetime) -> DossierEvent:
    return transition(
        dossier,
        Action.TRANSFER,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency_id,
        changes={"transferred_at": now},
        data={"to": dossier.lead_agency.code},
    )


def _done_stage(dossier: Dossier) -> int:
    return max((s.stage for s in steps_of(dossier) if s.status == StepStatus.DONE), default=0)


@operation
def transfer_due_dossiers(*, now: dt.datetime | None = None) -> list[str]:
    """Transfer every received dossier whose transfer moment has come; safe to run twice at once."""
    now = now or timezone.now()
    moved = []
    for code in Dossier.objects.filter(status=Status.RECEIVED).values_list("code", flat=True):
        dossier = lock_dossier(code)
        if dossier.status != Status.RECEIVED or dossier.received_at is None:
            continue
        if transfer_if_due(dossier, actor=None, now=now, taken_in=_taken_in(dossier, dossier.received_at)):
            moved.append(code)
    return moved


def transfer_if_due(dossier: Dossier, *, actor: User | None, now: dt.datetime, taken_in: dt.datetime) -> bool:
    """Transfer a dossier the desk holds once its moment has come (Decree 118: after 15:00, next morning)."""
    cal = calendar_around(dossier.receiving_point, taken_in)
    if transfer_moment(cal, taken_in) > now:
        return False
    transfer(dossier, actor=actor, now=now)
    return True


def _taken_in(dossier: Dossier, received_at: dt.datetime) -> dt.datetime:
    """When the desk took the dossier in: its intake steps' completion (`plan_processing`), or the
    supplement it asked for before the transfer, else receipt.

    Not `received_at`: an online dossier counts from its filing, but the desk transfers what it took in
    after 15:00 on the next working morning, as `plan_processing` decided when it accepted it.
    """
    done = DossierStep.objects.filter(dossier=dossier, status=StepStatus.DONE).aggregate(
        at=Max("completed_at")
    )
    answered = dossier.supplement_requests.filter(answered_at__isnull=False).aggregate(at=Max("answered_at"))
    moments = [m for m in (done["at"], answered["at"]) if m is not None]
    return max(moments) if moments else received_at


def _activate(dossier: Dossier, step: DossierStep, now: dt.datetime, *, write: bool = True) -> DossierStep:
    """Open a step; a step that already ran (after a return) runs again as a new attempt.

    With `write=False` the step is a planned row not inserted yet: it is opened in memory only.
    """
    if step.status != StepStatus.PENDING:
        step = rows.build(
            DossierStep,
            dossier=dossier,
            template_id=step.template_id,
            stage=step.stage,
            branch=step.branch,
            position=step.position,
            attempt=step.attempt + 1,
            name=step.name,
            agency_id=step.agency_id,
            role=step.role,
            days=step.days,
            counts_time=step.counts_time,
        )
    step.status, step.started_at = StepStatus.ACTIVE, now
    if step.counts_time:
        load_reference(dossier, "receiving_point")
        step.due_at = step_due(point=dossier.receiving_point, start=now, days=step.days)
    else:
        step.due_at = dossier.due_at
    if not write:
        return step
    if step.pk is None:
        add_step(dossier, step)
    else:
        rows.save_changes(step)
    return step


def _latest_rows(dossier: Dossier) -> dict[tuple[int, str, int], DossierStep]:
    latest: dict[tuple[int, str, int], DossierStep] = {}
    for step in sorted(steps_of(dossier), key=lambda s: s.attempt):
        latest[(step.stage, step.branch, step.position)] = step
    return latest


def _advance(
    dossier: Dossier, *, after_stage: int, now: dt.datetime, write: bool = True
) -> list[DossierStep]:
    """Open the first step of every branch of the next stage."""
    latest = _latest_rows(dossier)
    later = sorted({stage for stage, _, _ in latest if stage > after_stage})
    if not later:
        return []
    stage = later[0]
    opened = []
    for branch in sorted({b for s, b, _ in latest if s == stage}):
        first = min(p for s, b, p in latest if s == stage and b == branch)
        opened.append(_activate(dossier, latest[(stage, branch, first)], now, write=write))
    return opened


def get_active_step(dossier: Dossier, step_id: int) -> DossierStep:
    step = next((s for s in steps_of(dossier) if s.pk == step_id), None)
    if step is None:
        raise NotFound(gettext("Processing step not found."), code="step_not_found")
    if step.status != StepStatus.ACTIVE:
        raise TransitionNotAllowed(gettext("This step is no longer in progress."), code="step_not_active")
    return step


def _step_for_actor(
    code: str, step_id: int, actor: User, expected_version: int | None
) -> tuple[Dossier, DossierStep]:
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    scope = scope_for(actor)
    step = next((s for s in steps_of(dossier) if s.pk == step_id), None)
    if step is None or not access.can_act_on_step(actor, step, scope):
        raise access.not_found(code)
    return dossier, get_active_step(dossier, step_id)


@operation
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
        raise TransitionNotAllowed(
            gettext("This step has already been assigned to %(user)s.") % {"user": step.assigned_to},
            code="step_taken",
        )
    step.assigned_to = actor
    apply_action(
        dossier,
        Action.TAKE_STEP,
        actor=actor,
        at=now,
        step=step,
        agency=step.agency_id,
        public=False,
        also=[step],
    )
    return step


@operation
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
        raise TransitionNotAllowed(gettext("Only a leader of the unit may assign."), code="leader_required")
    if not access.can_act_on_step(assignee, step):
        raise ValidationFailed(
            gettext("The assignee does not belong to the unit handling this step."),
            code="assignee_not_in_agency",
        )
    step.assigned_to = assignee
    apply_action(
        dossier,
        Action.ASSIGN_STEP,
        also=[step],
        actor=actor,
        at=now,
        step=step,
        agency=step.agency_id,
        public=False,
        data={"assignee": assignee.get_username()},
    )
    return step


@operation
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
        raise TransitionNotAllowed(
            gettext("The result-return step is finished by handing over the result."), code="use_hand_over"
        )
    approval = {"approval": step.role in LEADER_ROLES}
    finish_step(dossier, step, actor=actor, now=now, comment=comment.strip(), data=approval)
    return step


def finish_step(
    dossier: Dossier, step: DossierStep, *, actor: User, now: dt.datetime, comment: str, data: dict[str, Any]
) -> None:
    """Mark the step done with its outcome and open what follows, in one write with the event."""
    step.status, step.completed_at, step.completed_by = StepStatus.DONE, now, actor
    step.outcome, step.comment = outcome_of(now, step.due_at), comment
    # The steps that open next are changed in memory first, so they go out with this step's own write.
    opened = _after_step(dossier, step, now)
    apply_action(
        dossier,
        Action.COMPLETE_STEP,
        also=[step, *(s for s in opened if s.pk is not None)],
        actor=actor,
        at=now,
        step=step,
        agency=step.agency_id,
        comment=comment,
        data={**data, "outcome": step.outcome},
    )
    for again in (s for s in opened if s.pk is None):  # a step that ran before runs as a new attempt
        add_step(dossier, again)


def _last_stage(dossier: Dossier) -> int:
    return max(s.stage for s in steps_of(dossier))


def _after_step(dossier: Dossier, step: DossierStep, now: dt.datetime) -> list[DossierStep]:
    """Open what follows a finished step, in memory only: the caller writes the returned steps."""
    latest = _latest_rows(dossier)
    following = sorted(p for s, b, p in latest if s == step.stage and b == step.branch and p > step.position)
    if following:
        return [_activate(dossier, latest[(step.stage, step.branch, following[0])], now, write=False)]
    if any(s.stage == step.stage and s.status == StepStatus.ACTIVE for s in steps_of(dossier)):
        return []  # other branches of this inter-agency stage are still at work
    return _advance(dossier, after_stage=step.stage, now=now, write=False)


@operation
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
            gettext("State the reason for sending it back."),
            code="reason_required",
            fields={"reason": "required"},
        )
    dossier, step = _step_for_actor(code, step_id, actor, expected_version)
    target = next((s for s in steps_of(dossier) if s.pk == to_step_id), None)
    if target is None or not may_return_to(step, target):
        raise ValidationFailed(
            gettext("Work can only be sent back to an earlier step on the same line."),
            code="invalid_return_target",
        )
    step.status, step.comment = StepStatus.RETURNED, reason.strip()
    step.completed_at, step.completed_by = now, actor
    # Written before the earlier step reopens: a branch may have only one active step at a time.
    rows.save_changes(step)
    reopened = _activate(dossier, target, now)
    apply_action(
        dossier,
        Action.RETURN_STEP,
        actor=actor,
        at=now,
        step=step,
        agency=step.agency_id,
        comment=reason.strip(),
        data={"to_step": reopened.pk, "to_agency": reopened.agency.code},
    )
    return reopened
