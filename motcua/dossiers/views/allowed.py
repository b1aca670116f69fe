"""Which actions to offer on a dossier page: the services' own guards, read ahead of the click.

The services stay the judges (a stale page still gets their refusal); this only decides which buttons
to draw, from rows the page has already loaded, without queries of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from motcua.core.models import User
from motcua.dossiers.access import agency_roles_in, can_act_on_step, is_counter_officer_of
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Channel, Dossier, DossierStep, RequestStage, StepStatus
from motcua.dossiers.routing import may_return_to, only_return_left
from motcua.org.access import Scope
from motcua.org.models import Role

LEADER_ROLES = {Role.UNIT_LEADER, Role.AGENCY_LEADER}
ACTIVE = {Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_SUPPLEMENT}


@dataclass(frozen=True)
class StepActions:
    step: DossierStep
    complete: bool
    approve: bool
    take: bool
    assign: bool
    return_targets: list[DossierStep]


@dataclass(frozen=True)
class Allowed:
    steps: list[StepActions] = field(default_factory=list)
    request_supplement: bool = False
    receive_supplement: bool = False
    apology: bool = False
    refuse: bool = False
    result_ready: bool = False
    hand_over: bool = False
    stop: bool = False
    check_submission: bool = False
    receive_completed: bool = False

    def for_step(self, step_id: int | None) -> StepActions | None:
        return next((s for s in self.steps if s.step.pk == step_id), None)

    @property
    def anything(self) -> bool:
        return bool(self.steps) or any(
            (
                self.request_supplement,
                self.receive_supplement,
                self.apology,
                self.refuse,
                self.result_ready,
                self.hand_over,
                self.stop,
                self.check_submission,
                self.receive_completed,
            )
        )


def _return_targets(step: DossierStep, steps: list[DossierStep]) -> list[DossierStep]:
    """Earlier done steps of the same line (return_step's rule), latest attempt of each."""
    latest: dict[tuple[int, str, int], DossierStep] = {}
    for s in steps:
        if may_return_to(step, s):
            key = (s.stage, s.branch, s.position)
            if key not in latest or latest[key].attempt < s.attempt:
                latest[key] = s
    return sorted(latest.values(), key=lambda s: (s.stage, s.position), reverse=True)


def allowed_for(user: User, scope: Scope, dossier: Dossier, steps: list[DossierStep]) -> Allowed:
    """Return the actions `user` may take on `dossier` now, as the services would judge them."""
    status = dossier.status
    at_counter = is_counter_officer_of(user, dossier, scope)
    last_stage = max((s.stage for s in steps), default=0)
    in_progress = status == Status.IN_PROGRESS
    step_actions = []
    acting = holding = False
    for step in steps:
        if step.status != StepStatus.ACTIVE:
            continue
        acts = can_act_on_step(user, step, scope)
        roles = agency_roles_in(user, step.agency_id, scope)
        acting |= acts
        holding |= acts or bool(roles)
        if not (acts and in_progress):
            continue
        is_return = step.role == Role.COUNTER_OFFICER and step.stage == last_stage
        targets = _return_targets(step, steps)
        actions = StepActions(
            step=step,
            complete=not is_return,
            approve=step.role in LEADER_ROLES,
            take=not is_return and step.assigned_to_id is None,
            assign=not is_return and bool(roles & LEADER_ROLES),
            return_targets=targets,
        )
        if actions.complete or actions.take or actions.assign or targets:
            step_actions.append(actions)
    requests = list(dossier.supplement_requests.all())
    processing_requests = [r for r in requests if r.stage == RequestStage.PROCESSING]
    agency_staff = any(agency_roles_in(user, s.agency_id, scope) for s in steps)
    return Allowed(
        steps=step_actions,
        request_supplement=status in (Status.RECEIVED, Status.IN_PROGRESS)
        and (acting or (status == Status.RECEIVED and at_counter))
        and not processing_requests,
        receive_supplement=status == Status.WAITING_SUPPLEMENT
        and at_counter
        and any(r.answered_at is None for r in processing_requests),
        apology=status in ACTIVE
        and holding
        and dossier.due_at is not None
        and not hasattr(dossier, "apology"),
        refuse=status in ACTIVE and holding,
        result_ready=in_progress and only_return_left(steps) and (agency_staff or at_counter),
        hand_over=status == Status.RESULT_READY and at_counter,
        stop=status in ACTIVE and at_counter,
        check_submission=status in (Status.SUBMITTED, Status.NEEDS_COMPLETION)
        and at_counter
        and dossier.channel == Channel.ONLINE,
        # A paper dossier asked to complete is received on the same record when the applicant comes back.
        receive_completed=status == Status.NEEDS_COMPLETION
        and at_counter
        and dossier.channel != Channel.ONLINE,
    )
