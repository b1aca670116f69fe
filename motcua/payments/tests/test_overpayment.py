"""A payment the gateway confirms after the desk took the money: kept on the books and given back once."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from motcua.api.tests.conftest import Staff
from motcua.notify.models import OutboxMessage
from motcua.payments import services
from motcua.payments.models import DossierFees, GatewayNotice, Payment, Refund, RefundRequest

from .conftest import residence_online, staff_client

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def late(people, points, gateway, clock):
    """The citizen paid online (the confirmation lost) while the desk took 10.000 đ in cash."""
    dossier = residence_online(people, points)
    order = services.start_online_payment(code=dossier.code, actor=people["citizen"])
    lost = gateway.paid_without_callback(order.pay_url)
    services.collect_fee(code=dossier.code, actor=people["motcua.thanhsen"], method="cash")
    clock.set("2025-11-03 09:10")
    return dossier, order.payment, lost


def _signed_now(gateway, fields: dict) -> dict:
    """The gateway's notice delivered again: signed anew at its own moment, as each retry is."""
    values = {k: v for k, v in fields.items() if k not in ("signature", "timestamp")}
    return gateway.signed(values)


def _deliver(how: str, gateway, payment: Payment, fields: dict) -> None:
    if how == "callback":
        body = json.dumps(_signed_now(gateway, fields))
        answer = Client().post("/api/v1/payments/callback", body, content_type="application/json")
        assert answer.status_code == 200, answer.content
    elif how == "return":
        query = urlencode(_signed_now(gateway, fields))
        assert Client().get(f"/thanh-toan/ket-qua/{payment.order_id}/?{query}").status_code == 200
    else:
        services.reconcile_order(Payment.objects.get(pk=payment.pk))


def _books(dossier) -> tuple:
    fees = DossierFees.objects.get(dossier=dossier)
    return (
        fees.paid_vnd,
        fees.refunded_vnd,
        Refund.objects.count(),
        RefundRequest.objects.count(),
        OutboxMessage.objects.filter(source__startswith="overpaid:").count(),
        dossier.events.count(),
    )


@pytest.mark.parametrize("first", ["callback", "return", "query"])
def test_a_late_confirmation_is_recorded_as_overpaid_and_refunded_once_whatever_comes_first(
    late, gateway, clock, first
):
    dossier, payment, lost = late

    _deliver(first, gateway, payment, lost)
    after_first = _books(dossier)
    clock.set("2025-11-03 09:12")
    for again in ("callback", "return", "query"):
        _deliver(again, gateway, payment, lost)

    assert _books(dossier) == after_first
    payment.refresh_from_db()
    assert (payment.status, payment.reference, payment.receipt) == ("overpaid", lost["transaction_id"], "")
    fees = DossierFees.objects.get(dossier=dossier)
    assert (fees.paid_vnd, fees.refunded_vnd) == (10_000, 0)  # the fees: paid once, at the desk
    refund = Refund.objects.get()
    assert (refund.payment, refund.method, refund.amount_vnd, refund.refunded_by) == (
        payment,
        "gateway",
        10_000,
        None,
    )
    refunds = [fields for path, fields in gateway.received if path == "/refund"]
    assert [r["refund_id"] for r in refunds] == [f"{payment.order_id}-1"]
    assert list(gateway.orders[payment.order_id]["refunds"].values()) == [refund.reference]
    request = RefundRequest.objects.get()
    assert (request.status, request.confirmed, request.overpayment) == ("refunded", refund, True)


def test_the_overpayment_leaves_events_and_tells_the_citizen(late, gateway, clock):
    dossier, payment, lost = late

    _deliver("callback", gateway, payment, lost)

    received = dossier.events.get(action="pay_online")
    assert received.data["overpaid"] is True and not received.public
    note = dossier.events.get(action="refund_overpayment")
    assert note.data["refund_transaction_id"] == Refund.objects.get().reference and not note.public
    assert "nộp thừa" in note.comment
    messages = OutboxMessage.objects.filter(source=f"overpaid:{payment.order_id}")
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "sms"]
    sms = messages.get(channel="sms")
    assert "10.000" in sms.body and "hoàn trả" in sms.body and dossier.code in sms.body
    assert set(messages.values_list("kind", flat=True)) == {"fee_overpaid"}  # its own editable templates
    assert not OutboxMessage.objects.filter(kind="fee_paid")
    assert list(GatewayNotice.objects.order_by("pk").values_list("source", "outcome")) == [
        ("callback", "recorded"),
        ("refund", "recorded"),
    ]


def test_the_return_page_tells_the_citizen_the_money_goes_back(late, gateway, clock):
    _dossier, payment, lost = late

    query = urlencode(_signed_now(gateway, lost))
    html = Client().get(f"/thanh-toan/ket-qua/{payment.order_id}/?{query}").content.decode()

    assert 'id="payment-overpaid"' in html and "đang được hoàn trả" in html


def test_the_desks_daily_statement_shows_the_overpayment_and_its_refund(late, gateway, clock, people):
    _dossier, payment, lost = late
    _deliver("callback", gateway, payment, lost)
    director = staff_client(people["giamdoc.thanhsen"])

    html = director.get("/can-bo/thu-phi/?day=2025-11-03").content.decode()
    csv = director.get("/can-bo/thu-phi/bang-ke.csv?day=2025-11-03").content.decode()
    pdf = director.get("/can-bo/thu-phi/bang-ke.pdf?day=2025-11-03")

    assert 'id="day-overpaid"' in html and lost["transaction_id"] in html
    rows = [line.split(",") for line in csv.splitlines()]
    assert any(r[5] == "Nộp thừa – Thanh toán trực tuyến" and r[7] == "10000" for r in rows)
    assert any(r[5] == "Hoàn trả – Qua cổng thanh toán" and r[7] == "-10000" for r in rows)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_lost_refund_answer_is_sent_again_by_the_sweeper_with_the_same_id(late, gateway, clock, settings):
    _dossier, payment, lost = late
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY_TIMEOUT": 0.3}
    gateway.delay = 1.0  # the gateway refunds, but its answer comes too late

    _deliver("callback", gateway, payment, lost)
    request = RefundRequest.objects.get()
    assert (request.status, request.attempts, request.last_error) == ("pending", 1, "gateway_unavailable")
    gateway.delay = 0
    clock.set("2025-11-03 09:20")
    sweep = services.resend_waiting_refunds()

    assert sweep.refunded == [request.refund_id]
    first, second = (fields["refund_id"] for path, fields in gateway.received if path == "/refund")
    assert first == second == request.refund_id
    refund = Refund.objects.get()
    assert list(gateway.orders[payment.order_id]["refunds"].values()) == [refund.reference]


def test_the_desk_sees_an_overpayment_the_gateway_refused_and_sends_it_again(late, gateway, clock, people):
    dossier, payment, lost = late
    gateway.refund_choice = "Tài khoản đơn vị không đủ số dư"
    _deliver("callback", gateway, payment, lost)
    desk = staff_client(people["motcua.thanhsen"])
    refused = RefundRequest.objects.get()
    assert refused.status == "failed" and Refund.objects.count() == 0

    page = desk.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    day = desk.get("/can-bo/thu-phi/").content.decode()
    fees = Staff(people)["motcua.thanhsen"].get(f"/api/v1/payments/dossiers/{dossier.code}").json()
    gateway.refund_choice = "refunded"
    done = desk.post(
        f"/can-bo/ho-so/{dossier.code}/hoan-tra-qua-cong/{refused.refund_id}/gui-lai/", follow=True
    )

    assert "Tài khoản đơn vị không đủ số dư" in page and f'id="refund-request-{refused.refund_id}"' in page
    assert 'id="refunds-attention"' in day
    assert fees["refund_requests"][0]["needs_attention"] is True
    assert "Đã hoàn trả 10.000 đ qua cổng thanh toán" in done.content.decode()
    second = RefundRequest.objects.exclude(pk=refused.pk).get()
    assert second.refund_id == f"{payment.order_id}-2" and second.status == "refunded"
    assert 'id="refunds-attention"' not in desk.get("/can-bo/thu-phi/").content.decode()


def test_only_the_receiving_desk_sends_a_refund_again(late, gateway, clock, people):
    dossier, payment, lost = late
    gateway.status_override = 503
    _deliver("callback", gateway, payment, lost)
    refund_id = RefundRequest.objects.get().refund_id
    url = f"/can-bo/ho-so/{dossier.code}/hoan-tra-qua-cong/{refund_id}/gui-lai/"
    api = f"/api/v1/payments/dossiers/{dossier.code}/refund-requests/{refund_id}/resend"
    staff = Staff(people)

    assert staff_client(people["motcua.tuphap"]).post(url).status_code == 404  # another centre
    assert staff_client(people["cv.tuphap.thanhsen"]).post(url).status_code == 403
    assert staff["motcua.thanhsen"].post(api.replace(refund_id, "nope-1")).status_code == 404
    unavailable = staff["motcua.thanhsen"].post(api)
    gateway.status_override = 0
    done = staff["motcua.thanhsen"].post(api)

    assert unavailable.status_code == 502 and unavailable.json()["error"]["code"] == "gateway_unavailable"
    assert done.status_code == 201 and done.json()["method"] == "gateway"
    assert Refund.objects.count() == 1
