"""Payment personas: the demo province, dossiers with fees made through the real services, a gateway key."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
from django.test import Client

from motcua.api.tests import conftest as api_fixtures
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import conftest as dossier_fixtures
from motcua.dossiers.tests.conftest import at, birth_bundle, pdf

__all__ = ["at", "birth_bundle", "notice", "pdf"]

province = dossier_fixtures.province
points = dossier_fixtures.points
# Uploads go to a folder of the test's own; rate-limit counters start from zero (autouse).
_isolated = api_fixtures._isolated
# `clock`: the moment every `timezone.now()` sees, 2025-11-03 09:00 until moved with `clock.set(...)`.
clock = api_fixtures.clock

KEY = "test-gateway-key"
GATEWAY_URL = "https://cong-thanh-toan.example.vn/pay"
STAFF = [
    "motcua.thanhsen",  # counter officer, Thành Sen centre
    "motcua.tuphap",  # counter officer, provincial centre
    "motcua.datdai",  # counter officer, provincial centre and its Hồng Lĩnh branch
    "cv.dkkd",  # specialist, Department of Finance (business registration)
    "tp.dkkd",  # unit leader, Department of Finance
    "giamdoc.ttpvhcc",  # director of the provincial centre
    "giamdoc.thanhsen",  # director of the Thành Sen centre
    "ct.thanhsen",  # leader of the Thành Sen committee
    "ld.ca.thanhsen",  # leader of the Thành Sen police
    "cv.tuphap.thanhsen",
    "ca.thanhsen",
]


@pytest.fixture
def people(province):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    found = {u.username: u for u in users.filter(username__in=STAFF)}
    found["citizen"] = users.create_user("0987000111", password="x", full_name="Nguyễn Thị Dân")
    found["stranger"] = users.create_user("stranger", password="x")
    return found


@pytest.fixture
def online(settings):
    """The http gateway switched on with a known key (nothing is sent to it: the browser goes there)."""
    settings.MOTCUA = {
        **settings.MOTCUA,
        "PAYMENT_GATEWAY": "http",
        "PAYMENT_GATEWAY_URL": GATEWAY_URL,
        "PAYMENT_GATEWAY_KEY": KEY,
        "PAYMENT_MERCHANT": "MOTCUA",
    }
    return settings


def business(people, points, when: str = "2025-11-03 09:00", **overrides) -> Dossier:
    """A sole proprietorship registered at the provincial centre: 50.000 đ charge + 100.000 đ fee."""
    return services.receive_dossier(
        data=birth_bundle(procedure_code="2.001610", provided=[0, 1], **overrides),
        point=points["ttpvhcc-tinh"],
        actor=people["motcua.tuphap"],
        now=at(when),
    )


def residence_online(people, points, when: str = "2025-11-03 08:00") -> Dossier:
    """A permanent residence registration filed online by the citizen and accepted: 10.000 đ online."""
    filed = services.submit_online(
        data=birth_bundle(procedure_code="1.004222", provided=[0, 1], uploads=[pdf("to-khai.pdf", 0)]),
        point=points["ttpvhcc-thanhsen"],
        citizen=people["citizen"],
        now=at(when),
    )
    return services.accept_submission(
        code=filed.code, actor=people["motcua.thanhsen"], now=at(when) + dt.timedelta(minutes=30)
    )


def paid_online_then_refused(people, points, gateway, when: str = "2025-11-03 09:00") -> Dossier:
    """A business registration paid online (150.000 đ, the callback lost, found by asking), then refused."""
    from motcua.dossiers.models import StepStatus
    from motcua.payments import services as payments

    dossier = business(people, points, when)
    order = payments.start_online_payment(code=dossier.code, secret=dossier.lookup_secret)
    gateway.paid_without_callback(order.pay_url)
    payments.reconcile_order(order.payment)
    dossier.steps.get(status=StepStatus.ACTIVE)
    services.refuse_dossier(
        code=dossier.code,
        actor=people["cv.dkkd"],
        reasons="Tên doanh nghiệp trùng.",
        now=at(when) + dt.timedelta(hours=1),
    )
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def dossier(people, points) -> Dossier:
    return business(people, points)


def sign(fields: dict, key: str = KEY) -> str:
    """The documented signature, computed here and not by MotCua: HMAC-SHA256 of sorted `name=value` lines."""
    text = "\n".join(f"{name}={fields[name]}" for name in sorted(fields) if name != "signature")
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def notice(order_id: str, amount: int, *, when: dt.datetime, status: str = "paid", key: str = KEY, **extra):
    """A notice as the gateway sends it, signed with `key`."""
    fields = {
        "version": "1",
        "merchant": "MOTCUA",
        "order_id": order_id,
        "transaction_id": "GW123456" if status == "paid" else "",
        "amount": str(amount),
        "status": status,
        "timestamp": str(int(when.timestamp())),
        **extra,
    }
    return {**fields, "signature": sign(fields, key)}


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pay_online(dossier: Dossier, citizen, when: dt.datetime):
    """The applicant opens an order and the gateway confirms it a minute later; return the payment."""
    from motcua.payments import services as payments

    order = payments.start_online_payment(code=dossier.code, actor=citizen, now=when)
    later = when + dt.timedelta(minutes=1)
    fields = notice(order.payment.order_id, order.payment.amount_vnd, when=later)
    return payments.record_notice(fields=fields, source="callback", now=later).payment


@pytest.fixture
def gateway(settings, clock):
    """A gateway on 127.0.0.1 that answers MotCua's queries and refund requests, on the tests' clock."""
    from .gateway_server import PaymentGateway

    server = PaymentGateway(key=KEY).start()
    server.clock = lambda: clock.now.timestamp()
    settings.MOTCUA = {
        **settings.MOTCUA,
        "PAYMENT_GATEWAY": "http",
        "PAYMENT_GATEWAY_URL": server.url,
        "PAYMENT_GATEWAY_KEY": KEY,
        "PAYMENT_GATEWAY_QUERY_URL": f"{server.base_url}/query",
        "PAYMENT_GATEWAY_REFUND_URL": f"{server.base_url}/refund",
        "PAYMENT_GATEWAY_TIMEOUT": 2,
    }
    yield server
    server.stop()
