"""The desk the demo stories are played at: the clock in working time, the people, each operation."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.catalog.parts import version_parts
from motcua.catalog.selectors import version_for_filing
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.access import STEP_ACTORS
from motcua.dossiers.demo.cast import (
    CITIZEN,
    HISTORY,
    MEN,
    PDF,
    PROVINCE,
    ROLE_ORDER,
    SEED,
    SLOTS,
    THANH_SEN,
    WOMEN,
    Story,
    person,
)
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.dossiers.selectors import horizon
from motcua.dossiers.services import IntakeIn
from motcua.dossiers.uploads import Upload
from motcua.feedback.services import rate_dossier
from motcua.org.access import scope_for
from motcua.org.models import Role, ServicePoint
from motcua.payments.services import collect_fee
from motcua.workdays.calendar import WorkCalendar, is_working_day
from motcua.workdays.deadlines import add_working_time, transfer_moment
from motcua.workdays.selectors import calendar_for


class OutOfTime(Exception):
    """The story's next moment would come after `now`: it stops there."""


class Desk:
    """The clock, the calendars and the people the stories are played with."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.limit = now - dt.timedelta(minutes=5)
        users = get_user_model().objects
        self.staff = list(users.filter(staff_roles__is_active=True, is_active=True).distinct().order_by("pk"))
        self.citizen = users.filter(username=CITIZEN).first()
        self.points = {p.code: p for p in ServicePoint.objects.filter(code__in=[THANH_SEN, PROVINCE])}
        local = timezone.localtime(now)
        self._calendars: dict[str, WorkCalendar] = {}
        self._actors: dict[tuple[int, str], User] = {}
        cal = self.calendar(THANH_SEN)
        day, self.days = local.date(), list[dt.date]()
        while len(self.days) <= HISTORY + 5:
            if is_working_day(cal, day):
                self.days.append(day)
            day -= dt.timedelta(days=1)
        self.horizon = horizon(now)

    def calendar(self, point: str) -> WorkCalendar:
        if point not in self._calendars:
            year = timezone.localtime(self.now).year
            code = self.points[point].calendar_code or None
            self._calendars[point] = calendar_for(calendar_code=code, years=range(year - 1, year + 2))
        return self._calendars[point]

    def receipt(self, day: int, slot: int) -> dt.datetime:
        """A moment inside office hours `day` working days before today, never after now."""
        for index in range(min(day, len(self.days) - 1), len(self.days)):
            d = self.days[index]
            moment = dt.datetime(d.year, d.month, d.day, tzinfo=timezone.get_default_timezone())
            moment += dt.timedelta(minutes=SLOTS[slot % len(SLOTS)])
            if moment <= self.limit:
                return moment
        raise OutOfTime

    def later(self, point: str, moment: dt.datetime, hours: float) -> dt.datetime:
        found = add_working_time(self.calendar(point), moment, _hours(Decimal(str(hours))), "h")
        if found > self.limit:
            raise OutOfTime
        return found

    def user(self, username: str) -> User:
        return next(u for u in self.staff if u.get_username() == username)

    def actor_for(self, step: DossierStep) -> User:
        """Someone of the step's agency who may act on it, in the step's own role first."""
        key = (step.agency_id, step.role)
        if key not in self._actors:
            roles = [step.role] + [r for r in ROLE_ORDER if r != step.role and r in STEP_ACTORS[step.role]]
            found = (u for role in roles for u in self.staff if step.agency_id in scope_for(u).ids_for(role))
            actor = next(found, None)
            if actor is None:
                raise OutOfTime  # nobody in the demo staff works there: the story stops
            self._actors[key] = actor
        return self._actors[key]

    def leader_for(self, step: DossierStep) -> User | None:
        roles = [Role.UNIT_LEADER, Role.AGENCY_LEADER]
        found = (u for role in roles for u in self.staff if step.agency_id in scope_for(u).ids_for(role))
        return next(found, None)


def _hours(amount: Decimal) -> Decimal:
    """Office hours rounded to the minute, a quarter of an hour at least."""
    return max(amount, Decimal("0.25")).quantize(Decimal("0.01"))


def active_steps(code: str) -> list[DossierStep]:
    """The processing steps at work now (the desk's return step apart)."""
    steps = DossierStep.objects.filter(dossier__code=code, status=StepStatus.ACTIVE)
    return list(steps.exclude(role=Role.COUNTER_OFFICER).order_by("pk"))


def open_work(code: str) -> int:
    steps = DossierStep.objects.filter(dossier__code=code).exclude(role=Role.COUNTER_OFFICER)
    return steps.filter(status__in=[StepStatus.PENDING, StepStatus.ACTIVE]).count()


class Play:
    """One story played through the services; `at` only moves forward, in office time, up to now."""

    def __init__(self, desk: Desk, story: Story, at: dt.datetime) -> None:
        self.desk, self.story, self.at = desk, story, at
        self.rng = random.Random(SEED + story.key)
        self.point = desk.points[story.point]
        self.officer = desk.user(story.officer)
        self.applicant = person(self.rng, story)
        self.code = ""

    def after(self, hours: float, start: dt.datetime | None = None) -> dt.datetime:
        self.at = max(self.at, self.desk.later(self.story.point, start or self.at, hours))
        return self.at

    def required(self) -> list[int]:
        version = version_for_filing(self.story.procedure, self.at)
        return [d.position for d in version_parts(version).documents if d.required]

    def intake(self, provided: list[int] | None = None) -> IntakeIn:
        required = self.required()
        form = {}
        if self.story.procedure == "2.002621":
            born = timezone.localtime(self.at).date() - dt.timedelta(days=self.rng.randint(5, 40))
            given = self.rng.choice(MEN[1].split() + WOMEN[1].split())
            form = {
                "child_name": f"{self.applicant.name.split()[0]} Gia {given}",
                "child_birth_date": str(born),
            }
        declaration = Upload(name="to-khai.pdf", content=PDF, document_position=required[0])
        return IntakeIn(
            procedure_code=self.story.procedure,
            applicant=self.applicant,
            provided=required if provided is None else provided,
            uploads=[declaration] if self.story.online else [],
            form_data=form,
        )

    def receive(self, data: IntakeIn | None = None) -> None:
        data = data or self.intake()
        if not self.story.online:
            dossier = services.receive_dossier(data=data, point=self.point, actor=self.officer, now=self.at)
            self.code = dossier.code
            return
        citizen = self.desk.citizen
        assert citizen is not None
        self.code = services.submit_online(data=data, point=self.point, citizen=citizen, now=self.at).code
        if self.story.ending != "online_waiting":
            services.accept_submission(code=self.code, actor=self.officer, now=self.after(0.5))
            self.tick()

    def tick(self) -> None:
        """Transfer a dossier accepted late in the day when its moment comes, as `dossiers_tick` does.

        Called right after the acceptance, so `self.at` is the moment the desk took the dossier in.
        """
        if Dossier.objects.get(code=self.code).status != Status.RECEIVED:
            return
        cal = self.desk.calendar(self.story.point)
        moment = transfer_moment(cal, self.at) + dt.timedelta(minutes=1)
        if moment > self.desk.limit:
            raise OutOfTime
        self.at = moment
        services.transfer_due_dossiers(now=moment)

    def work(self, *, leave: int = 0, pace: float | None = None) -> None:
        """Complete steps, each when its share of time since it opened has passed, until `leave` are open."""
        pace = self.story.pace if pace is None else pace
        cal = self.desk.calendar(self.story.point)
        while open_work(self.code) > leave:
            due = [
                (add_working_time(cal, s.started_at or self.at, _hours(s.days * 8 * Decimal(pace)), "h"), s)
                for s in active_steps(self.code)
            ]
            if not due:
                return
            moment, step = min(due, key=lambda pair: (pair[0], pair[1].pk))
            if moment > self.desk.limit:
                raise OutOfTime
            self.at = max(self.at, moment)
            actor = self.desk.actor_for(step)
            services.complete_step(code=self.code, step_id=step.pk, actor=actor, now=self.at)

    def work_until_now(self, *, leave: int | None = None) -> None:
        """Work as far as now allows (by default the first open step only), then hold the next step."""
        with contextlib.suppress(OutOfTime):
            self.work(leave=self.all_but_one() if leave is None else leave)
        self.hold()

    def all_but_one(self) -> int:
        return max(open_work(self.code) - 1, 1)

    def hold(self) -> None:
        """The open step is taken by a specialist, or given to one by her leader."""
        step = next(
            (s for s in active_steps(self.code) if s.role == Role.SPECIALIST and s.assigned_to_id is None),
            None,
        )
        if step is None:
            return
        actor, leader = self.desk.actor_for(step), self.desk.leader_for(step)
        moment = max(self.at, step.started_at or self.at)
        if leader is not None and self.story.key % 2:
            services.assign_step(code=self.code, step_id=step.pk, actor=leader, assignee=actor, now=moment)
        else:
            services.take_step(code=self.code, step_id=step.pk, actor=actor, now=moment)

    def holder(self) -> tuple[DossierStep, User]:
        step = active_steps(self.code)[0]
        return step, self.desk.leader_for(step) or self.desk.actor_for(step)

    def result_ready(self) -> None:
        self.work()
        services.mark_result_ready(code=self.code, actor=self.officer, results=[], now=self.after(1))

    def hand_over(self, wait: float | None = None) -> None:
        self.after(self.rng.choice([0.5, 2, 4, 8]) if wait is None else wait)
        if Dossier.objects.get(code=self.code).fee_due_vnd:
            method = self.rng.choice(["cash", "cash", "transfer"])
            collect_fee(code=self.code, actor=self.officer, method=method, now=self.at)
        services.hand_over_result(code=self.code, actor=self.officer, now=self.at)
        if self.story.rating:
            self.rate()

    def rate(self) -> None:
        scale = "1" if self.story.rating == "unsatisfied" else "2"
        answers = {"agencies_contacted": "2", "desk_handling": scale, "staff_attitude": scale}
        channel, actor = ("portal", self.desk.citizen) if self.story.online else ("counter", self.officer)
        rate_dossier(
            code=self.code,
            level=self.story.rating,
            answers=answers,
            channel=channel,
            actor=actor,
            now=self.after(0.1),
        )
