"""/api/v1/feedback: public sending, following and ratings; the staff inbox and its actions; the schema."""

from __future__ import annotations

import base64
import uuid

from django.test import Client

from motcua.api.auth import issue_token
from motcua.feedback import services
from motcua.feedback.models import Feedback, Rating

from .conftest import PDF, RATE_ALL, regulation

API = "/api/v1/feedback"
BODY = {
    "topic": "regulation",
    "subject": "Thời hạn giải quyết",
    "content": "Vì sao phải nộp bản sao?",
    "sender_name": "Trần Văn Bình",
    "sender_phone": "0912345678",
    "procedure_code": "2.002621",
    "agency_code": "H42.50.01",
}


def _post(client: Client, path: str, body: dict, key: str | None = None, **extra: str):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(path, body, content_type="application/json", **headers, **extra)


def _bearer(user) -> dict[str, str]:
    _token, key = issue_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_anyone_sends_a_feedback_and_a_retry_with_the_same_key_gets_the_same_answer(province, clock):
    clock.set("2025-11-20 09:00")
    key = str(uuid.uuid4())
    first = _post(Client(), API, BODY, key)
    again = _post(Client(), API, BODY, key)
    reused = _post(Client(), API, {**BODY, "subject": "Khác"}, key)

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and len(first.json()["secret"]) == 10
    assert first.json()["due_at"].startswith("2025-12-04T09:00")  # Thursday 20/11 + 10 working days
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "idempotency_key_reused"
    assert Feedback.objects.count() == 1


def test_a_refused_feedback_has_the_one_error_shape_and_files_are_checked(province, clock):
    missing = _post(Client(), API, {**BODY, "sender_phone": ""})
    script = _post(
        Client(), API, {**BODY, "files": [{"name": "a.pdf", "content_base64": "IyEvYmluL3NoCg=="}]}
    )
    shaped = _post(Client(), API, {"topic": "regulation"})

    assert missing.status_code == 422 and missing.json()["error"]["code"] == "contact_required"
    assert script.status_code == 422 and script.json()["error"]["code"] == "file_type_not_allowed"
    assert shaped.status_code == 422 and shaped.json()["error"]["code"] == "invalid_parameters"
    assert not Feedback.objects.exists()
    ok = _post(
        Client(),
        API,
        {**BODY, "files": [{"name": "a.pdf", "content_base64": base64.b64encode(PDF).decode()}]},
    )
    assert ok.status_code == 201 and Feedback.objects.get().files.count() == 1


def test_sending_is_rate_limited_per_address(province, clock, settings):
    settings.MOTCUA = {**settings.MOTCUA, "FEEDBACK_PER_IP_PER_HOUR": 1}

    codes = [_post(Client(), API, BODY).status_code for _ in range(2)]

    assert codes == [201, 429]


def test_the_sender_follows_and_reacts_with_the_secret_and_guesses_are_blocked(received, people):
    services.answer_feedback(code=received.code, actor=people["ct.thanhsen"], answer="Không cần bản sao.")
    url = f"{API}/track/{received.code}"

    followed = Client().get(url, {"secret": received.secret.lower()})
    wrong = Client().get(url, {"secret": "WRONGSECRT"})
    unknown = Client().get(f"{API}/track/PAKN-000000-9999", {"secret": "WRONGSECRT"})
    reacted = _post(Client(), f"{url}/reaction?secret={received.secret}", {"reaction": "satisfied"})

    assert followed.status_code == 200 and followed.json()["answer"] == "Không cần bản sao."
    assert [s["action"] for s in followed.json()["steps"]] == ["submit", "answer"]
    assert "0912345678" not in followed.content.decode()
    assert (wrong.status_code, unknown.status_code) == (404, 404) and wrong.content == unknown.content
    assert reacted.status_code == 200 and reacted.json()["reaction"] == "satisfied"
    for n in range(9):
        Client(REMOTE_ADDR=f"203.0.113.{n}").get(url, {"secret": "GUESS"})
    assert Client(REMOTE_ADDR="198.51.100.1").get(url, {"secret": received.secret}).status_code == 429


def test_published_answers_are_listed_in_two_queries(people, clock, django_assert_num_queries):
    for _ in range(3):
        feedback = services.submit_feedback(data=regulation())
        answered = services.answer_feedback(
            code=feedback.code, actor=people["ct.thanhsen"], answer="Trả lời."
        )
        question, answer = services.publish_draft(answered)
        services.publish_feedback(
            code=feedback.code, actor=people["ct.thanhsen"], question=question, answer=answer
        )

    with django_assert_num_queries(2):
        body = Client().get(f"{API}/published", {"procedure": "2.002621"}).json()

    assert body["count"] == 3 and body["items"][0]["procedure_code"] == "2.002621"
    assert all("Trần Văn Bình" not in i["question"] for i in body["items"])


def test_an_ended_dossier_is_rated_once_with_its_secret(late):
    scheme = Client().get(f"{API}/ratings/scheme").json()
    answers = {q["code"]: q["answers"][0]["points"] for q in scheme["questions"]}
    url = f"{API}/ratings/{late.code}?secret={late.lookup_secret}"

    first = _post(Client(), url, {"level": "satisfied", "answers": answers})
    second = _post(Client(), url, {"level": "satisfied", "answers": answers})
    wrong = _post(
        Client(), f"{API}/ratings/{late.code}?secret=WRONGSECRT", {"level": "satisfied", "answers": answers}
    )

    assert [lv["label"] for lv in scheme["levels"]] == ["Rất hài lòng", "Hài lòng", "Không hài lòng"]
    assert first.status_code == 201 and first.json()["total"] == 14 and first.json()["max_total"] == 18
    assert {c["code"]: c["value"] for c in first.json()["criteria"]}["total_time"] == "late"
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_rated"
    assert wrong.status_code == 404


def test_rating_needs_an_ended_dossier_and_its_owner_or_secret(open_dossier, early, people):
    body = {"level": "satisfied", "answers": {k: int(v) for k, v in RATE_ALL.items()}}
    not_ended = _post(
        Client(), f"{API}/ratings/{open_dossier.code}?secret={open_dossier.lookup_secret}", body
    )
    anonymous = _post(Client(), f"{API}/ratings/{early.code}", body)
    citizen = Client()
    citizen.force_login(people["citizen"])
    own = _post(citizen, f"{API}/ratings/{early.code}", body)

    assert not_ended.status_code == 409 and not_ended.json()["error"]["code"] == "dossier_not_ended"
    assert anonymous.status_code == 404
    assert own.status_code == 201 and own.json()["channel"] == "api"
    staff = Client().get(f"{API}/ratings/{early.code}", **_bearer(people["motcua.thanhsen"]))
    stranger = Client().get(f"{API}/ratings/{early.code}", **_bearer(people["cv.dkkd"]))
    assert staff.status_code == 200 and staff.json()["level"] == "satisfied"
    assert stranger.status_code == 404


def test_a_forged_cross_site_rating_of_a_signed_in_citizen_is_refused(early, people):
    citizen = Client(enforce_csrf_checks=True)
    citizen.force_login(people["citizen"])

    response = _post(citizen, f"{API}/ratings/{early.code}", {"level": "satisfied", "answers": {}})

    assert response.status_code == 403 and not Rating.objects.exists()


def test_the_staff_inbox_lists_filters_and_pins_its_queries(
    received, people, clock, django_assert_num_queries
):
    auth = _bearer(people["ct.thanhsen"])
    for _ in range(3):
        services.submit_feedback(data=regulation())

    Client().get(f"{API}/items", **auth)
    with django_assert_num_queries(4):  # token, token use, count, page
        listing = Client().get(f"{API}/items", {"urgency": "ok"}, **auth)

    assert listing.status_code == 200 and listing.json()["count"] == 4
    assert listing.json()["items"][0]["urgency"] == "ok"
    assert Client().get(f"{API}/items", **_bearer(people["cv.dkkd"])).json()["count"] == 0
    assert Client().get(f"{API}/items/{received.code}", **_bearer(people["cv.dkkd"])).status_code == 404
    assert Client().get(f"{API}/items").status_code == 401


def test_staff_forward_answer_and_publish_with_idempotency_keys(received, people, clock):
    clerk = _bearer(people["cv.tuphap.thanhsen"])
    key = str(uuid.uuid4())
    forward = {"agency_code": "H42.30.01", "reason": "Cư trú.", "expected_version": 1}

    no_key = _post(Client(), f"{API}/items/{received.code}/forward", forward, **clerk)
    moved = _post(Client(), f"{API}/items/{received.code}/forward", forward, key, **clerk)
    replay = _post(Client(), f"{API}/items/{received.code}/forward", forward, key, **clerk)
    police = _bearer(people["ld.ca.thanhsen"])
    answered = _post(
        Client(), f"{API}/items/{received.code}/answer", {"answer": "Đã rõ."}, str(uuid.uuid4()), **police
    )
    published = _post(
        Client(),
        f"{API}/items/{received.code}/publish",
        {"question": "Trần Văn Bình hỏi: vì sao?", "answer": "Đã rõ."},
        str(uuid.uuid4()),
        **police,
    )

    assert no_key.status_code == 422 and no_key.json()["error"]["code"] == "idempotency_key_required"
    assert moved.status_code == replay.status_code == 200 and moved.json() == replay.json()
    assert moved.json()["agency"] == "Công an phường Thành Sen"
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert published.status_code == 200 and published.json()["published"] is True
    received.refresh_from_db()
    assert "Trần Văn Bình" not in received.public_question
    assert [s["action"] for s in moved.json()["steps"]] == ["submit", "forward"]


def test_forwarding_a_feedback_of_another_agency_is_not_found_whatever_the_agency_named(received, people):
    outsider = _bearer(people["cv.dkkd"])  # the Department of Finance: not this feedback's agency
    url = f"{API}/items/{received.code}/forward"

    answers = [
        _post(
            Client(),
            url,
            {"agency_code": code, "reason": "x", "expected_version": 1},
            str(uuid.uuid4()),
            **outsider,
        )
        for code in ("KHONG-CO", "H42.30.01")  # an unknown agency was a 422 that said the feedback exists
    ]

    received.refresh_from_db()
    assert [(a.status_code, a.json()["error"]["code"]) for a in answers] == [(404, "feedback_not_found")] * 2
    assert received.version == 1 and received.agency.code == "H42.50.01"


def test_every_feedback_operation_is_documented_with_examples_and_errors(db):
    document = Client().get("/api/openapi.json").json()
    paths = {p: set(ops) for p, ops in document["paths"].items() if p.startswith(API)}

    assert paths == {
        API: {"post"},
        f"{API}/track/{{code}}": {"get"},
        f"{API}/track/{{code}}/reaction": {"post"},
        f"{API}/published": {"get"},
        f"{API}/ratings/scheme": {"get"},
        f"{API}/ratings/{{code}}": {"get", "post"},
        f"{API}/items": {"get"},
        f"{API}/items/{{code}}": {"get"},
        **{
            f"{API}/items/{{code}}/{a}": {"post"}
            for a in ("forward", "answer", "decline", "publish", "unpublish", "assign", "take", "release")
        },
    }
    error = {"$ref": "#/components/schemas/ErrorOut"}
    submit = document["paths"][API]["post"]
    assert (
        "security" not in submit
        and submit["responses"]["429"]["content"]["application/json"]["schema"] == error
    )
    for action in ("answer", "assign", "take", "release", "unpublish"):
        operation = document["paths"][f"{API}/items/{{code}}/{action}"]["post"]
        assert {"401", "404", "409", "422"} <= set(operation["responses"]), action
        assert [p["name"] for p in operation["parameters"] if p["in"] == "header"] == ["Idempotency-Key"]
    schemas = document["components"]["schemas"]
    assert schemas["AssignIn"]["properties"]["assignee"]["examples"] == ["cv.tuphap.thanhsen"]
    assert schemas["UnpublishIn"]["properties"]["reason"]["examples"]
    assert document["components"]["schemas"]["CreatedOut"]["properties"]["code"]["examples"] == [
        "PAKN-251117-0001"
    ]


def test_guessing_a_dossier_secret_through_feedback_costs_the_lookup_budget(late, clock):
    body = {**BODY, "topic": "handling", "dossier_code": late.code, "agency_code": ""}
    for n in range(10):
        guess = _post(Client(REMOTE_ADDR=f"203.0.113.{n}"), API, {**body, "dossier_secret": f"GUESS{n}"})
        assert guess.status_code == 422 and guess.json()["error"]["code"] == "dossier_not_found"

    right = _post(Client(REMOTE_ADDR="198.51.100.2"), API, {**body, "dossier_secret": late.lookup_secret})

    assert right.status_code == 429 and not Feedback.objects.exists()
