"""The deadline watch, with time frozen by `now`: warn before, escalate after, never the same warning twice.

The review step of the birth bundle takes 0.75 working day: received Monday 03/11/2025 09:00, it is due
the same day at 17:00; the dossier is due Thursday 06/11 09:00 (office hours 07–11, 13–17).
"""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.tests.conftest import at, birth_bundle
from motcua.notify.models import DeadlineWarning, OutboxMessage
from motcua.notify.services import run_watch
from motcua.org.models import Agency

DUE_SOON = "step_due_soon"


@pytest.fixture
def dossier(people, points) -> Dossier:
    received = services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )
    review = received.steps.get(status=StepStatus.ACTIVE)
    services.assign_step(
        code=received.code,
        step_id=review.pk,
        actor=people["ct.thanhsen"],
        assignee=people["cv.tuphap.thanhsen"],
        now=at("2025-11-03 09:01"),
    )
    return received


def _sent(kind: str) -> list[tuple[str, str]]:
    rows = OutboxMessage.objects.filter(kind=kind).order_by("id")
    return [(m.recipient, m.body) for m in rows]


@pytest.mark.django_db
def test_a_step_is_warned_once_per_threshold_before_it_is_due(dossier, people):
    first = run_watch(now=at("2025-11-03 09:05"))
    again = run_watch(now=at("2025-11-03 09:10"))
    close = run_watch(now=at("2025-11-03 15:05"))

    assert len(first.due_soon) == 1 and first.due_soon[0].endswith("· 1d")
    assert again.due_soon == []
    assert len(close.due_soon) == 1 and close.due_soon[0].endswith("· 2h")
    warned = _sent(DUE_SOON)
    holder, leader = people["cv.tuphap.thanhsen"].email, people["ct.thanhsen"].email
    assert [r for r, _ in warned] == [holder, leader, holder, leader]  # no unit leader: the agency leader
    assert "còn không quá 1 ngày làm việc" in warned[0][1] and "còn không quá 2 giờ làm việc" in warned[2][1]
    assert "17:00 03/11/2025" in warned[0][1]
    assert DeadlineWarning.objects.filter(kind=DUE_SOON).count() == 2


@pytest.mark.django_db
def test_a_step_crossing_two_thresholds_at_once_gets_only_the_tighter_warning(dossier):
    report = run_watch(now=at("2025-11-03 15:30"))

    assert len(report.due_soon) == 2  # both recorded…
    assert {m.split("· ")[-1] for m in report.due_soon} == {"1d", "2h"}
    assert all("2 giờ làm việc" in body for _, body in _sent(DUE_SOON))  # …one sent
    assert len(_sent(DUE_SOON)) == 2
    assert run_watch(now=at("2025-11-03 16:00")).due_soon == []


@pytest.mark.django_db
@override_settings(NOTIFY_WARN_THRESHOLDS="3h")
def test_thresholds_are_configurable_in_working_hours(dossier):
    assert run_watch(now=at("2025-11-03 13:30")).due_soon == []  # 3.5 working hours left
    assert len(run_watch(now=at("2025-11-03 14:00")).due_soon) == 1


@pytest.mark.django_db
def test_a_late_step_is_escalated_once_to_the_agency_leader_and_its_inbox(dossier, people):
    Agency.objects.filter(code="H42.50.01").update(email="vanphong@thanhsen.example.vn")

    first = run_watch(now=at("2025-11-03 17:01"))
    again = run_watch(now=at("2025-11-04 08:00"))

    assert len(first.late) == 1 and again.late == []
    assert [r for r, _ in _sent("step_late")] == [people["ct.thanhsen"].email, "vanphong@thanhsen.example.vn"]
    assert "đã quá hạn từ 17:00 03/11/2025" in _sent("step_late")[0][1]


@pytest.mark.django_db
def test_the_holding_agency_is_told_an_apology_is_due_before_the_dossiers_due_moment(dossier, people):
    early = run_watch(now=at("2025-11-03 16:00"))
    due = run_watch(now=at("2025-11-04 09:30"))
    again = run_watch(now=at("2025-11-05 09:30"))

    assert early.apology_due == [] and due.apology_due == [dossier.code] and again.apology_due == []
    recipients = {r for r, _ in _sent("apology_due")}
    assert recipients == {people["cv.tuphap.thanhsen"].email, people["ct.thanhsen"].email}
    assert all("văn bản xin lỗi" in body and "09:00 06/11/2025" in body for _, body in _sent("apology_due"))


@pytest.mark.django_db
def test_no_apology_warning_once_the_apology_is_issued(dossier, people):
    services.issue_apology(
        code=dossier.code,
        actor=people["ct.thanhsen"],
        reason="Chờ xác minh.",
        new_due_at=at("2025-11-10 09:00"),
        now=at("2025-11-04 08:00"),
    )

    assert run_watch(now=at("2025-11-04 09:30")).apology_due == []


@pytest.mark.django_db
def test_an_overdue_dossier_is_marked_once_and_its_leaders_told(dossier, people):
    first = run_watch(now=at("2025-11-06 09:01"))
    dossier.refresh_from_db()
    marked_at = dossier.overdue_marked_at
    run_watch(now=at("2025-11-07 09:00"))
    dossier.refresh_from_db()

    assert first.overdue == [dossier.code] and marked_at == at("2025-11-06 09:01")
    assert dossier.overdue_marked_at == marked_at
    assert {r for r, _ in _sent("dossier_overdue")} == {
        people["ct.thanhsen"].email,
        people["giamdoc.thanhsen"].email,
    }
    assert DeadlineWarning.objects.filter(kind="dossier_overdue").count() == 1


@pytest.mark.django_db
def test_the_command_prints_what_it_did(dossier):
    out = StringIO()
    call_command("deadline_watch", stdout=out)  # today: long after the 2025 due dates

    assert "marked overdue: 1" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_watches_at_once_give_each_warning_exactly_once(dossier):
    moment = at("2025-11-06 09:01")  # step late, apology window passed, dossier overdue
    serial = connection.vendor == "sqlite" and connection.is_in_memory_db()
    results, errors = [], []

    def watch() -> None:
        try:
            results.append(run_watch(now=moment))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=watch) for _ in range(2)]
    # An in-memory SQLite database is shared between threads without a busy timeout: run one at a time.
    for thread in threads:
        thread.start()
        if serial:
            thread.join()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(len(r.late) for r in results) == 1
    assert sum(len(r.overdue) for r in results) == 1
    assert DeadlineWarning.objects.filter(kind="step_late").count() == 1
    assert OutboxMessage.objects.filter(kind="step_late").count() == 1
    assert OutboxMessage.objects.filter(kind="dossier_overdue").count() == 2
