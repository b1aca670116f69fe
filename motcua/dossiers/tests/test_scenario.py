"""The whole life of an inter-agency dossier, through the services, with time frozen by `now`."""

from __future__ import annotations

from django.test import override_settings

from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.services import RequestItem

from .conftest import at, birth_bundle, pdf


def _active(dossier: Dossier) -> dict[str, object]:
    return {s.branch or "main": s for s in dossier.steps.filter(status=StepStatus.ACTIVE)}


def test_an_inter_agency_dossier_goes_from_counter_to_hand_over(people, points):
    officer = people["motcua.thanhsen"]

    dossier = services.receive_dossier(
        data=birth_bundle(), point=points["ttpvhcc-thanhsen"], actor=officer, now=at("2025-11-03 09:00")
    )

    assert dossier.code == "H42.50.01-251103-010001"
    assert dossier.status == Status.IN_PROGRESS  # received before 15:00: transferred at once
    assert dossier.due_at == at("2025-11-06 09:00")  # 3 working days
    assert dossier.lead_agency.code == "H42.50.01"
    [review] = _active(dossier).values()
    assert review.agency.code == "H42.50.01" and review.role == "specialist"

    services.complete_step(
        code=dossier.code, step_id=review.pk, actor=people["cv.tuphap.thanhsen"], now=at("2025-11-03 14:00")
    )
    branches = _active(dossier)
    assert {b: s.agency.code for b, s in branches.items()} == {
        "ho-tich": "H42.50.01",
        "cu-tru": "H42.30.01",
        "bhyt": "H42.32",
    }

    services.request_supplement(
        code=dossier.code,
        actor=people["ca.thanhsen"],
        items=[RequestItem(position=2, reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp của cha mẹ.")],
        now=at("2025-11-04 08:00"),
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT

    services.receive_supplement(
        code=dossier.code,
        actor=officer,
        uploads=[pdf("cho-o.pdf", 2)],
        provided=[2],
        now=at("2025-11-05 10:00"),
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    # Decree 118: the time limit restarts from zero when the complete dossier arrives.
    assert dossier.due_at == at("2025-11-10 10:00")

    services.complete_step(
        code=dossier.code,
        step_id=branches["ho-tich"].pk,
        actor=people["ct.thanhsen"],
        now=at("2025-11-05 11:00"),
    )
    services.complete_step(
        code=dossier.code,
        step_id=branches["cu-tru"].pk,
        actor=people["ca.thanhsen"],
        now=at("2025-11-06 09:00"),
    )
    police_leader = _active(dossier)["cu-tru"]
    assert police_leader.role == "agency_leader"
    services.complete_step(
        code=dossier.code,
        step_id=police_leader.pk,
        actor=people["ld.ca.thanhsen"],
        now=at("2025-11-06 10:00"),
    )
    services.complete_step(
        code=dossier.code, step_id=branches["bhyt"].pk, actor=people["cv.bhxh"], now=at("2025-11-06 10:30")
    )
    assert set(_active(dossier)) == {"bhyt"}  # the other branches wait for the health-insurance card
    services.complete_step(
        code=dossier.code,
        step_id=_active(dossier)["bhyt"].pk,
        actor=people["ld.bhxh"],
        now=at("2025-11-06 11:00"),
    )
    assert _active(dossier)["main"].role == "counter_officer"

    services.mark_result_ready(
        code=dossier.code,
        actor=people["cv.tuphap.thanhsen"],
        results=[pdf("giay-khai-sinh.pdf")],
        now=at("2025-11-06 14:00"),
    )
    services.hand_over_result(code=dossier.code, actor=officer, now=at("2025-11-07 08:30"))

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.outcome == "early"
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions[:3] == ["receive", "transfer", "complete_step"]
    assert actions[-2:] == ["mark_result_ready", "hand_over"]
    assert actions.count("complete_step") == 6
    assert not dossier.steps.filter(status__in=[StepStatus.ACTIVE, StepStatus.PENDING]).exists()


def test_a_dossier_received_after_three_pm_is_transferred_next_working_morning(people, points):
    dossier = services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-07 15:30"),
    )

    assert dossier.status == Status.RECEIVED
    # The 15:00 cut-off of this procedure also starts its clock on the next working day (Monday).
    assert dossier.clock_started_at == at("2025-11-10 07:00")
    assert services.transfer_due_dossiers(now=at("2025-11-08 10:00")) == []
    assert services.transfer_due_dossiers(now=at("2025-11-10 07:00")) == [dossier.code]
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS


@override_settings(MOTCUA={"DOSSIER_CODE_LAYOUT": "2018", "SYSTEM_OWNER_ID": "01", "MAX_UPLOAD_MB": 20})
def test_codes_follow_the_2018_layout_when_configured(people, points):
    first = services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-07-01 09:00"),
    )
    second = services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-07-01 09:05"),
    )

    assert first.code == "000.01.50.H42-250701-0001"
    assert second.code == "000.01.50.H42-250701-0002"


def test_an_online_dossier_accepted_after_three_pm_waits_for_the_next_working_morning(people, points):
    # Filed at 14:00, but the desk took it in only at 16:00: its transfer is due Monday morning, though
    # its clock counts from the filing (Decree 118: the desk transfers what it received after 15:00 the
    # next working day).
    filed = services.submit_online(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        citizen=people["citizen"],
        now=at("2025-11-07 14:00"),
    )
    services.accept_submission(code=filed.code, actor=people["motcua.thanhsen"], now=at("2025-11-07 16:00"))

    assert Dossier.objects.get(code=filed.code).status == Status.RECEIVED
    assert services.transfer_due_dossiers(now=at("2025-11-07 16:01")) == []
    assert services.transfer_due_dossiers(now=at("2025-11-10 07:00")) == [filed.code]
