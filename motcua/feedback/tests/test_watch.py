"""The deadline watch warns the agency before an answer is due and its leaders once it is late, once each."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from motcua.feedback import services
from motcua.notify.models import DeadlineWarning, OutboxMessage
from motcua.notify.services import run_watch

from .conftest import at


def _sent(kind: str) -> list[tuple[str, str]]:
    return [(m.recipient, m.body) for m in OutboxMessage.objects.filter(kind=kind).order_by("pk")]


def test_an_open_feedback_is_warned_two_working_days_before_it_is_due_and_only_once(received, people):
    # Due Monday 01/12 09:00; two working days before is Thursday 27/11 09:00.
    quiet = run_watch(now=at("2025-11-27 08:59"))
    first = run_watch(now=at("2025-11-27 09:00"))
    again = run_watch(now=at("2025-11-28 10:00"))

    assert quiet.feedback_due_soon == []
    assert first.feedback_due_soon == [f"{received.code} · 2d"]
    assert again.feedback_due_soon == []
    warned = _sent("feedback_due_soon")
    assert people["ct.thanhsen"].email in {r for r, _ in warned}
    assert "còn không quá 2 ngày làm việc" in warned[0][1] and "09:00 01/12/2025" in warned[0][1]
    assert DeadlineWarning.objects.filter(kind="feedback_due_soon", feedback=received).count() == 1


def test_a_late_feedback_is_escalated_to_the_agency_leaders_once(received, people):
    early = run_watch(now=at("2025-12-01 08:59"))
    late = run_watch(now=at("2025-12-01 09:00"))
    later = run_watch(now=at("2025-12-02 09:00"))

    assert early.feedback_late == [] and late.feedback_late == [received.code] and later.feedback_late == []
    assert [r for r, _ in _sent("feedback_late")] == [people["ct.thanhsen"].email]


def test_an_answered_feedback_is_not_warned(received, people):
    services.answer_feedback(
        code=received.code, actor=people["ct.thanhsen"], answer="Đã trả lời.", now=at("2025-11-18 09:00")
    )

    report = run_watch(now=at("2025-12-05 09:00"))

    assert report.feedback_due_soon == [] and report.feedback_late == []


def test_the_command_prints_the_feedback_warnings(received, clock):
    clock.set("2025-12-02 09:00")
    out = StringIO()
    call_command("deadline_watch", stdout=out)

    assert "feedback late: 1" in out.getvalue()


def test_the_specialist_holding_the_feedback_is_warned_too(received, people):
    clerk = people["cv.tuphap.thanhsen"]
    services.take_feedback(code=received.code, actor=clerk, now=at("2025-11-18 09:00"))

    run_watch(now=at("2025-11-27 09:00"))
    run_watch(now=at("2025-12-01 09:00"))

    assert clerk.email in {r for r, _ in _sent("feedback_due_soon")}
    assert [r for r, _ in _sent("feedback_late")] == [people["ct.thanhsen"].email, clerk.email]
