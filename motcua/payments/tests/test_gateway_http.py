"""Over real HTTP: MotCua's signed request to a gateway on 127.0.0.1, its callback, the return page."""

from __future__ import annotations

import urllib.request
from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.payments import services
from motcua.payments.models import DossierFees, GatewayNotice, Payment

from .conftest import KEY, residence_online
from .gateway_server import PaymentGateway

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gateway(settings, live_server):
    server = PaymentGateway(key=KEY).start()
    settings.MOTCUA = {
        **settings.MOTCUA,
        "PUBLIC_URL": live_server.url,
        "PAYMENT_GATEWAY": "http",
        "PAYMENT_GATEWAY_URL": server.url,
        "PAYMENT_GATEWAY_KEY": KEY,
    }
    yield server
    server.stop()


def _browse(url: str) -> str:
    """Follow the gateway's redirect back to MotCua, as the payer's browser would."""
    with urllib.request.urlopen(url, timeout=10) as page:
        return page.read().decode()


def test_a_payment_goes_through_the_gateway_and_back_over_http(people, points, gateway):
    dossier = residence_online(people, points)
    order = services.start_online_payment(code=dossier.code, actor=people["citizen"])

    page = _browse(order.pay_url)

    assert gateway.errors == []
    assert gateway.callbacks[0][0] == 200 and gateway.callbacks[0][1]["result"] == "recorded"
    assert "Đã thanh toán thành công 10.000 đ" in page
    payment = Payment.objects.get(pk=order.payment.pk)
    assert payment.status == "paid" and payment.reference.startswith("GW")
    assert DossierFees.objects.get(dossier=dossier).settled_online
    # The callback came first and recorded it; the return page only showed it.
    assert list(GatewayNotice.objects.values_list("source", "outcome")) == [("callback", "recorded")]


def test_a_cancelled_payment_comes_back_not_paid_over_http(people, points, gateway):
    dossier = residence_online(people, points)
    order = services.start_online_payment(code=dossier.code, actor=people["citizen"])
    gateway.choice = "cancelled"

    page = _browse(order.pay_url)

    assert "Chưa thanh toán" in page and gateway.callbacks[0][0] == 200
    assert Payment.objects.get(pk=order.payment.pk).status == "failed"


def test_a_gateway_with_another_key_is_refused_on_both_sides(people, points, gateway, settings):
    dossier = residence_online(people, points)
    order = services.start_online_payment(code=dossier.code, actor=people["citizen"])
    gateway.key = "not-the-shared-key"

    with pytest.raises(urllib.error.HTTPError):
        _browse(order.pay_url)  # the gateway refuses MotCua's request
    request = dict(parse_qsl(urlsplit(order.pay_url).query))
    status, body = gateway.post(request["notify_url"], gateway.notice(request))  # and MotCua the gateway's

    assert gateway.errors == ["bad signature"]
    assert status == 401 and body["error"]["code"] == "invalid_signature"
    assert Payment.objects.get(pk=order.payment.pk).status == "pending"
