"""Money paid online given back through the gateway: recorded only on its signed confirmation."""

from __future__ import annotations

import pytest

from motcua.api.tests.conftest import Staff
from motcua.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import StepStatus
from motcua.payments import services
from motcua.payments.gateway_client import GatewayUnavailable
from motcua.payments.models import DossierFees, GatewayNotice, Refund
from motcua.payments.rules import NotAllowed
from motcua.payments.services.gateway_refund import GatewayRefused

from .conftest import at, business, staff_client

REASON = "Hồ sơ bị từ chối trước khi giải quyết"


def _refuse(dossier, people) -> None:
    dossier.steps.get(status=StepStatus.ACTIVE)
    dossier_services.refuse_dossier(
        code=dossier.code,
        actor=people["cv.dkkd"],
        reasons="Tên doanh nghiệp trùng.",
        now=at("2025-11-03 10:00"),
    )


@pytest.fixture
def paid_online(people, points, gateway, clock):
    """A business registration (150.000 đ) paid online through the gateway, then refused."""
    dossier = business(people, points)
    order = services.start_online_payment(code=dossier.code, secret=dossier.lookup_secret)
    gateway.paid_without_callback(order.pay_url)
    services.reconcile_order(order.payment)
    _refuse(dossier, people)
    clock.set("2025-11-03 11:00")
    dossier.refresh_from_db()
    return dossier


def _state(dossier) -> tuple:
    fees = DossierFees.objects.get(dossier=dossier)
    dossier.refresh_from_db()
    return fees.refunded_vnd, Refund.objects.count(), dossier.version, dossier.events.count()


def test_the_desk_refunds_an_online_payment_through_the_gateway(paid_online, gateway, people):
    officer = people["motcua.tuphap"]

    refund = services.refund_through_gateway(code=paid_online.code, actor=officer, reason=REASON)

    assert (refund.amount_vnd, refund.method, refund.refunded_by) == (150_000, "gateway", officer)
    assert refund.reference.startswith("RF") and refund.payment.method == "online"
    assert DossierFees.objects.get(dossier=paid_online).refunded_vnd == 150_000
    event = paid_online.events.get(action="refund_fee")
    assert event.data["refund_transaction_id"] == refund.reference and event.data["method"] == "gateway"
    path, request = gateway.received[-1]
    assert path == "/refund" and request["refund_id"] == f"{refund.payment.order_id}-1"
    assert request["amount"] == "150000" and request["transaction_id"] == refund.payment.reference
    assert GatewayNotice.objects.filter(source="refund", outcome="recorded").count() == 1
    with pytest.raises(ValidationFailed) as nothing_left:
        services.refund_through_gateway(code=paid_online.code, actor=officer, reason=REASON)
    assert nothing_left.value.code == "nothing_paid"


def test_a_refund_the_gateway_refuses_records_nothing_and_says_why(paid_online, gateway, people):
    before = _state(paid_online)
    gateway.refund_choice = "Tài khoản đơn vị không đủ số dư"

    with pytest.raises(GatewayRefused) as refused:
        services.refund_through_gateway(code=paid_online.code, actor=people["motcua.tuphap"], reason=REASON)

    assert "Cổng thanh toán không hoàn tiền: Tài khoản đơn vị không đủ số dư" in refused.value.message
    assert _state(paid_online) == before
    logged = GatewayNotice.objects.get(source="refund")
    assert (logged.outcome, logged.code) == ("refused", "gateway_refund_failed")


@pytest.mark.parametrize("how", ["forged", "http 500"])
def test_an_answer_that_cannot_be_trusted_records_nothing(paid_online, gateway, people, how):
    before = _state(paid_online)
    if how == "forged":
        gateway.answer_key = "not-the-shared-key"
    else:
        gateway.status_override = 500

    with pytest.raises(GatewayUnavailable) as failed:
        services.refund_through_gateway(code=paid_online.code, actor=people["motcua.tuphap"], reason=REASON)

    assert failed.value.code == ("invalid_signature" if how == "forged" else "gateway_unavailable")
    assert _state(paid_online) == before


def test_a_refund_sent_again_after_a_timeout_is_made_and_recorded_once(
    paid_online, gateway, people, settings
):
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY_TIMEOUT": 0.3}
    gateway.delay = 1.0  # the gateway refunds, but its answer comes too late
    officer = people["motcua.tuphap"]

    with pytest.raises(GatewayUnavailable):
        services.refund_through_gateway(code=paid_online.code, actor=officer, reason=REASON)
    gateway.delay = 0
    refund = services.refund_through_gateway(code=paid_online.code, actor=officer, reason=REASON)

    first, second = (fields for path, fields in gateway.received if path == "/refund")
    assert first["refund_id"] == second["refund_id"]  # the same request: the gateway pays once
    order = gateway.orders[refund.payment.order_id]
    assert list(order["refunds"].values()) == [refund.reference]
    assert Refund.objects.count() == 1


def test_only_the_desk_refunds_online_payments_and_only_as_the_rules_allow(
    paid_online, gateway, people, settings
):
    with pytest.raises(NotFound):
        services.refund_through_gateway(code=paid_online.code, actor=people["motcua.thanhsen"], reason=REASON)
    with pytest.raises(NotAllowed):
        services.refund_through_gateway(code=paid_online.code, actor=people["cv.dkkd"], reason=REASON)
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_REFUND": "never"}
    with pytest.raises(TransitionNotAllowed):
        services.refund_through_gateway(code=paid_online.code, actor=people["motcua.tuphap"], reason=REASON)
    assert not any(path == "/refund" for path, _fields in gateway.received)


def test_with_gateway_refunds_off_the_desk_refund_is_the_only_way(paid_online, gateway, people, settings):
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY_REFUND_URL": ""}
    desk = staff_client(people["motcua.tuphap"])

    with pytest.raises(TransitionNotAllowed) as off:
        services.refund_through_gateway(code=paid_online.code, actor=people["motcua.tuphap"], reason=REASON)
    html = desk.get(f"/can-bo/ho-so/{paid_online.code}/").content.decode()
    refund = services.refund_fee(
        code=paid_online.code, actor=people["motcua.tuphap"], reason=REASON, method="transfer"
    )

    assert off.value.code == "gateway_refund_off"
    assert 'id="refund-online"' not in html and 'id="refund-fee"' in html
    assert refund.method == "transfer" and refund.reference == ""


def test_money_paid_at_the_counter_is_not_refunded_through_the_gateway(dossier, gateway, people):
    officer = people["motcua.tuphap"]
    services.collect_fee(code=dossier.code, actor=officer, method="cash")
    _refuse(dossier, people)

    with pytest.raises(ValidationFailed) as cash:
        services.refund_through_gateway(code=dossier.code, actor=officer, reason=REASON)

    assert cash.value.code == "no_online_payment"


def test_the_officer_refunds_through_the_gateway_from_the_dossier_page(paid_online, gateway, people):
    desk = staff_client(people["motcua.tuphap"])
    url = f"/can-bo/ho-so/{paid_online.code}/hoan-tra-qua-cong/"
    assert 'id="refund-online"' in desk.get(f"/can-bo/ho-so/{paid_online.code}/").content.decode()

    gateway.refund_choice = "Giao dịch đã quá hạn hoàn tiền"
    refused = desk.post(url, {"reason": REASON, "expected_version": paid_online.version})
    gateway.refund_choice = "refunded"
    done = desk.post(url, {"reason": REASON, "expected_version": paid_online.version}, follow=True)

    assert refused.status_code == 409 and "Giao dịch đã quá hạn hoàn tiền" in refused.content.decode()
    assert "Đã hoàn trả 150.000 đ qua cổng thanh toán" in done.content.decode()
    paid_online.refresh_from_db()
    specialist = staff_client(people["cv.dkkd"])
    assert specialist.post(url, {"reason": "x", "expected_version": paid_online.version}).status_code == 403


def test_staff_refund_through_the_gateway_over_the_api(paid_online, gateway, people):
    staff = Staff(people)
    url = f"/api/v1/payments/dossiers/{paid_online.code}/refund-online"

    done = staff["motcua.tuphap"].post(url, {"reason": REASON}, key="refund-1")
    replayed = staff["motcua.tuphap"].post(url, {"reason": REASON}, key="refund-1")

    assert done.status_code == 201 and done.json()["method"] == "gateway"
    assert done.json()["reference"].startswith("RF") and replayed.json() == done.json()
    assert Refund.objects.count() == 1
