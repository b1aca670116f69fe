"""Asking the gateway about orders whose callback was lost: one order, the sweeper, the pages, the API."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.api.tests.conftest import Staff
from motcua.core.errors import ValidationFailed
from motcua.notify.models import OutboxMessage
from motcua.payments import services
from motcua.payments.gateway_client import GatewayUnavailable
from motcua.payments.models import DossierFees, GatewayNotice, Payment

from .conftest import residence_online, staff_client

MINUTE = dt.timedelta(minutes=1)


def _state(dossier) -> tuple:
    """Everything an answer from the gateway could change."""
    fees = DossierFees.objects.filter(dossier=dossier).values_list("paid_vnd", "settled_at").first()
    payments = list(
        Payment.objects.filter(dossier=dossier).values_list("status", "receipt_number", "reference")
    )
    dossier.refresh_from_db()
    return fees, payments, dossier.version, dossier.events.count(), OutboxMessage.objects.count()


@pytest.fixture
def waiting(people, points, gateway, clock):
    """An order the citizen opened at 09:00; whether she paid is the test's business."""
    dossier = residence_online(people, points)
    return dossier, services.start_online_payment(code=dossier.code, actor=people["citizen"])


def test_a_paid_order_whose_callback_was_lost_is_recorded_once_by_asking(waiting, gateway, clock):
    dossier, order = waiting
    lost = gateway.paid_without_callback(order.pay_url)
    clock.set("2025-11-03 09:20")

    asked = services.reconcile_order(order.payment)
    after_query = _state(dossier)
    # The gateway's own callback arrives at last, signed anew: it changes nothing.
    late = {**lost, "timestamp": str(int(clock.now.timestamp()))}
    late["signature"] = gateway.signed({k: v for k, v in late.items() if k != "signature"})["signature"]
    callback = Client().post("/api/v1/payments/callback", json.dumps(late), content_type="application/json")

    assert asked.outcome == "recorded" and gateway.errors == []
    assert callback.status_code == 200 and callback.json()["result"] == "repeated"
    assert _state(dossier) == after_query
    payment = Payment.objects.get(pk=order.payment.pk)
    assert (payment.status, payment.reference, payment.receipt) == (
        "paid",
        lost["transaction_id"],
        "BL-25E 0000001",
    )
    fees = DossierFees.objects.get(dossier=dossier)
    assert (fees.paid_vnd, fees.settled_online) == (10_000, True)
    assert dossier.events.filter(action="pay_online").count() == 1
    assert OutboxMessage.objects.filter(kind="fee_paid").count() == 2  # SMS and e-mail, once
    assert list(GatewayNotice.objects.order_by("pk").values_list("source", "outcome")) == [
        ("query", "recorded"),
        ("callback", "repeated"),
    ]
    path, query = gateway.received[0]
    assert path == "/query" and query["order_id"] == payment.order_id and query["amount"] == "10000"


def test_an_order_still_open_at_the_gateway_changes_nothing(waiting, gateway, clock):
    dossier, order = waiting
    before = _state(dossier)
    clock.set("2025-11-03 09:05")

    asked = services.reconcile_order(order.payment)

    assert asked.outcome == "pending"
    assert _state(dossier) == before
    assert Payment.objects.get(pk=order.payment.pk).status == "pending"
    assert list(GatewayNotice.objects.values_list("source", "outcome")) == [("query", "pending")]


def _break(gateway, settings, how: str) -> None:
    if how == "forged":
        gateway.answer_key = "not-the-shared-key"
    elif how == "timeout":
        gateway.delay = 1.0
        settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY_TIMEOUT": 0.2}
    elif how == "http 503":
        gateway.status_override = 503
    elif how == "unreachable":
        settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY_QUERY_URL": "http://127.0.0.1:9/query"}
    elif how == "stale":
        gateway.clock = lambda: 1_000_000_000  # 2001: an answer recorded long ago, played back


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ("forged", "invalid_signature"),
        ("timeout", "gateway_unavailable"),
        ("http 503", "gateway_unavailable"),
        ("unreachable", "gateway_unavailable"),
        ("stale", "stale_notice"),
    ],
)
def test_a_gateway_that_cannot_be_trusted_or_reached_changes_nothing(
    waiting, gateway, clock, settings, caplog, how, code
):
    dossier, order = waiting
    gateway.paid_without_callback(order.pay_url)
    before = _state(dossier)
    _break(gateway, settings, how)

    with (
        caplog.at_level(logging.WARNING, logger="motcua.payments.gateway"),
        pytest.raises(GatewayUnavailable) as failed,
    ):
        services.reconcile_order(order.payment)

    assert failed.value.code == code and failed.value.status == 502
    assert "không thay đổi" in failed.value.message.lower()  # said in Vietnamese: nothing was changed
    assert _state(dossier) == before
    assert order.payment.order_id in caplog.text


def test_the_sweeper_asks_only_about_old_orders_and_goes_on_after_a_failure(people, points, gateway, clock):
    def order_at(time: str, *, paid: bool, amount: str | None = None) -> Payment:
        clock.set(time)
        dossier = residence_online(people, points, when="2025-11-03 07:00")
        order = services.start_online_payment(code=dossier.code, actor=people["citizen"])
        if paid:
            notice = gateway.paid_without_callback(order.pay_url)
            if amount:  # the gateway reports another amount: refused for this order only
                gateway.orders[notice["order_id"]]["amount"] = amount
        return order.payment

    broken = order_at("2025-11-03 08:30", paid=True, amount="1")
    lost = order_at("2025-11-03 08:40", paid=True)
    abandoned = order_at("2025-11-03 08:41", paid=False)  # never reached the gateway; expired since
    young = order_at("2025-11-03 08:55", paid=True)
    clock.set("2025-11-03 09:00")
    out, err = io.StringIO(), io.StringIO()

    call_command("payments_reconcile", stdout=out, stderr=err)

    asked = [fields["order_id"] for path, fields in gateway.received]
    assert asked == [broken.order_id, lost.order_id, abandoned.order_id]  # oldest first; not the young one
    assert "asked: 3; recorded: 2; still open: 0; failed: 1" in out.getvalue()
    assert f"{broken.order_id}: amount_mismatch" in err.getvalue()
    statuses = {p.pk: p.status for p in Payment.objects.all()}
    assert statuses[broken.pk] == "pending" and statuses[young.pk] == "pending"
    assert statuses[lost.pk] == "paid" and statuses[abandoned.pk] == "failed"

    clock.set("2025-11-03 09:20")
    again = services.reconcile_waiting()
    assert again.recorded == [young.order_id] and [o for o, _code in again.failed] == [broken.order_id]


def test_the_sweeper_does_nothing_without_gateway_addresses(people, points, gateway, clock, settings):
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY_QUERY_URL": "", "PAYMENT_GATEWAY_REFUND_URL": ""}
    out = io.StringIO()

    call_command("payments_reconcile", stdout=out)

    assert "nothing to do" in out.getvalue() and gateway.received == []


def test_the_desk_checks_with_the_gateway_from_the_dossier_page(waiting, gateway, people, clock):
    dossier, order = waiting
    page = f"/can-bo/ho-so/{dossier.code}/"
    url = f"/can-bo/ho-so/{dossier.code}/hoi-cong-thanh-toan/"
    desk = staff_client(people["motcua.thanhsen"])
    assert 'id="check-gateway"' in desk.get(page).content.decode()

    still_open = desk.post(url, follow=True).content.decode()
    too_soon = desk.post(url, follow=True).content.decode()
    gateway.paid_without_callback(order.pay_url)
    clock.set("2025-11-03 09:01")
    paid = desk.post(url, follow=True).content.decode()

    assert "Cổng thanh toán cho biết giao dịch vẫn đang chờ" in still_open
    assert "vừa được hỏi" in too_soon and len(gateway.received) == 2  # the second click asked nothing
    assert "Cổng thanh toán xác nhận đã thanh toán 10.000 đ" in paid and "BL-25E 0000001" in paid
    assert Payment.objects.get(pk=order.payment.pk).status == "paid"
    assert 'id="check-gateway"' not in desk.get(page).content.decode()


def test_only_the_desk_that_received_the_dossier_asks_the_gateway(waiting, gateway, people):
    dossier, _order = waiting
    url = f"/can-bo/ho-so/{dossier.code}/hoi-cong-thanh-toan/"
    specialist = staff_client(people["cv.tuphap.thanhsen"])

    assert 'id="check-gateway"' not in specialist.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert specialist.post(url).status_code == 403
    assert staff_client(people["motcua.tuphap"]).post(url).status_code == 404  # another desk's dossier
    assert staff_client(people["citizen"]).post(url).status_code in (302, 404)
    assert gateway.received == []


def test_the_citizens_waiting_page_asks_the_gateway_once_it_has_waited(waiting, gateway, clock):
    _dossier, order = waiting
    page = f"/thanh-toan/ket-qua/{order.payment.order_id}/"
    gateway.paid_without_callback(order.pay_url)

    clock.set("2025-11-03 09:00:10")
    early = Client().get(page).content.decode()
    assert "Chưa thanh toán" in early and gateway.received == []  # a callback may still come

    clock.set("2025-11-03 09:01")
    paid = Client().get(page).content.decode()
    assert "Đã thanh toán" in paid and len(gateway.received) == 1
    Client().get(page)
    assert len(gateway.received) == 1  # paid now: nothing more to ask


def test_the_waiting_page_does_not_hammer_the_gateway(waiting, gateway, clock):
    _dossier, order = waiting
    page = f"/thanh-toan/ket-qua/{order.payment.order_id}/"
    clock.set("2025-11-03 09:01")

    for _ in range(5):  # the page reloads itself every 5 s
        Client().get(page)

    assert len(gateway.received) == 1 and Payment.objects.get(pk=order.payment.pk).status == "pending"


def test_staff_ask_the_gateway_over_the_api(waiting, gateway, people, clock):
    dossier, order = waiting
    staff = Staff(people)
    url = f"/api/v1/payments/dossiers/{dossier.code}/check-gateway"
    gateway.paid_without_callback(order.pay_url)

    specialist = staff["cv.tuphap.thanhsen"].post(url, {})
    gateway.status_override = 503
    down = staff["motcua.thanhsen"].post(url, {})
    gateway.status_override = 0
    clock.set("2025-11-03 09:02")
    done = staff["motcua.thanhsen"].post(url, {}, key="check-1")
    replayed = staff["motcua.thanhsen"].post(url, {}, key="check-1")

    assert specialist.status_code == 403 and specialist.json()["error"]["code"] == "counter_only"
    assert down.status_code == 502 and down.json()["error"]["code"] == "gateway_unavailable"
    assert done.status_code == 200 and done.json() == {
        "result": "recorded",
        "order_id": order.payment.order_id,
        "status": "paid",
        "receipt": "BL-25E 0000001",
    }
    assert replayed.json() == done.json() and len(gateway.received) == 2


def test_a_dossier_without_an_online_order_has_nothing_to_check(dossier, gateway, people):
    with pytest.raises(ValidationFailed) as nothing:
        services.check_with_gateway(code=dossier.code, actor=people["motcua.tuphap"])

    assert nothing.value.code == "no_online_order"
