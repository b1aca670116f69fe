"""Gateway refunds whose answer was lost: sent again (same id), rate limited, then left to the desk."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from motcua.payments import services
from motcua.payments.gateway_client import GatewayUnavailable
from motcua.payments.models import DossierFees, Refund, RefundRequest

from .conftest import at, paid_online_then_refused, staff_client

REASON = "Hồ sơ bị từ chối trước khi giải quyết"


@pytest.fixture
def timed_out(people, points, gateway, clock, settings):
    """A refused business registration paid online (150.000 đ) whose gateway refund answer was lost."""
    dossier = paid_online_then_refused(people, points, gateway)
    clock.set("2025-11-03 11:00")
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY_TIMEOUT": 0.3, "PAYMENT_REFUND_ATTEMPTS": 3}
    gateway.delay = 1.0  # the gateway refunds, but its answer comes too late
    with pytest.raises(GatewayUnavailable):
        services.refund_through_gateway(code=dossier.code, actor=people["motcua.tuphap"], reason=REASON)
    gateway.delay = 0
    return dossier


def _refund_calls(gateway) -> list[str]:
    return [fields["refund_id"] for path, fields in gateway.received if path == "/refund"]


def test_the_sweeper_records_a_refund_whose_answer_was_lost_once(timed_out, gateway, clock, people):
    request = RefundRequest.objects.get()
    assert (request.status, request.attempts) == ("pending", 1)
    clock.set("2025-11-03 11:05")
    out = io.StringIO()

    call_command("payments_reconcile", stdout=out)
    call_command("payments_reconcile", stdout=out)  # nothing left to send

    assert "refunds sent again: 1; refunded: 1" in out.getvalue()
    assert "refunds sent again: 0; refunded: 0" in out.getvalue()
    assert _refund_calls(gateway) == [request.refund_id, request.refund_id]
    refund = Refund.objects.get()
    assert refund.refunded_by == people["motcua.tuphap"] and refund.request == request
    assert DossierFees.objects.get(dossier=timed_out).refunded_vnd == 150_000
    assert timed_out.events.filter(action="refund_fee").count() == 1


def test_a_refund_waiting_is_not_refunded_twice_at_the_desk(timed_out, people):
    officer = people["motcua.tuphap"]

    with pytest.raises(Exception) as desk:
        services.refund_fee(code=timed_out.code, actor=officer, reason=REASON, method="cash")

    assert getattr(desk.value, "code", "") == "refund_pending"


def test_the_sweeper_sends_once_per_order_per_interval_and_stops_after_the_attempts(
    timed_out, gateway, clock, people
):
    gateway.status_override = 503
    request = RefundRequest.objects.get()

    clock.set("2025-11-03 11:05:00")
    first = services.resend_waiting_refunds()
    RefundRequest.objects.filter(pk=request.pk).update(last_attempt_at=at("2025-11-03 11:00"))
    clock.set("2025-11-03 11:05:10")  # the same 30 s window: the order was asked a moment ago
    second = services.resend_waiting_refunds()
    clock.set("2025-11-03 11:10")
    third = services.resend_waiting_refunds()
    clock.set("2025-11-03 11:15")
    fourth = services.resend_waiting_refunds()

    assert (first.sent, first.failed) == (1, [(request.refund_id, "gateway_unavailable")])
    assert (second.sent, second.skipped) == (0, 1)
    assert third.sent == 1 and fourth.sent == 0  # 3 attempts in all: the first click and two re-sends
    assert len(_refund_calls(gateway)) == 3
    request.refresh_from_db()
    assert (request.status, request.attempts) == ("pending", 3)
    desk = staff_client(people["motcua.tuphap"])
    assert 'id="refunds-attention"' in desk.get("/can-bo/thu-phi/").content.decode()
    page = desk.get(f"/can-bo/ho-so/{timed_out.code}/").content.decode()
    assert "Cần xử lý: cổng thanh toán chưa xác nhận khoản hoàn trả này" in page

    gateway.status_override = 0
    refund = services.send_refund_again(
        code=timed_out.code, actor=people["motcua.tuphap"], refund_id=request.refund_id
    )

    assert set(_refund_calls(gateway)) == {request.refund_id} and refund.amount_vnd == 150_000


def test_the_officers_second_click_sends_the_same_request(timed_out, gateway, people):
    officer = people["motcua.tuphap"]

    with pytest.raises(Exception) as other_amount:
        services.refund_through_gateway(code=timed_out.code, actor=officer, reason=REASON, amount_vnd=1000)
    refund = services.refund_through_gateway(code=timed_out.code, actor=officer, reason=REASON)

    assert getattr(other_amount.value, "code", "") == "refund_pending"
    assert len(set(_refund_calls(gateway))) == 1 and RefundRequest.objects.count() == 1
    assert refund.amount_vnd == 150_000
