"""POST /api/v1/sms/inbound: "MC <code>" answered with the status, only to the phone on the dossier."""

from __future__ import annotations

import pytest
from django.test import override_settings

from motcua.dossiers import services
from motcua.dossiers.tests.conftest import at, birth_bundle, people, points, province  # noqa: F401
from motcua.notify.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gateway_key")]
URL = "/api/v1/sms/inbound"
KEY = "inbound-test-key"


@pytest.fixture
def gateway_key():
    with override_settings(NOTIFY_INBOUND_SMS_KEY=KEY, NOTIFY_SMS_LOOKUP_NUMBER="8077"):
        yield


@pytest.fixture
def dossier(people, points):  # noqa: F811
    return services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )


def _post(client, sender: str, text: str, key: str = KEY, **extra):
    body = {"from": sender, "text": text, **extra}
    return client.post(URL, body, content_type="application/json", headers={"X-Api-Key": key})


def test_the_applicants_phone_gets_the_status_and_due_date(client, dossier):
    response = _post(client, "+84 912 345 678", f"  mc   {dossier.code.lower()} ", id="gw-in-1")

    assert response.status_code == 200
    reply = response.json()["reply"]
    assert reply == f"Hồ sơ {dossier.code}: Đang giải quyết. Hẹn trả kết quả: 09:00 06/11/2025."
    queued = OutboxMessage.objects.get(kind="lookup_reply")
    assert (queued.recipient, queued.body, queued.dossier) == ("+84912345678", reply, dossier)


def test_a_repeated_callback_queues_one_reply(client, dossier):
    for _ in range(2):
        assert _post(client, "0912345678", f"MC {dossier.code}", id="gw-in-7").status_code == 200

    assert OutboxMessage.objects.filter(kind="lookup_reply").count() == 1


def test_another_phone_learns_nothing(client, dossier):
    other = _post(client, "0987000111", f"MC {dossier.code}").json()["reply"]
    unknown = _post(client, "0912345678", "MC H42.50.01-251103-999999").json()["reply"]
    garbled = _post(client, "0912345678", "hello").json()["reply"]

    assert other == unknown == garbled
    assert dossier.code not in other and "Đang giải quyết" not in other
    assert not OutboxMessage.objects.filter(kind="lookup_reply").exists()


def test_the_gateway_must_present_the_shared_key(client, dossier):
    assert _post(client, "0912345678", f"MC {dossier.code}", key="wrong").status_code == 401
    assert (
        client.post(URL, {"from": "0912345678", "text": "MC x"}, content_type="application/json").status_code
        == 401
    )
    with override_settings(NOTIFY_INBOUND_SMS_KEY=""):
        assert _post(client, "0912345678", f"MC {dossier.code}", key="").status_code == 401


def test_a_malformed_body_is_a_422_in_the_error_shape(client):
    response = client.post(URL, {"text": "MC x"}, content_type="application/json", headers={"X-Api-Key": KEY})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_parameters"


@override_settings(NOTIFY_SMS_UNICODE="never")
def test_the_reply_is_unaccented_for_a_gateway_without_unicode(client, dossier):
    reply = _post(client, "0912345678", f"MC {dossier.code}").json()["reply"]

    assert reply == f"Ho so {dossier.code}: Dang giai quyet. Hen tra ket qua: 09:00 06/11/2025."
