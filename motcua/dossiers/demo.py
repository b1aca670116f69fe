"""Demo dossiers for `load_demo`: a working day at the Thành Sen and provincial centres. Safe to repeat.

Call `load_demo_dossiers(report)` after the organisation, catalog, calendar, demo accounts and the payments
demo are loaded (motcua/core/demo.py). Every dossier goes through the real services, at moments counted in
working time back from `now` (the last ~45 working days, inside office hours), so the board, the work
lists and the reports look current whenever the demo is loaded: results returned early, on time and late
(some rated), work fresh, due soon and late at the agencies (one with its apology and new appointment),
supplements asked for and answered, dossiers asked to complete at the desk, refused, stopped, filed online
and waiting for a check, handled on the spot, results waiting at the desk.

Applicants are made up from fixed lists with a fixed seed; their ID numbers lie in a reserved demo range
(`ID_PREFIX`), so a repeated load recognises what is there and adds nothing. A story that would need a
moment after `now` stops where it is: the dossier stays in the state it reached.

The board and the work lists judge "late" and "due soon" from each dossier's and step's due moment
against the clock, so they show at once; the deadline watch (`manage.py deadline_watch`, every minute in
production) is not run here: its warnings and overdue marks come with its first run, as for real work.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from motcua.catalog.selectors import version_for_filing, version_parts
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.access import STEP_ACTORS
from motcua.dossiers.deadlines import dossier_clock
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Channel, Dossier, DossierStep, StepStatus
from motcua.dossiers.selectors import horizon
from motcua.dossiers.services import ApplicantIn, IntakeIn, RequestItem
from motcua.dossiers.uploads import Upload
from motcua.feedback.services import rate_dossier
from motcua.org.access import scope_for
from motcua.org.models import Role, ServicePoint
from motcua.payments.services import collect_fee
from motcua.workdays.calendar import WorkCalendar, is_working_day
from motcua.workdays.deadlines import add_working_time, transfer_moment
from motcua.workdays.selectors import calendar_for

if TYPE_CHECKING:
    from motcua.core.demo import DemoReport

SEED = 20251103
ID_PREFIX = "042198000"  # 12-digit ID numbers 042198000001…042198000999 belong to demo applicants
HISTORY = 45  # working days of history before today
THANH_SEN, PROVINCE = "ttpvhcc-thanhsen", "ttpvhcc-tinh"
CITIZEN = "congdan"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# Receipts between 07:15 and 14:45 (before the 15:00 transfer cut-off), minutes after midnight.
SLOTS = [435, 465, 495, 525, 555, 585, 615, 795, 825, 855, 885]
ROLE_ORDER = [Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER]

# (procedure, counter officer, weight): what each centre mostly receives, with whom.
PROCEDURES = {
    THANH_SEN: [
        ("2.002621", "motcua.thanhsen", 5),  # birth – residence – health insurance, three agencies
        ("1.004222", "motcua.thanhsen", 3),  # permanent residence (police)
        ("1.004194", "motcua.thanhsen", 3),  # temporary residence (police)
        ("1.004873", "motcua.thanhsen", 3),  # marital status certificate
        ("1.001612", "motcua.thanhsen", 2),  # household business
        ("1.004859", "motcua.thanhsen", 1),  # civil status correction
        ("1.003197", "motcua.thanhsen", 1),  # permanent residence removed
        ("1.013227", "motcua.thanhsen", 1),  # building permit extended
    ],
    PROVINCE: [
        ("2.001610", "motcua.tuphap", 3),  # sole proprietorship
        ("2.002035", "motcua.tuphap", 2),  # one-member limited company
        ("1.012786", "motcua.datdai", 2),  # land certificate reissued
        ("1.012790", "motcua.datdai", 2),  # land certificate corrected
        ("1.012784", "motcua.datdai", 1),  # plot split or merged
        ("1.012270", "motcua.vhttdl", 1),  # health practitioner licence
    ],
}
ON_THE_SPOT = ["2.000815", "2.000815", "1.001193", "2.000635", "1.000894", "2.000815"]
ONLINE = ["1.004194", "1.004222", "2.002621", "1.004873"]

# Names are drawn from these words (family, then middle and given names of men and of women).
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Phan Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Hà Lương Thái Đoàn"
MEN = ("Văn Đức Hữu Minh Quang Xuân", "Anh Bảo Cường Dũng Đạt Hiếu Hùng Khánh Lâm Long Nam Phong Quân Sơn")
WOMEN = ("Thị Thu Ngọc Thanh Hồng", "An Chi Dung Giang Hằng Hiền Hoa Huyền Lan Linh Loan Mai Nga Nhung Quỳnh")
PLACES = {
    THANH_SEN: ["phường Thành Sen"],
    PROVINCE: ["phường Thành Sen", "phường Trần Phú", "phường Bắc Hồng Lĩnh", "xã Thạch Hà", "xã Cẩm Xuyên"],
}
SUPPLEMENT_REASON = (
    "Bản sao chưa được chứng thực; đề nghị nộp bản sao có chứng thực hoặc xuất trình bản chính."
)
COMPLETION_REASON = "Chưa có giấy tờ này trong hồ sơ; đề nghị bổ sung để hồ sơ đủ thành phần."
REFUSAL_AT_INTAKE = (
    "Người nộp không cư trú trên địa bàn, thủ tục không thuộc thẩm quyền tiếp nhận của nơi này; "
    "đã hướng dẫn nộp tại nơi cư trú."
)
REFUSAL = (
    "Kết quả xác minh cho thấy hồ sơ không đáp ứng điều kiện theo quy định; chi tiết tại văn bản trả lời."
)
STOP_REASON = "Người nộp có đơn đề nghị dừng giải quyết để điều chỉnh nội dung đăng ký."
APOLOGY_REASON = "Cần xác minh thêm thông tin với cơ quan liên quan nên chưa trả kết quả đúng hẹn."


class OutOfTime(Exception):
    """The story's next moment would come after `now`: it stops there."""


@dataclass(frozen=True)
class Story:
    """One demo dossier: where, what, and how its handling goes."""

    key: int  # its applicant's demo ID number is ID_PREFIX + key
    point: str
    procedure: str
    officer: str
    ending: str  # a key of ENDINGS
    age: float  # 0…1: how far back in the span the ending allows its receipt lies
    pace: float = 0.6  # share of each step's time limit spent on it
    rating: str = ""
    online: bool = False

    @property
    def id_number(self) -> str:
        return f"{ID_PREFIX}{self.key:03d}"


def _stories() -> list[Story]:
    """The demo's dossiers, the same on every load (fixed seed)."""
    rng = random.Random(SEED)
    stories: list[Story] = []

    turns: Counter[str] = Counter()

    def add(point: str, ending: str, count: int, *, spread: bool = False, **values: object) -> None:
        """Add `count` stories, their procedures drawn by weight, or taken in turn when `spread`."""
        choices = PROCEDURES[point]
        for _ in range(count):
            procedure, officer, _weight = rng.choices(choices, [w for *_, w in choices])[0]
            if spread:  # open work in turn at every agency of the point, so each has its list
                procedure, officer, _weight = choices[turns[point] % len(choices)]
                turns[point] += 1
            story = Story(len(stories) + 1, point, procedure, officer, ending, rng.random())
            stories.append(replace(story, **values))  # type: ignore[arg-type]

    for point, share in ((THANH_SEN, 3), (PROVINCE, 2)):
        add(point, "returned", 6 * share, pace=0.45)
        add(point, "returned", 3 * share, pace=0.85)
        add(point, "returned", share, pace=1.6)  # results returned late
        add(point, "ready", share + 1)
        add(point, "fresh", 2 * share + 2, spread=True)
        add(point, "soon", 2, spread=True)
        add(point, "late", share + 1, pace=1.3, spread=True)
        add(point, "supplement", 1 + share // 2, spread=True)
        add(point, "supplemented", 1)
        add(point, "completion", share // 2 + 1)
        add(point, "refused", 1)
        add(point, "refused_at_intake", 1)
        add(point, "stopped", 1)
    add(THANH_SEN, "apology", 1, procedure="2.002621", pace=1.0)
    add(THANH_SEN, "completed", 1)
    for code in ON_THE_SPOT:
        add(THANH_SEN, "on_the_spot", 1, procedure=code)
    for code, ending in zip(ONLINE, ["returned", "fresh", "ready", "online_waiting"], strict=True):
        add(THANH_SEN, ending, 1, procedure=code, online=True)
    add(THANH_SEN, "online_waiting", 1, procedure="1.004194", online=True)
    for n, story in enumerate(s for s in stories if s.ending == "returned"):
        if n % 3 == 0:
            level = "unsatisfied" if story.pace > 1 else ("very_satisfied" if n % 2 else "satisfied")
            stories[story.key - 1] = replace(story, rating=level)
    return stories


def _person(rng: random.Random, story: Story) -> ApplicantIn:
    middles, givens = MEN if rng.random() < 0.5 else WOMEN
    name = f"{rng.choice(FAMILY.split())} {rng.choice(middles.split())} {rng.choice(givens.split())}"
    place = rng.choice(PLACES[story.point])
    where = f"Tổ dân phố {rng.randint(1, 15)}" if place.startswith("phường") else f"Thôn {rng.randint(1, 9)}"
    return ApplicantIn(
        name=name,
        id_number=story.id_number,
        date_of_birth=dt.date(rng.randint(1955, 2003), rng.randint(1, 12), rng.randint(1, 28)),
        address=f"{where}, {place}, tỉnh Hà Tĩnh",
        phone=f"0912001{story.key:03d}",
    )


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


def _active(code: str) -> list[DossierStep]:
    """The processing steps at work now (the desk's return step apart)."""
    steps = DossierStep.objects.filter(dossier__code=code, status=StepStatus.ACTIVE)
    return list(steps.exclude(role=Role.COUNTER_OFFICER).order_by("pk"))


def _open_work(code: str) -> int:
    steps = DossierStep.objects.filter(dossier__code=code).exclude(role=Role.COUNTER_OFFICER)
    return steps.filter(status__in=[StepStatus.PENDING, StepStatus.ACTIVE]).count()


class Play:
    """One story played through the services; `at` only moves forward, in office time, up to now."""

    def __init__(self, desk: Desk, story: Story, at: dt.datetime) -> None:
        self.desk, self.story, self.at = desk, story, at
        self.rng = random.Random(SEED + story.key)
        self.point = desk.points[story.point]
        self.officer = desk.user(story.officer)
        self.applicant = _person(self.rng, story)
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

    def receive(self) -> None:
        if not self.story.online:
            dossier = services.receive_dossier(
                data=self.intake(), point=self.point, actor=self.officer, now=self.at
            )
            self.code = dossier.code
            return
        citizen = self.desk.citizen
        assert citizen is not None
        self.code = services.submit_online(
            data=self.intake(), point=self.point, citizen=citizen, now=self.at
        ).code
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
        while _open_work(self.code) > leave:
            due = [
                (add_working_time(cal, s.started_at or self.at, _hours(s.days * 8 * Decimal(pace)), "h"), s)
                for s in _active(self.code)
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
        return max(_open_work(self.code) - 1, 1)

    def hold(self) -> None:
        """The open step is taken by a specialist, or given to one by her leader."""
        step = next(
            (s for s in _active(self.code) if s.role == Role.SPECIALIST and s.assigned_to_id is None), None
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
        step = _active(self.code)[0]
        return step, self.desk.leader_for(step) or self.desk.actor_for(step)

    def result_ready(self) -> None:
        self.work()
        services.mark_result_ready(code=self.code, actor=self.officer, results=[], now=self.after(1))

    def hand_over(self) -> None:
        self.after(self.rng.choice([0.5, 2, 4, 8]))
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


def _returned(play: Play) -> None:
    play.receive()
    play.result_ready()
    play.hand_over()


def _ready(play: Play) -> None:
    play.receive()
    play.result_ready()


def _in_progress(play: Play) -> None:
    """At its first step, held by a specialist; every other one a step further (when time allows)."""
    play.receive()
    play.work_until_now(leave=None if play.story.key % 2 else _open_work(play.code))


def _behind(play: Play) -> None:
    """Late or due soon, by its receipt: still at its first step, or every other one at its last."""
    play.receive()
    play.work_until_now(leave=_open_work(play.code) if play.story.key % 3 == 0 else 1)


def _apology(play: Play) -> None:
    """Late at its last step, its agency apologises two hours before the appointment and sets a new one."""
    play.receive()
    play.work(leave=1)
    dossier = Dossier.objects.get(code=play.code)
    assert dossier.due_at is not None
    step, leader = play.holder()
    play.after(0.25, start=dossier.due_at - dt.timedelta(hours=2))
    services.issue_apology(
        code=play.code,
        actor=leader,
        reason=APOLOGY_REASON,
        new_due_at=add_working_time(play.desk.calendar(play.story.point), dossier.due_at, Decimal(3), "d"),
        signer_name=leader.full_name,
        signer_title=f"Lãnh đạo {step.agency.name}",
        now=play.at,
    )


def _supplement(play: Play, *, answered: bool = False) -> None:
    """The agency at work asks once for a supplement; when `answered`, it comes and the work resumes."""
    play.receive()
    with contextlib.suppress(OutOfTime):  # else the gap is found while the first step is at work
        play.work(leave=play.all_but_one())
    position = play.required()[-1]
    step = _active(play.code)[0]
    item = RequestItem(position=position, reason=SUPPLEMENT_REASON)
    services.request_supplement(
        code=play.code, actor=play.desk.actor_for(step), items=[item], now=play.after(1)
    )
    if answered:
        scan = Upload(name="ban-sao-chung-thuc.pdf", content=PDF, document_position=position)
        services.receive_supplement(
            code=play.code, actor=play.officer, uploads=[scan], provided=[position], now=play.after(6)
        )
        play.work_until_now()


def _completion(play: Play, *, completed: bool = False) -> None:
    """Received incomplete and asked to complete at the desk; when `completed`, brought back and received."""
    required = play.required()
    dossier = services.request_completion_at_counter(
        data=play.intake(provided=required[:-1]),
        point=play.point,
        actor=play.officer,
        items=[RequestItem(position=required[-1], reason=COMPLETION_REASON)],
        now=play.at,
    )
    play.code = dossier.code
    if completed:
        services.receive_completed_dossier(
            code=play.code, actor=play.officer, provided=[required[-1]], now=play.after(10)
        )
        play.tick()
        play.work_until_now()


def _refused_at_intake(play: Play) -> None:
    data, point = play.intake(), play.point
    refused = services.refuse_at_counter(
        data=data, point=point, actor=play.officer, reasons=REFUSAL_AT_INTAKE, now=play.at
    )
    play.code = refused.code


def _refused(play: Play) -> None:
    play.receive()
    play.work(leave=play.all_but_one())
    _step, leader = play.holder()
    services.refuse_dossier(code=play.code, actor=leader, reasons=REFUSAL, now=play.after(2))


def _stopped(play: Play) -> None:
    play.receive()
    play.work(leave=play.all_but_one())
    services.stop_dossier(code=play.code, actor=play.officer, reason=STOP_REASON, now=play.after(3))


def _on_the_spot(play: Play) -> None:
    done = services.handle_on_the_spot(data=play.intake(), point=play.point, actor=play.officer, now=play.at)
    play.code = done.code


def _online_waiting(play: Play) -> None:
    play.receive()


Span = Callable[[Decimal, float], tuple[int, int]]
# Each ending: how it is played, and the span of working days back its receipt may lie in, from the
# procedure's time limit (days) and the story's pace. "soon" is received so that it falls due soon.
ENDINGS: dict[str, tuple[Callable[[Play], None], Span]] = {
    "returned": (_returned, lambda days, pace: (math.ceil(days * Decimal(str(pace))) + 2, HISTORY)),
    "ready": (_ready, lambda days, pace: (math.ceil(days * Decimal("0.6")) + 1, math.ceil(days) + 1)),
    "fresh": (_in_progress, lambda days, pace: (0, 2)),
    "soon": (_behind, lambda days, pace: (0, 0)),
    "late": (_behind, lambda days, pace: (math.ceil(days) + 2, math.ceil(days) + 6)),
    "apology": (_apology, lambda days, pace: (math.ceil(days) + 1, math.ceil(days) + 1)),
    "supplement": (_supplement, lambda days, pace: (3, 8)),
    "supplemented": (lambda play: _supplement(play, answered=True), lambda days, pace: (4, 6)),
    "completion": (_completion, lambda days, pace: (1, 8)),
    "completed": (lambda play: _completion(play, completed=True), lambda days, pace: (4, 6)),
    "refused_at_intake": (_refused_at_intake, lambda days, pace: (1, HISTORY)),
    "refused": (_refused, lambda days, pace: (3, HISTORY)),
    "stopped": (_stopped, lambda days, pace: (3, HISTORY)),
    "on_the_spot": (_on_the_spot, lambda days, pace: (0, HISTORY)),
    "online_waiting": (_online_waiting, lambda days, pace: (0, 1)),
}


def _receipt(desk: Desk, story: Story) -> dt.datetime:
    """When the story's dossier arrives: within its ending's span, or so that it falls due soon."""
    version = version_for_filing(story.procedure, desk.now)
    if story.ending == "soon":
        moment = _receipt_due_soon(desk, story)
    else:
        days, _unit = version_parts(version).time_limit_for(version, Channel.COUNTER)
        low, high = (min(n, HISTORY) for n in ENDINGS[story.ending][1](days, story.pace))
        day = low + round(story.age * (max(high, low) - low))
        moment = desk.receipt(day, round(story.age * 97))
    if timezone.localdate(moment) < version.effective_from:
        raise OutOfTime  # the demo's version was not in force yet then
    return moment


def _receipt_due_soon(desk: Desk, story: Story) -> dt.datetime:
    """The latest receipt whose appointment falls within the next working day (the board's "due soon")."""
    version = version_for_filing(story.procedure, desk.now)
    point = desk.points[story.point]
    earliest = desk.now + dt.timedelta(hours=1)
    for day in range(len(desk.days)):
        for slot in reversed(range(len(SLOTS))):
            moment = desk.receipt(day, slot)
            _start, due, _second = dossier_clock(
                version=version, channel=Channel.COUNTER, point=point, received_at=moment
            )
            if due <= earliest:
                raise OutOfTime  # past the window: no slot falls in it
            if due <= desk.horizon.soon_until:
                return moment
    raise OutOfTime


def _play(desk: Desk, story: Story, at: dt.datetime) -> str:
    """Play the story; return the dossier's code."""
    play = Play(desk, story, at)
    with contextlib.suppress(OutOfTime):  # the rest lies after now: the dossier stays as it is
        ENDINGS[story.ending][0](play)
    return play.code


@transaction.atomic
def load_demo_dossiers(report: DemoReport | None = None, *, now: dt.datetime | None = None) -> list[str]:
    """Create the demo dossiers that are missing; return a summary line (also added to `report`)."""
    now = now or timezone.now()
    by_id = Dossier.objects.filter(applicant__id_number__startswith=ID_PREFIX)
    existing = set(by_id.values_list("applicant__id_number", flat=True))
    desk = Desk(now)
    planned = []
    for story in _stories():
        if story.id_number in existing or (story.online and desk.citizen is None):
            continue
        try:
            planned.append((_receipt(desk, story), story))
        except OutOfTime:
            continue
    made: Counter[str] = Counter()
    for at, story in sorted(planned, key=lambda pair: (pair[0], pair[1].key)):
        code = _play(desk, story, at)
        if code:
            made[Dossier.objects.get(code=code).status] += 1
    if made:
        summary = ", ".join(f"{status} {n}" for status, n in sorted(made.items()))
        lines = [f"dossiers: {sum(made.values())} demo dossiers created ({summary})"]
    else:
        lines = [f"dossiers: {len(existing)} demo dossiers already there"]
    if report is not None:
        report.changed |= bool(made)
        report.lines += lines
    return lines
