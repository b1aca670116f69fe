"""The lifecycle as a state machine, driven by hypothesis through the real services.

Random runs of every operation a dossier meets (right officer or an outsider, in any order, at moments
that move forward) check what no hand-written scenario can cover one by one:
- an operation either succeeds with events whose statuses follow TRANSITIONS (lifecycle.py), or is
  refused with a domain error and changes nothing: status, version, events, steps;
- events are append-only, and the version moves forward with every change;
- whatever the order: a finished dossier has no open step, an ended one its outcome, a dossier with its
  result ready no processing step left, at most one apology, and the first promise never moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.lifecycle import FINISHED, NEW, TRANSITIONS, Status
from motcua.dossiers.models import Apology, Dossier, DossierStep, StepStatus
from motcua.dossiers.services import RequestItem
from motcua.org.models import Role, StaffRole

from .conftest import at, birth_bundle, pdf

OPEN = (StepStatus.ACTIVE, StepStatus.PENDING)
# Mostly the officer whose turn it is, sometimes someone the dossier is not for.
WHO = st.sampled_from(["right", "right", "right", "outsider"])
# Ending a dossier early (refusal, stop, withdrawal) is tried one time in four, so runs also go the distance.
ENDS = st.sampled_from([True, False, False, False])
PICK = st.integers(min_value=0, max_value=7)


def _snapshot(dossier: Dossier) -> tuple[Any, ...]:
    dossier.refresh_from_db()
    steps = tuple(
        DossierStep.objects.filter(dossier=dossier)
        .order_by("pk")
        .values_list("pk", "status", "assigned_to_id", "due_at", "outcome")
    )
    events = tuple(dossier.events.order_by("pk").values_list("pk", "action", "from_status", "to_status"))
    return dossier.status, dossier.version, dossier.due_at, steps, events


def _machine(people: dict[str, Any], points: dict[str, Any]) -> type[RuleBasedStateMachine]:
    officer, citizen = people["motcua.thanhsen"], people["citizen"]
    outsider = people["cv.dkkd"]  # a specialist of a provincial department: none of this is hers
    point = points["ttpvhcc-thanhsen"]

    def holder_of(step: DossierStep) -> Any:
        """Someone whose role lets her act on the step: its assignee, else a staff role at its agency."""
        if step.assigned_to_id:
            return step.assigned_to
        if step.role == Role.COUNTER_OFFICER:
            return officer
        role = StaffRole.objects.filter(agency_id=step.agency_id, role=step.role, is_active=True).first()
        return role.user if role else officer

    class Lifecycle(RuleBasedStateMachine):
        @initialize(channel=st.sampled_from(["counter", "counter_after_15", "online"]))
        def file(self, channel: str) -> None:
            self.now = at("2025-11-03 09:00")
            self.refused: list[str] = []
            if channel == "online":
                self.dossier = services.submit_online(
                    data=birth_bundle(), point=point, citizen=citizen, now=self.now
                )
            else:
                self.now = at("2025-11-03 15:30") if channel == "counter_after_15" else self.now
                self.dossier = services.receive_dossier(
                    data=birth_bundle(), point=point, actor=officer, now=self.now
                )
            self.first_promise, self.restarts = self.dossier.original_due_at, 0

        # --- the attempt and what it must leave behind ---

        def attempt(self, minutes: int, run: Callable[[], Any]) -> None:
            self.now += dt.timedelta(minutes=minutes)
            status, version, due, steps, events = _snapshot(self.dossier)
            try:
                run()
            except DomainError as error:
                assert error.code, "every refusal names its reason"
                self.refused.append(error.code)
                assert _snapshot(self.dossier) == (status, version, due, steps, events), error.code
                return
            after = _snapshot(self.dossier)
            assert after[4][: len(events)] == events, "events are append-only"
            added = after[4][len(events) :]
            assert added and after[1] > version, "a change writes an event and moves the version"
            current = status
            for _pk, action, source, target in added:
                transition = TRANSITIONS[action]
                assert (source or NEW) in transition.sources, (action, source)
                assert source == current, (action, source, current)
                assert target == (transition.target or source), (action, source, target)
                current = target
            assert current == after[0]

        def step(self, pick: int, *statuses: str) -> DossierStep | None:
            steps = list(self.dossier.steps.filter(status__in=statuses or OPEN).order_by("pk"))
            return steps[pick % len(steps)] if steps else None

        def actor(self, who: str, right: Any) -> Any:
            return right if who == "right" else outsider

        # --- the operations ---

        @rule(who=WHO, pick=PICK, minutes=st.integers(1, 600))
        def complete_step(self, who: str, pick: int, minutes: int) -> None:
            step = self.step(pick, StepStatus.ACTIVE)
            if step is not None:
                actor = self.actor(who, holder_of(step))
                self.attempt(
                    minutes,
                    lambda: services.complete_step(
                        code=self.dossier.code, step_id=step.pk, actor=actor, now=self.now
                    ),
                )

        @rule(minutes=st.integers(1, 600))
        def work_through_the_open_steps(self, minutes: int) -> None:
            """A day's work: each agency completes its step, then the desk readies and returns the result."""
            open_steps = self.dossier.steps.filter(status=StepStatus.ACTIVE).exclude(
                role=Role.COUNTER_OFFICER
            )
            for step in list(open_steps.order_by("pk")):
                complete = partial(
                    services.complete_step, code=self.dossier.code, step_id=step.pk, actor=holder_of(step)
                )
                self.attempt(minutes, lambda run=complete: run(now=self.now))
            # And the desk's: the result comes back and goes out.
            self.dossier.refresh_from_db()
            if self.dossier.status == Status.IN_PROGRESS:
                self.mark_result_ready("right", minutes)
            elif self.dossier.status == Status.RESULT_READY:
                self.hand_over("right", minutes)

        @rule(who=WHO, pick=PICK, minutes=st.integers(1, 120))
        def take_step(self, who: str, pick: int, minutes: int) -> None:
            step = self.step(pick, StepStatus.ACTIVE)
            if step is not None:
                actor = self.actor(who, holder_of(step))
                self.attempt(
                    minutes,
                    lambda: services.take_step(
                        code=self.dossier.code, step_id=step.pk, actor=actor, now=self.now
                    ),
                )

        @rule(who=WHO, pick=PICK, to=PICK, minutes=st.integers(1, 240))
        def return_step(self, who: str, pick: int, to: int, minutes: int) -> None:
            step = self.step(pick, StepStatus.ACTIVE)
            earlier = self.step(to, StepStatus.DONE, StepStatus.ACTIVE)
            if step is not None and earlier is not None:
                actor = self.actor(who, holder_of(step))
                self.attempt(
                    minutes,
                    lambda: services.return_step(
                        code=self.dossier.code,
                        step_id=step.pk,
                        to_step_id=earlier.pk,
                        actor=actor,
                        reason="Kiểm tra lại giấy tờ.",
                        now=self.now,
                    ),
                )

        @rule(who=WHO, pick=PICK, minutes=st.integers(1, 600))
        def request_supplement(self, who: str, pick: int, minutes: int) -> None:
            step = self.step(pick, StepStatus.ACTIVE)
            actor = self.actor(who, holder_of(step) if step is not None else officer)
            items = [RequestItem(position=2, reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp.")]
            self.attempt(
                minutes,
                lambda: services.request_supplement(
                    code=self.dossier.code, actor=actor, items=items, now=self.now
                ),
            )

        @rule(who=WHO, minutes=st.integers(1, 60 * 24 * 5))
        def receive_supplement(self, who: str, minutes: int) -> None:
            actor = self.actor(who, officer)
            self.attempt(
                minutes,
                lambda: services.receive_supplement(
                    code=self.dossier.code,
                    actor=actor,
                    uploads=[pdf("cho-o.pdf", 2)],
                    provided=[2],
                    now=self.now,
                ),
            )

        @rule(who=WHO, pick=PICK, days=st.integers(-1, 5), minutes=st.integers(1, 600))
        def issue_apology(self, who: str, pick: int, days: int, minutes: int) -> None:
            step = self.step(pick, StepStatus.ACTIVE)
            actor = self.actor(who, holder_of(step) if step is not None else officer)
            due = self.dossier.due_at or self.now
            self.attempt(
                minutes,
                lambda: services.issue_apology(
                    code=self.dossier.code,
                    actor=actor,
                    reason="Chờ xác minh nơi cư trú.",
                    new_due_at=due + dt.timedelta(days=days),
                    now=self.now,
                ),
            )

        @rule(who=WHO, pick=PICK, minutes=st.integers(1, 600), end=ENDS)
        def refuse(self, who: str, pick: int, minutes: int, end: bool) -> None:
            if not end:
                return
            step = self.step(pick, StepStatus.ACTIVE)
            actor = self.actor(who, holder_of(step) if step is not None else officer)
            self.attempt(
                minutes,
                lambda: services.refuse_dossier(
                    code=self.dossier.code, actor=actor, reasons="Không đủ điều kiện.", now=self.now
                ),
            )

        @rule(who=WHO, minutes=st.integers(1, 600), end=ENDS)
        def stop(self, who: str, minutes: int, end: bool) -> None:
            if not end:
                return
            actor = self.actor(who, officer)
            self.attempt(
                minutes,
                lambda: services.stop_dossier(
                    code=self.dossier.code, actor=actor, reason="Theo đơn đề nghị.", now=self.now
                ),
            )

        @rule(who=WHO, minutes=st.integers(1, 600))
        def mark_result_ready(self, who: str, minutes: int) -> None:
            actor = self.actor(who, officer)
            self.attempt(
                minutes,
                lambda: services.mark_result_ready(
                    code=self.dossier.code, actor=actor, results=[pdf("ket-qua.pdf")], now=self.now
                ),
            )

        @rule(who=WHO, minutes=st.integers(1, 60 * 24 * 3))
        def hand_over(self, who: str, minutes: int) -> None:
            actor = self.actor(who, officer)
            self.attempt(
                minutes,
                lambda: services.hand_over_result(code=self.dossier.code, actor=actor, now=self.now),
            )

        @rule(who=WHO, minutes=st.integers(1, 60 * 24))
        def accept(self, who: str, minutes: int) -> None:
            actor = self.actor(who, officer)
            self.attempt(
                minutes, lambda: services.accept_submission(code=self.dossier.code, actor=actor, now=self.now)
            )

        @rule(who=WHO, minutes=st.integers(1, 600))
        def request_completion_online(self, who: str, minutes: int) -> None:
            actor = self.actor(who, officer)
            items = [RequestItem(position=1, reason="Bổ sung bản chụp giấy chứng sinh rõ nét.")]
            self.attempt(
                minutes,
                lambda: services.request_completion_of_submission(
                    code=self.dossier.code, actor=actor, items=items, now=self.now
                ),
            )

        @rule(who=WHO, minutes=st.integers(1, 60 * 24 * 3))
        def complete_online(self, who: str, minutes: int) -> None:
            actor = citizen if who != "outsider" else people["stranger"]
            self.attempt(
                minutes,
                lambda: services.complete_submission(
                    code=self.dossier.code,
                    citizen=actor,
                    uploads=[pdf("giay-chung-sinh.pdf", 1)],
                    provided=[1],
                    now=self.now,
                ),
            )

        @rule(who=WHO, minutes=st.integers(1, 600), end=ENDS)
        def refuse_online(self, who: str, minutes: int, end: bool) -> None:
            if end:
                actor = self.actor(who, officer)
                self.attempt(
                    minutes,
                    lambda: services.refuse_submission(
                        code=self.dossier.code, actor=actor, reasons="Không thuộc thẩm quyền.", now=self.now
                    ),
                )

        @rule(who=WHO, pick=PICK, minutes=st.integers(1, 120))
        def assign_step(self, who: str, pick: int, minutes: int) -> None:
            step = self.step(pick, StepStatus.ACTIVE)
            if step is None:
                return
            roles = StaffRole.objects.filter(agency_id=step.agency_id, is_active=True)
            leader = roles.filter(role__in=(Role.AGENCY_LEADER, Role.UNIT_LEADER)).first()
            staff = roles.filter(role=step.role).first()
            if leader is not None and staff is not None:
                actor = self.actor(who, leader.user)
                self.attempt(
                    minutes,
                    lambda: services.assign_step(
                        code=self.dossier.code,
                        step_id=step.pk,
                        actor=actor,
                        assignee=staff.user,
                        now=self.now,
                    ),
                )

        @rule(who=WHO, minutes=st.integers(1, 60 * 24), end=ENDS)
        def withdraw(self, who: str, minutes: int, end: bool) -> None:
            if not end:
                return
            actor = citizen if who == "right" else people["stranger"]
            self.attempt(
                minutes,
                lambda: services.withdraw_submission(code=self.dossier.code, citizen=actor, now=self.now),
            )

        @precondition(lambda self: self.dossier.status == Status.RECEIVED)
        @rule(minutes=st.integers(60, 60 * 24 * 2))
        def next_transfer_round(self, minutes: int) -> None:
            self.attempt(minutes, lambda: self._must_touch(services.transfer_due_dossiers(now=self.now)))

        @precondition(lambda self: self.dossier.status == Status.WAITING_SUPPLEMENT)
        @rule(end=ENDS)
        def close_for_lack_of_supplement(self, end: bool) -> None:
            if end:  # 30 days on: past the 15 working days the applicant had
                self.attempt(
                    60 * 24 * 30, lambda: self._must_touch(services.abandon_unanswered(now=self.now))
                )

        def _must_touch(self, codes: list[str]) -> None:
            if self.dossier.code not in codes:
                raise _Untouched("not due")

        # --- what holds whatever happened ---

        @invariant()
        def finished_dossiers_have_nothing_open_and_an_end(self) -> None:
            if not hasattr(self, "dossier"):
                return
            dossier = Dossier.objects.get(pk=self.dossier.pk)
            open_steps = dossier.steps.filter(status__in=OPEN)
            if dossier.status in FINISHED:
                assert dossier.finished_at is not None and not open_steps.exists()
            else:
                assert dossier.finished_at is None and dossier.outcome == ""
            if dossier.status == Status.RETURNED:
                assert dossier.outcome in ("early", "on_time", "late")
            if dossier.status == Status.IN_PROGRESS:
                assert dossier.steps.filter(status=StepStatus.ACTIVE).exists()
            if dossier.status == Status.RESULT_READY:
                assert dossier.result_ready_at is not None
                assert not open_steps.filter(~Q(role=Role.COUNTER_OFFICER)).exists()

        @invariant()
        def one_apology_and_the_first_promise_stays(self) -> None:
            if not hasattr(self, "dossier"):
                return
            dossier = Dossier.objects.get(pk=self.dossier.pk)
            assert Apology.objects.filter(dossier=dossier).count() <= 1
            # Only a complete supplement restarts the clock (Decree 118); an apology never moves it.
            restarts = dossier.events.filter(action__startswith="receive_supplement").count()
            if self.first_promise is None or restarts > self.restarts:
                self.first_promise, self.restarts = dossier.original_due_at, restarts
            assert dossier.original_due_at == self.first_promise

    return Lifecycle


class _Untouched(DomainError):
    """The transfer round had nothing to do for this dossier: like a refusal, it must change nothing."""

    code = "not_due"


@pytest.mark.django_db
def test_any_sequence_of_operations_keeps_the_lifecycle_rules(people, points):
    machine = _machine(people, points)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=80,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
