"""The demo stories' endings, and loading the ones missing."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from motcua.catalog.parts import version_parts
from motcua.catalog.selectors import version_for_filing
from motcua.dossiers import services
from motcua.dossiers.deadlines import dossier_clock
from motcua.dossiers.demo.cast import (
    APOLOGY_REASON,
    COMPLETION_REASON,
    HISTORY,
    ID_PREFIX,
    PDF,
    REFUSAL,
    REFUSAL_AT_INTAKE,
    SLOTS,
    STOP_REASON,
    SUPPLEMENT_REASON,
    Story,
    stories,
)
from motcua.dossiers.demo.desk import Desk, OutOfTime, Play, active_steps, open_work
from motcua.dossiers.demo.returning import load_returning_applicant
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.services import RequestItem
from motcua.dossiers.uploads import Upload
from motcua.workdays.deadlines import add_working_time

if TYPE_CHECKING:
    from motcua.core.demo import DemoReport


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
    play.work_until_now(leave=None if play.story.key % 2 else open_work(play.code))


def _behind(play: Play) -> None:
    """Late or due soon, by its receipt: still at its first step, or every other one at its last."""
    play.receive()
    play.work_until_now(leave=open_work(play.code) if play.story.key % 3 == 0 else 1)


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
    step = active_steps(play.code)[0]
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
    for story in stories():
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
    for code in load_returning_applicant(desk, report):
        made[Dossier.objects.get(code=code).status] += 1
    if made:
        summary = ", ".join(f"{status} {n}" for status, n in sorted(made.items()))
        lines = [f"dossiers: {sum(made.values())} demo dossiers created ({summary})"]
    else:
        lines = [f"dossiers: {by_id.count()} demo dossiers already there"]
    if report is not None:
        report.changed |= bool(made)
        report.lines += lines
    return lines
