"""Paying online: the order, the gateway's signed notice recorded once, and everything else refused."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.core.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed
from motcua.notify.models import OutboxMessage
from motcua.payments import services
from motcua.payments.conf import payment_conf
from motcua.payments.gateway import BadNotice
from motcua.payments.models import DossierFees, GatewayNotice, Payment, RefundRequest
from motcua.payments.selectors import attention_after, needs_attention

from .conftest import GATEWAY_URL, KEY, at, business, notice, residence_online, sign

NOW = at("2025-11-03 09:00")


@pytest.fixture
def filed(people, points, online):
    return residence_online(people, points)


def _state(dossier) -> tuple:
    """Everything a notice could change."""
    fees = DossierFees.objects.filter(dossier=dossier).values_list("paid_vnd", "settled_at").first()
    payments = list(
        Payment.objects.filter(dossier=dossier).values_list("status", "receipt_number", "reference")
    )
    dossier.refresh_from_db()
    return fees, payments, dossier.version, dossier.events.count(), OutboxMessage.objects.count()


def test_the_applicant_starts_an_order_signed_for_the_gateway(filed, people):
    order = services.start_online_payment(code=filed.code, actor=people["citizen"], now=NOW)

    url = urlsplit(order.pay_url)
    fields = dict(parse_qsl(url.query))
    assert f"{url.scheme}://{url.netloc}{url.path}" == GATEWAY_URL
    assert fields["signature"] == sign(fields)  # the documented signature, computed independently
    assert (fields["amount"], fields["currency"], fields["merchant"]) == ("10000", "VND", "MOTCUA")
    assert fields["order_id"] == order.payment.order_id and len(fields["order_id"]) == 32
    assert fields["return_url"].endswith(f"/thanh-toan/ket-qua/{order.payment.order_id}/")
    assert fields["notify_url"].endswith("/api/v1/payments/callback")
    assert order.payment.status == "pending" and order.payment.method == "online"
    event = filed.events.get(action="start_online_payment")
    assert not event.public and event.actor == people["citizen"]
    again = services.start_online_payment(code=filed.code, actor=people["citizen"], now=NOW)
    assert again.payment == order.payment  # a second click: the same order


def test_a_good_notice_records_the_payment_once_and_tells_the_applicant(filed, people):
    order = services.start_online_payment(code=filed.code, actor=people["citizen"], now=NOW)
    signed = notice(order.payment.order_id, 10_000, when=NOW)

    first = services.record_notice(fields=signed, source="callback", now=NOW)
    before = _state(filed)
    repeated = services.record_notice(fields=signed, source="return", now=NOW + dt.timedelta(seconds=5))

    assert (first.outcome, repeated.outcome) == ("recorded", "repeated")
    assert _state(filed) == before
    payment = Payment.objects.get(pk=order.payment.pk)
    assert (payment.status, payment.reference, payment.receipt) == ("paid", "GW123456", "BL-25E 0000001")
    fees = DossierFees.objects.get(dossier=filed)
    assert (fees.paid_vnd, fees.settled_online, fees.settled_at) == (10_000, True, NOW)
    sms = OutboxMessage.objects.get(dossier=filed, kind="fee_paid", channel="sms")
    assert "10.000 đồng" in sms.body and "BL-25E 0000001" in sms.body
    assert OutboxMessage.objects.filter(kind="fee_paid").count() == 2  # SMS and e-mail, once
    assert list(GatewayNotice.objects.order_by("pk").values_list("source", "outcome")) == [
        ("callback", "recorded"),
        ("return", "repeated"),
    ]


@pytest.mark.parametrize(
    ("change", "error", "code"),
    [
        ({"key": "a-guessed-key"}, BadNotice, "invalid_signature"),
        ({"amount": 1_000}, ValidationFailed, "amount_mismatch"),
        ({"when": NOW - dt.timedelta(hours=2)}, BadNotice, "stale_notice"),
        ({"merchant": "OTHER"}, BadNotice, "invalid_notice"),
    ],
    ids=["bad signature", "wrong amount", "replayed later", "another merchant"],
)
def test_a_notice_that_does_not_hold_is_refused_and_changes_nothing(filed, people, change, error, code):
    order = services.start_online_payment(code=filed.code, actor=people["citizen"], now=NOW)
    before = _state(filed)
    values = {"amount": 10_000, "when": NOW, **change}

    with pytest.raises(error) as refused:
        services.record_notice(
            fields=notice(order.payment.order_id, values.pop("amount"), when=values.pop("when"), **values),
            source="callback",
            now=NOW,
        )

    assert refused.value.code == code
    assert _state(filed) == before
    logged = GatewayNotice.objects.get()
    assert (logged.outcome, logged.code, logged.order_id) == ("refused", code, order.payment.order_id)


def test_a_notice_that_contradicts_the_recorded_payment_is_refused(filed, people):
    order = services.start_online_payment(code=filed.code, actor=people["citizen"], now=NOW)
    services.record_notice(
        fields=notice(order.payment.order_id, 10_000, when=NOW), source="callback", now=NOW
    )
    before = _state(filed)

    with pytest.raises(Conflict):
        services.record_notice(
            fields=notice(order.payment.order_id, 10_000, when=NOW, status="failed"),
            source="callback",
            now=NOW,
        )
    with pytest.raises(Conflict):
        services.record_notice(
            fields=notice(order.payment.order_id, 10_000, when=NOW, transaction_id="GW999"),
            source="callback",
            now=NOW,
        )
    with pytest.raises(NotFound):
        services.record_notice(fields=notice("unknown", 10_000, when=NOW), source="callback", now=NOW)
    assert _state(filed) == before


def test_a_cancelled_payment_is_not_paid_and_a_new_order_may_follow(filed, people):
    first = services.start_online_payment(code=filed.code, actor=people["citizen"], now=NOW)
    services.record_notice(
        fields=notice(first.payment.order_id, 10_000, when=NOW, status="cancelled"),
        source="callback",
        now=NOW,
    )

    second = services.start_online_payment(code=filed.code, actor=people["citizen"], now=NOW)

    first.payment.refresh_from_db()
    assert first.payment.status == "failed" and second.payment.order_id != first.payment.order_id
    assert not DossierFees.objects.get(dossier=filed).paid_vnd
    assert not OutboxMessage.objects.filter(kind="fee_paid").exists()


def test_a_late_confirmation_without_gateway_refunds_is_kept_as_overpaid_for_the_desk(filed, people):
    order = services.start_online_payment(code=filed.code, actor=people["citizen"], now=NOW)
    services.collect_fee(code=filed.code, actor=people["motcua.thanhsen"], method="cash", now=NOW)

    result = services.record_notice(
        fields=notice(order.payment.order_id, 10_000, when=NOW), source="callback", now=NOW
    )

    # The money was taken: recorded, never lost; without refunds through the gateway the desk sees it.
    assert (result.outcome, result.payment.status) == ("recorded", "overpaid")
    assert DossierFees.objects.get(dossier=filed).paid_vnd == 10_000
    request = RefundRequest.objects.get(payment=order.payment)
    assert (request.status, request.attempts, request.overpayment) == ("pending", 0, True)
    assert needs_attention(request, attention_after())


def test_anyone_with_the_look_up_secret_may_pay_and_nobody_else(filed, people):
    with pytest.raises(NotFound):
        services.start_online_payment(code=filed.code, actor=people["stranger"], now=NOW)
    with pytest.raises(NotFound):
        services.start_online_payment(code=filed.code, secret="WRONGSECRT", now=NOW)

    order = services.start_online_payment(code=filed.code, secret=filed.lookup_secret.lower(), now=NOW)

    assert order.payment.amount_vnd == 10_000


def test_online_payment_is_offered_only_with_a_gateway_and_for_online_procedures(people, points, settings):
    paper = business(people, points)
    with pytest.raises(TransitionNotAllowed) as off:
        services.start_online_payment(code=paper.code, secret=paper.lookup_secret, now=NOW)
    assert off.value.code == "online_payment_off"

    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY": "http", "PAYMENT_GATEWAY_URL": GATEWAY_URL}
    with pytest.raises(ImproperlyConfigured):  # no key: the http gateway cannot sign
        payment_conf()
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY_KEY": KEY}
    order = services.start_online_payment(code=paper.code, secret=paper.lookup_secret, now=NOW)
    assert order.payment.amount_vnd == 150_000


def test_the_demo_gateway_exists_only_with_debug_on(settings):
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY": "demo"}
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        payment_conf()

    settings.DEBUG = True
    assert payment_conf().gateway == "demo"
