"""/api/v1/payments: a dossier's fees, the desk's writes (idempotency keys), paying online, the callback."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from motcua.api.tests.conftest import Staff
from motcua.notify.models import OutboxMessage
from motcua.payments.models import Payment

from .conftest import notice, residence_online

API = "/api/v1/payments"


@pytest.fixture
def staff(people) -> Staff:
    return Staff(people)


def test_staff_read_a_dossiers_fees_and_outsiders_get_not_found(dossier, staff, clock):
    body = staff["motcua.tuphap"].get(f"{API}/dossiers/{dossier.code}").json()

    assert (body["due_vnd"], body["balance_vnd"], body["settled"]) == (150_000, 150_000, False)
    assert [(line["name"], line["amount_vnd"]) for line in body["lines"]] == [
        ("Lệ phí đăng ký doanh nghiệp", 50_000),
        ("Phí công bố nội dung đăng ký doanh nghiệp", 100_000),
    ]
    missing = staff["motcua.thanhsen"].get(f"{API}/dossiers/{dossier.code}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "dossier_not_found"
    assert Client().get(f"{API}/dossiers/{dossier.code}").status_code == 401


def test_the_desk_collects_once_and_a_retried_request_gets_the_same_receipt(dossier, staff, clock):
    desk = staff["motcua.tuphap"]
    body = {"method": "card", "reference": "POS-1", "expected_version": dossier.version}

    first = desk.post(f"{API}/dossiers/{dossier.code}/collect", body, key="collect-1")
    retried = desk.post(f"{API}/dossiers/{dossier.code}/collect", body, key="collect-1")
    again = desk.post(f"{API}/dossiers/{dossier.code}/collect", {"method": "cash"})
    no_key = desk.client.post(
        f"{API}/dossiers/{dossier.code}/collect",
        {"method": "cash"},
        content_type="application/json",
        **desk.auth,
    )

    assert first.status_code == 201 and retried.json() == first.json()
    assert first.json()["receipt"] == "BL-25E 0000001" and first.json()["collected_by"] == "Lê Thị Lan"
    assert again.status_code == 422 and again.json()["error"]["code"] == "nothing_due"
    assert no_key.status_code == 422 and no_key.json()["error"]["code"] == "idempotency_key_required"
    assert Payment.objects.count() == 1
    pdf = desk.get(f"{API}/dossiers/{dossier.code}/receipts/BL-25E/1")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_exemption_is_for_leaders_and_refund_for_refused_dossiers(dossier, staff, clock):
    body = {"reason": "Hộ nghèo", "legal_basis": "TT 47/2019/TT-BTC"}

    counter = staff["motcua.tuphap"].post(f"{API}/dossiers/{dossier.code}/exempt", body)
    leader = staff["tp.dkkd"].post(f"{API}/dossiers/{dossier.code}/exempt", {**body, "amount_vnd": 50_000})
    refund = staff["motcua.tuphap"].post(f"{API}/dossiers/{dossier.code}/refund", {"reason": "x"})

    assert counter.status_code == 403 and counter.json()["error"]["code"] == "leaders_only"
    assert leader.status_code == 201 and leader.json()["amount_vnd"] == 50_000
    assert refund.status_code == 409 and refund.json()["error"]["code"] == "refund_not_allowed"
    fees = staff["tp.dkkd"].get(f"{API}/dossiers/{dossier.code}").json()
    assert (fees["exempted_vnd"], fees["balance_vnd"]) == (50_000, 100_000)


def test_a_payment_started_with_the_secret_is_confirmed_by_the_gateways_callback(
    people, points, online, clock
):
    filed = residence_online(people, points)
    client = Client()

    started = client.post(
        f"{API}/online/{filed.code}", {"secret": filed.lookup_secret}, content_type="application/json"
    )
    order = started.json()
    signed = notice(order["order_id"], order["amount_vnd"], when=clock.now)
    done = client.post(f"{API}/callback", json.dumps(signed), content_type="application/json")
    repeated = client.post(f"{API}/callback", json.dumps(signed), content_type="application/json")
    forged = client.post(
        f"{API}/callback", json.dumps({**signed, "amount": "1"}), content_type="application/json"
    )

    assert started.status_code == 201 and order["pay_url"].startswith(
        "https://cong-thanh-toan.example.vn/pay?"
    )
    assert done.status_code == 200 and done.json() == {
        "result": "recorded",
        "order_id": order["order_id"],
        "status": "paid",
        "receipt": "BL-25E 0000001",
    }
    assert repeated.status_code == 200 and repeated.json()["result"] == "repeated"
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "invalid_signature"
    assert OutboxMessage.objects.filter(kind="fee_paid").count() == 2
    wrong = client.post(
        f"{API}/online/{filed.code}", {"secret": "WRONGSECRT"}, content_type="application/json"
    )
    assert wrong.status_code == 404
    bad_json = client.post(f"{API}/callback", "[1, 2]", content_type="application/json")
    assert bad_json.status_code == 422


ERROR = {"$ref": "#/components/schemas/ErrorOut"}


def test_the_payment_endpoints_are_documented_with_their_errors_and_keys():
    document = Client().get("/api/openapi.json").json()
    paths = {p: ops for p, ops in document["paths"].items() if p.startswith(API)}

    assert set(paths) == {
        f"{API}/dossiers/{{code}}",
        f"{API}/dossiers/{{code}}/receipts/{{symbol}}/{{number}}",
        f"{API}/dossiers/{{code}}/collect",
        f"{API}/dossiers/{{code}}/exempt",
        f"{API}/dossiers/{{code}}/refund",
        f"{API}/dossiers/{{code}}/refund-online",
        f"{API}/dossiers/{{code}}/check-gateway",
        f"{API}/dossiers/{{code}}/refund-requests/{{refund_id}}/resend",
        f"{API}/online/{{code}}",
        f"{API}/callback",
    }
    actions = ("collect", "exempt", "refund", "refund-online", "check-gateway")
    for action in (*actions, "refund-requests/{refund_id}/resend"):
        operation = paths[f"{API}/dossiers/{{code}}/{action}"]["post"]
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert headers == ["Idempotency-Key"], action
        for status in ("401", "403", "404", "409", "422"):
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema == ERROR, (action, status)
    callback = paths[f"{API}/callback"]["post"]
    assert {"401", "404", "409", "422"} <= set(callback["responses"]) and "security" not in callback
    schemas = document["components"]["schemas"]
    assert schemas["PaymentOut"]["properties"]["receipt"]["examples"] == ["BL-25E 0000001"]
    assert schemas["NoticeIn"]["properties"]["status"]["examples"] == ["paid"]


def test_the_dossier_detail_offers_the_fee_actions_to_whom_they_belong(dossier, staff, clock):
    detail = f"/api/v1/dossiers/{dossier.code}"

    before = staff["motcua.tuphap"].get(detail).json()["allowed_actions"]
    staff["motcua.tuphap"].post(f"{API}/dossiers/{dossier.code}/collect", {"method": "cash"})
    after = staff["motcua.tuphap"].get(detail).json()["allowed_actions"]

    # A guide for buttons, not a permission: a refund comes only once the dossier is refused or stopped.
    assert "collect_fee" in before and "refund_fee" not in before
    assert "collect_fee" not in after and "refund_fee" not in after
