"""The public look-up: status and public milestones for code + secret, nothing personal, no guessing."""

from __future__ import annotations

from django.test import Client, RequestFactory

from motcua.dossiers.lookup import client_ip

from .conftest import birth_json

LOOKUP = "/api/v1/lookup"
PERSONAL = ["Trần Văn Bình", "042090001234", "0912345678", "binh@example.vn", "Tổ 3", "Trần Gia An"]
ACTORS = ["Nguyễn Thị Dân", "Võ Thị Thu", "Lương Thị Xuân", "0987000111", "motcua.thanhsen"]


def _online_dossier(staff, people) -> tuple[Client, dict]:
    citizen = Client()
    citizen.force_login(people["citizen"])
    body = birth_json()
    body.pop("channel")
    filed = citizen.post("/api/v1/dossiers/online", body, content_type="application/json")
    assert filed.status_code == 201, filed.json()
    return citizen, filed.json()


def test_an_online_submission_accepted_at_the_desk_is_found_by_the_public_lookup(staff, people, clock):
    citizen, filed = _online_dossier(staff, people)
    code, secret = filed["code"], filed["lookup_secret"]
    assert filed["status"] == "submitted" and filed["allowed_actions"] == ["withdraw"]
    clock.set("2025-11-03 10:00")
    accepted = staff["motcua.thanhsen"].post(f"/api/v1/dossiers/{code}/accept", {"expected_version": 1})
    assert accepted.status_code == 200, accepted.json()
    step = next(s for s in accepted.json()["steps"] if s["status"] == "active")
    staff["cv.tuphap.thanhsen"].post(f"/api/v1/dossiers/{code}/steps/{step['id']}/take")  # an internal event

    response = Client().get(f"{LOOKUP}/{code}", {"secret": secret.lower()})

    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["status"], body["procedure_code"]) == (code, "in_progress", "2.002621")
    assert body["receiving_point"] and body["due_at"] and body["outcome"] == ""
    assert [e["action"] for e in body["timeline"]] == ["submit_online", "accept", "transfer"]
    assert set(body["timeline"][0]) == {"at", "action", "label", "agency"}
    assert body["timeline"][1]["agency"] == "Ủy ban nhân dân phường Thành Sen"
    # Vietnamese by default (LANGUAGE_CODE), from the message catalog.
    assert (body["status_label"], body["timeline"][1]["label"]) == (
        "Đang giải quyết",
        "Tiếp nhận hồ sơ trực tuyến",
    )
    own = citizen.get(f"/api/v1/dossiers/{code}").json()
    assert own["forms"] == ["receipt"] and own["applicant"] is None  # not the agencies' control sheet
    raw = response.content.decode()
    for text in [*PERSONAL, *ACTORS, secret]:
        assert text not in raw, text


def test_a_wrong_secret_and_an_unknown_code_give_the_same_404(staff, clock):
    code = staff["motcua.thanhsen"].post("/api/v1/dossiers", birth_json()).json()["code"]

    wrong = Client().get(f"{LOOKUP}/{code}", {"secret": "WRONGSECRT"})
    unknown = Client().get(f"{LOOKUP}/H42.50.01-251103-999999", {"secret": "WRONGSECRT"})
    no_secret = Client().get(f"{LOOKUP}/{code}")

    assert (wrong.status_code, unknown.status_code) == (404, 404)
    assert wrong.content == unknown.content
    assert no_secret.status_code == 422


def test_ten_failures_on_one_code_block_it_with_retry_after(staff, clock):
    created = staff["motcua.thanhsen"].post("/api/v1/dossiers", birth_json()).json()
    code, secret = created["code"], created["lookup_secret"]
    for n in range(10):
        assert (
            Client(REMOTE_ADDR=f"203.0.113.{n}").get(f"{LOOKUP}/{code}", {"secret": "GUESS"}).status_code
            == 404
        )

    blocked = Client(REMOTE_ADDR="198.51.100.7").get(f"{LOOKUP}/{code}", {"secret": secret})
    other_code = Client(REMOTE_ADDR="203.0.113.1").get(f"{LOOKUP}/OTHER-CODE", {"secret": "GUESS"})

    assert blocked.status_code == 429  # even the right secret, from a fresh address
    assert blocked.json()["error"]["code"] == "too_many_attempts"
    assert 0 < int(blocked["Retry-After"]) <= 601
    assert other_code.status_code == 404


def test_twenty_failures_from_one_address_block_it_for_every_code(db):
    client = Client(REMOTE_ADDR="203.0.113.9")
    answers = [client.get(f"{LOOKUP}/CODE-{n}", {"secret": "GUESS"}).status_code for n in range(21)]

    assert answers == [404] * 20 + [429]
    assert Client(REMOTE_ADDR="203.0.113.10").get(f"{LOOKUP}/CODE-99", {"secret": "G"}).status_code == 404


def test_forwarded_for_counts_only_behind_a_trusted_proxy(settings):
    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    proxied = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.8, 10.0.0.2")
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")

    assert client_ip(spoofed) == "203.0.113.5"
    assert client_ip(proxied) == "198.51.100.8"  # the last hop before our proxy; the rest is the client's
    assert client_ip(garbage) == "10.0.0.2"


def test_the_lookup_shows_no_comment_of_a_refusal(staff, clock):
    created = staff["motcua.thanhsen"].post("/api/v1/dossiers", birth_json()).json()
    reason = "Giấy chứng sinh giả, chuyển công an xử lý."
    staff["cv.tuphap.thanhsen"].post(f"/api/v1/dossiers/{created['code']}/refuse", {"reasons": reason})

    response = Client().get(f"{LOOKUP}/{created['code']}", {"secret": created["lookup_secret"]})

    assert response.json()["status"] == "refused" and response.json()["finished_at"]
    assert reason not in response.content.decode() and "Lương Thị Xuân" not in response.content.decode()
