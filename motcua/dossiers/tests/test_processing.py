from __future__ import annotations

import pytest

from motcua.core.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.lifecycle import TRANSITIONS, Status, allowed_actions, next_status
from motcua.dossiers.models import StepStatus
from motcua.dossiers.services import RequestItem

from .conftest import at, birth_bundle, pdf


@pytest.fixture
def dossier(people, points):
    return services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )


def _active_step(dossier, branch=""):
    return dossier.steps.get(status=StepStatus.ACTIVE, branch=branch)


def test_every_status_can_reach_a_finished_status_and_unknown_moves_are_refused():
    assert allowed_actions(Status.RETURNED) == [
        "rate",
        "pay_online",
        "fail_online_payment",
        "refund_overpayment",
        "sign_receipt",
        "receipt_not_signed",
        "renew_archive",
        "note",
    ]
    # DOMAIN, Lifecycle 9: rated once ended; fees: the gateway's late answer is still recorded, and a
    # receipt is sealed in the background whatever happened to the dossier meanwhile.
    assert "collect_fee" in allowed_actions(Status.RESULT_READY)
    assert "refund_fee" in allowed_actions(Status.REFUSED)
    with pytest.raises(TransitionNotAllowed) as caught:
        next_status(Status.SUBMITTED, "hand_over")
    assert caught.value.code == "transition_not_allowed"
    assert all(t.sources for t in TRANSITIONS.values())


def test_a_stranger_and_another_agency_get_not_found(dossier, people):
    step = _active_step(dossier)
    for outsider in (people["stranger"], people["cv.bhxh"]):
        with pytest.raises(NotFound):
            services.complete_step(code=dossier.code, step_id=step.pk, actor=outsider)


def test_the_second_of_two_officers_acting_on_the_same_version_gets_a_conflict(dossier, people):
    step = _active_step(dossier)
    seen = dossier.version
    services.take_step(
        code=dossier.code, step_id=step.pk, actor=people["cv.tuphap.thanhsen"], expected_version=seen
    )

    with pytest.raises(Conflict) as caught:
        services.complete_step(
            code=dossier.code, step_id=step.pk, actor=people["ct.thanhsen"], expected_version=seen
        )
    assert caught.value.code == "dossier_changed"


def test_a_completed_step_cannot_be_completed_twice(dossier, people):
    step = _active_step(dossier)
    services.complete_step(code=dossier.code, step_id=step.pk, actor=people["cv.tuphap.thanhsen"])

    with pytest.raises(TransitionNotAllowed):
        services.complete_step(code=dossier.code, step_id=step.pk, actor=people["cv.tuphap.thanhsen"])


def test_only_a_leader_assigns_and_only_to_staff_of_the_agency(dossier, people):
    step = _active_step(dossier)
    with pytest.raises(TransitionNotAllowed):
        services.assign_step(
            code=dossier.code,
            step_id=step.pk,
            actor=people["cv.tuphap.thanhsen"],
            assignee=people["ct.thanhsen"],
        )
    with pytest.raises(ValidationFailed):
        services.assign_step(
            code=dossier.code, step_id=step.pk, actor=people["ct.thanhsen"], assignee=people["cv.bhxh"]
        )

    services.assign_step(
        code=dossier.code, step_id=step.pk, actor=people["ct.thanhsen"], assignee=people["cv.tuphap.thanhsen"]
    )
    step.refresh_from_db()
    assert step.assigned_to == people["cv.tuphap.thanhsen"]


def test_a_returned_step_runs_again_as_a_new_attempt_and_keeps_the_first(dossier, people):
    review = _active_step(dossier)
    services.complete_step(
        code=dossier.code, step_id=review.pk, actor=people["cv.tuphap.thanhsen"], now=at("2025-11-03 10:00")
    )
    police = _active_step(dossier, "cu-tru")
    services.complete_step(
        code=dossier.code, step_id=police.pk, actor=people["ca.thanhsen"], now=at("2025-11-03 11:00")
    )
    police_leader = _active_step(dossier, "cu-tru")

    with pytest.raises(ValidationFailed):
        services.return_step(
            code=dossier.code,
            step_id=police_leader.pk,
            to_step_id=police.pk,
            actor=people["ld.ca.thanhsen"],
            reason="",
        )
    again = services.return_step(
        code=dossier.code,
        step_id=police_leader.pk,
        to_step_id=police.pk,
        actor=people["ld.ca.thanhsen"],
        reason="Kiểm tra lại địa chỉ thường trú của mẹ.",
        now=at("2025-11-03 13:30"),
    )

    assert again.attempt == 2 and again.status == StepStatus.ACTIVE
    assert dossier.steps.filter(branch="cu-tru", position=police.position).count() == 2
    police_leader.refresh_from_db()
    assert police_leader.status == StepStatus.RETURNED

    # Done again: the leader's step, which ran before, opens as a new attempt of its own.
    services.complete_step(
        code=dossier.code, step_id=again.pk, actor=people["ca.thanhsen"], now=at("2025-11-03 14:00")
    )
    leader_again = _active_step(dossier, "cu-tru")
    assert (leader_again.position, leader_again.attempt) == (police_leader.position, 2)
    assert leader_again.pk != police_leader.pk and leader_again.started_at == at("2025-11-03 14:00")
    assert dossier.events.filter(action="complete_step", step=again).count() == 1


def test_a_supplement_may_be_requested_only_once_during_processing(dossier, people):
    items = [RequestItem(2, "Giấy tờ chỗ ở chưa hợp lệ.")]
    services.request_supplement(
        code=dossier.code, actor=people["cv.tuphap.thanhsen"], items=items, now=at("2025-11-03 10:00")
    )
    services.receive_supplement(
        code=dossier.code,
        actor=people["motcua.thanhsen"],
        uploads=[pdf()],
        provided=[2],
        now=at("2025-11-04 09:00"),
    )

    with pytest.raises(TransitionNotAllowed) as caught:
        services.request_supplement(code=dossier.code, actor=people["cv.tuphap.thanhsen"], items=items)
    assert caught.value.code == "supplement_already_requested"


@pytest.mark.parametrize(
    ("answered", "status_then", "transferred_at"),
    [
        ("2025-11-04 09:00", Status.IN_PROGRESS, "2025-11-04 09:00"),  # before 15:00: handed over at once
        ("2025-11-04 16:00", Status.RECEIVED, "2025-11-05 07:00"),  # after 15:00: the next working morning
    ],
)
def test_a_supplement_the_desk_asked_before_the_transfer_brings_the_dossier_back_to_the_desk(
    people, points, answered, status_then, transferred_at
):
    officer = people["motcua.thanhsen"]
    dossier = services.receive_dossier(
        data=birth_bundle(), point=points["ttpvhcc-thanhsen"], actor=officer, now=at("2025-11-03 15:30")
    )
    assert dossier.status == Status.RECEIVED  # after 15:00: not transferred yet
    services.request_supplement(
        code=dossier.code,
        actor=officer,
        items=[RequestItem(2, "Thiếu giấy tờ chỗ ở.")],
        now=at("2025-11-03 16:00"),
    )

    services.receive_supplement(
        code=dossier.code, actor=officer, uploads=[pdf("cho-o.pdf", 2)], provided=[2], now=at(answered)
    )
    dossier.refresh_from_db()
    assert dossier.status == status_then
    # Never "in processing" with no step open and nobody to act: the agency gets it by the usual rule.
    assert services.transfer_due_dossiers(now=at("2025-11-04 16:30")) == []
    services.transfer_due_dossiers(now=at("2025-11-05 07:00"))
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and dossier.transferred_at == at(transferred_at)
    assert dossier.steps.filter(status=StepStatus.ACTIVE, agency__code="H42.50.01").exists()
    actions = list(dossier.events.values_list("action", "to_status"))
    assert actions[-3:-1] == [
        ("request_supplement", Status.WAITING_SUPPLEMENT),
        ("receive_supplement_at_desk", Status.RECEIVED),
    ]
    assert actions[-1] == ("transfer", Status.IN_PROGRESS)
    assert dossier.due_at > at(answered)  # the clock restarted from the complete dossier


def test_an_unanswered_request_closes_the_dossier_after_fifteen_working_days(dossier, people):
    services.request_supplement(
        code=dossier.code,
        actor=people["cv.tuphap.thanhsen"],
        items=[RequestItem(2, "Thiếu giấy tờ chỗ ở.")],
        now=at("2025-11-03 10:00"),
    )

    assert services.abandon_unanswered(now=at("2025-11-21 16:00")) == []
    assert services.abandon_unanswered(now=at("2025-11-24 11:00")) == [dossier.code]
    dossier.refresh_from_db()
    assert dossier.status == Status.ABANDONED


def test_a_late_dossier_gets_one_apology_and_statistics_keep_the_first_promise(dossier, people):
    original = dossier.due_at
    services.issue_apology(
        code=dossier.code,
        actor=people["cv.tuphap.thanhsen"],
        reason="Cần xác minh thông tin cư trú của người mẹ.",
        new_due_at=at("2025-11-12 16:00"),
        signer_name="Tạ Văn Nam",
        signer_title="Chủ tịch UBND phường",
        now=at("2025-11-05 09:00"),
    )
    with pytest.raises(TransitionNotAllowed) as caught:
        services.issue_apology(
            code=dossier.code,
            actor=people["cv.tuphap.thanhsen"],
            reason="Lần hai",
            new_due_at=at("2025-11-20 16:00"),
        )
    assert caught.value.code == "apology_already_issued"

    for _ in range(10):
        step = dossier.steps.filter(status=StepStatus.ACTIVE).exclude(role="counter_officer").first()
        if step is None:
            break
        actor = {
            "H42.50.01": people["ct.thanhsen"],
            "H42.30.01": people["ld.ca.thanhsen"],
            "H42.32": people["ld.bhxh"],
        }[step.agency.code]
        services.complete_step(code=dossier.code, step_id=step.pk, actor=actor, now=at("2025-11-11 09:00"))
    services.mark_result_ready(
        code=dossier.code, actor=people["ct.thanhsen"], results=[], now=at("2025-11-11 10:00")
    )
    services.hand_over_result(code=dossier.code, actor=people["motcua.thanhsen"], now=at("2025-11-11 14:00"))

    dossier.refresh_from_db()
    assert dossier.original_due_at == original and dossier.due_at == at("2025-11-12 16:00")
    assert dossier.outcome == "late"
    late_steps = dossier.steps.filter(outcome="late").values_list("agency__code", flat=True)
    assert set(late_steps) >= {"H42.50.01"}


def test_an_apology_must_move_the_date_later_and_come_from_the_holding_agency(dossier, people):
    with pytest.raises(ValidationFailed):
        services.issue_apology(
            code=dossier.code,
            actor=people["cv.tuphap.thanhsen"],
            reason="x",
            new_due_at=at("2025-11-04 09:00"),
        )
    with pytest.raises(NotFound):
        services.issue_apology(
            code=dossier.code, actor=people["cv.bhxh"], reason="x", new_due_at=at("2025-11-20 09:00")
        )


def test_refusal_during_processing_closes_every_open_step(dossier, people):
    services.refuse_dossier(
        code=dossier.code,
        actor=people["cv.tuphap.thanhsen"],
        reasons="Giấy chứng sinh không hợp lệ.",
        now=at("2025-11-03 10:00"),
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED and dossier.finished_at == at("2025-11-03 10:00")
    assert not dossier.steps.filter(status__in=[StepStatus.ACTIVE, StepStatus.PENDING]).exists()


def test_a_stop_is_possible_only_while_no_result_exists(dossier, people):
    services.stop_dossier(
        code=dossier.code, actor=people["motcua.thanhsen"], reason="Công dân xin rút hồ sơ."
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED

    with pytest.raises(TransitionNotAllowed):
        services.stop_dossier(code=dossier.code, actor=people["motcua.thanhsen"], reason="again")


def test_the_result_cannot_be_ready_or_handed_over_before_the_steps_are_done(dossier, people):
    with pytest.raises(TransitionNotAllowed) as caught:
        services.mark_result_ready(code=dossier.code, actor=people["ct.thanhsen"], results=[])
    assert caught.value.code == "steps_not_done"
    with pytest.raises(TransitionNotAllowed):
        services.hand_over_result(code=dossier.code, actor=people["motcua.thanhsen"])


def test_on_the_spot_certification_is_received_decided_and_returned_at_once(people, points):
    data = birth_bundle(procedure_code="2.000815", provided=[0], uploads=[pdf("ban-chinh.pdf", 0)])

    dossier = services.handle_on_the_spot(
        data=data,
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        results=[pdf("ban-sao.pdf")],
        now=at("2025-11-03 10:00"),
    )

    assert dossier.status == Status.RETURNED and dossier.outcome == "on_time"
    assert dossier.code.startswith("H42.50.01-251103-")
    assert dossier.events.filter(action="hand_over").exists()
    assert dossier.files.filter(kind="result").count() == 1
