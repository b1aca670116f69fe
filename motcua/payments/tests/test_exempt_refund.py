"""Exemptions and reductions by leaders only; refunds of refused or stopped dossiers, as the rule says."""

from __future__ import annotations

import pytest

from motcua.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import StepStatus
from motcua.payments import services
from motcua.payments.models import DossierFees, FeeExemption, Refund
from motcua.payments.rules import NotAllowed

from .conftest import at

BASIS = "Thông tư số 47/2019/TT-BTC"


def test_a_leader_of_the_handling_agency_or_the_director_exempts_and_nobody_else(dossier, people):
    for outsider in (people["stranger"], people["ct.thanhsen"]):  # ct.thanhsen leads another agency
        with pytest.raises(NotFound):
            services.exempt_fee(code=dossier.code, actor=outsider, reason="x", legal_basis=BASIS)
    for staff in (people["motcua.tuphap"], people["cv.dkkd"]):  # they see it, but are not leaders
        with pytest.raises(NotAllowed) as refused:
            services.exempt_fee(code=dossier.code, actor=staff, reason="x", legal_basis=BASIS)
        assert refused.value.code == "leaders_only"
    assert not FeeExemption.objects.exists()

    reduced = services.exempt_fee(
        code=dossier.code, actor=people["tp.dkkd"], amount_vnd=50_000, reason="Hộ nghèo", legal_basis=BASIS
    )
    rest = services.exempt_fee(
        code=dossier.code, actor=people["giamdoc.ttpvhcc"], reason="Người khuyết tật", legal_basis=BASIS
    )

    assert (reduced.amount_vnd, rest.amount_vnd) == (50_000, 100_000)
    assert [line["position"] for line in rest.lines] == [2]
    fees = DossierFees.objects.get(dossier=dossier)
    assert fees.settled and fees.exempted_vnd == 150_000 and fees.paid_vnd == 0
    events = dossier.events.filter(action="exempt_fee")
    assert events.count() == 2 and not any(e.public for e in events)  # the reason may be personal


def test_an_exemption_states_its_reason_and_legal_basis_and_stays_within_what_is_due(dossier, people):
    leader = people["tp.dkkd"]
    with pytest.raises(ValidationFailed) as no_reason:
        services.exempt_fee(code=dossier.code, actor=leader, reason=" ", legal_basis=BASIS)
    with pytest.raises(ValidationFailed) as no_basis:
        services.exempt_fee(code=dossier.code, actor=leader, reason="Hộ nghèo", legal_basis="")
    with pytest.raises(ValidationFailed) as too_much:
        services.exempt_fee(
            code=dossier.code, actor=leader, reason="x", legal_basis=BASIS, amount_vnd=150_001
        )

    assert (no_reason.value.code, no_basis.value.code, too_much.value.code) == (
        "reason_required",
        "legal_basis_required",
        "more_than_due",
    )
    assert not FeeExemption.objects.exists()


def test_a_fully_exempted_dossier_is_handed_over_without_payment(dossier, people):
    services.exempt_fee(code=dossier.code, actor=people["tp.dkkd"], reason="Hộ nghèo", legal_basis=BASIS)
    for _ in range(5):
        step = dossier.steps.filter(status=StepStatus.ACTIVE).exclude(role="counter_officer").first()
        if step is None:
            break
        dossier_services.complete_step(code=dossier.code, step_id=step.pk, actor=people["tp.dkkd"])
    dossier_services.mark_result_ready(code=dossier.code, actor=people["cv.dkkd"], results=[])

    dossier_services.hand_over_result(code=dossier.code, actor=people["motcua.tuphap"])

    dossier.refresh_from_db()
    assert dossier.status == "returned"


def _refuse(dossier, people, when: str = "2025-11-03 10:00"):
    step = dossier.steps.get(status=StepStatus.ACTIVE)
    dossier_services.refuse_dossier(
        code=dossier.code, actor=people["cv.dkkd"], reasons="Tên doanh nghiệp trùng.", now=at(when)
    )
    return step


def test_fees_of_a_dossier_refused_before_any_work_are_refunded_by_the_desk(dossier, people):
    officer = people["motcua.tuphap"]
    services.collect_fee(code=dossier.code, actor=officer, method="cash", now=at("2025-11-03 09:05"))
    with pytest.raises(TransitionNotAllowed) as still_open:
        services.refund_fee(code=dossier.code, actor=officer, reason="x")
    _refuse(dossier, people)

    with pytest.raises(ValidationFailed) as too_much:
        services.refund_fee(code=dossier.code, actor=officer, reason="Từ chối", amount_vnd=200_000)
    with pytest.raises(NotAllowed):
        services.refund_fee(code=dossier.code, actor=people["cv.dkkd"], reason="Từ chối")
    refund = services.refund_fee(
        code=dossier.code,
        actor=officer,
        reason="Hồ sơ bị từ chối",
        method="transfer",
        now=at("2025-11-03 11:00"),
    )

    assert still_open.value.code == "refund_not_allowed" and too_much.value.code == "more_than_paid"
    assert (refund.amount_vnd, refund.method, refund.refunded_by) == (150_000, "transfer", officer)
    fees = DossierFees.objects.get(dossier=dossier)
    assert (fees.paid_vnd, fees.refunded_vnd) == (150_000, 150_000)
    with pytest.raises(ValidationFailed) as nothing_left:
        services.refund_fee(code=dossier.code, actor=officer, reason="again")
    assert nothing_left.value.code == "nothing_paid"
    assert dossier.events.filter(action="refund_fee").count() == 1


def test_no_refund_once_the_agency_has_worked_on_it_or_where_the_province_refunds_nothing(
    dossier, people, settings
):
    officer = people["motcua.tuphap"]
    services.collect_fee(code=dossier.code, actor=officer, method="cash")
    step = dossier.steps.get(status=StepStatus.ACTIVE)
    dossier_services.complete_step(code=dossier.code, step_id=step.pk, actor=people["cv.dkkd"])
    _refuse(dossier, people)

    with pytest.raises(TransitionNotAllowed) as worked:
        services.refund_fee(code=dossier.code, actor=officer, reason="Từ chối")
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_REFUND": "never"}
    with pytest.raises(TransitionNotAllowed) as never:
        services.refund_fee(code=dossier.code, actor=officer, reason="Từ chối")
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_REFUND": "ended"}
    refund = services.refund_fee(code=dossier.code, actor=officer, reason="Từ chối")

    assert (worked.value.code, never.value.code) == ("work_already_done", "no_refunds")
    assert refund.amount_vnd == 150_000 and Refund.objects.count() == 1
