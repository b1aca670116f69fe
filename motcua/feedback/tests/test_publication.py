"""Withdrawing a published answer: a leader does, with a reason; then corrected and republished."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from motcua.api.auth import issue_token
from motcua.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from motcua.feedback import services
from motcua.feedback.models import Feedback, FeedbackPublication

from .conftest import regulation, staff_client

API = "/api/v1/feedback"
PUBLIC_PAGES = ("/phan-anh-kien-nghi/cong-khai/", "/thu-tuc/2.002621/")


@pytest.fixture
def published(people, clock) -> Feedback:
    feedback = services.submit_feedback(data=regulation())
    answered = services.answer_feedback(
        code=feedback.code, actor=people["cv.tuphap.thanhsen"], answer="Theo văn bản 111/VB-CU: phải nộp."
    )
    question, answer = services.publish_draft(answered)
    return services.publish_feedback(
        code=feedback.code, actor=people["ct.thanhsen"], question=question, answer=answer
    )


def _public_html() -> str:
    return "".join(Client().get(url).content.decode() for url in PUBLIC_PAGES)


def test_a_leader_withdraws_the_answer_from_the_public_pages_with_a_reason(published, people, clock):
    assert "Theo văn bản 111/VB-CU" in _public_html()
    clock.set("2025-11-20 09:00")

    withdrawn = services.withdraw_publication(
        code=published.code, actor=people["ct.thanhsen"], reason="Viện dẫn văn bản hết hiệu lực."
    )

    assert withdrawn.published_at is None and withdrawn.public_question == withdrawn.public_answer == ""
    assert "Theo văn bản 111/VB-CU" not in _public_html()
    assert Client().get(f"{API}/published").json()["count"] == 0
    event = withdrawn.events.get(action="unpublish")
    assert (event.actor, event.reason, event.data) == (
        people["ct.thanhsen"],
        "Viện dẫn văn bản hết hiệu lực.",
        {"revision": 1},
    )
    kept = FeedbackPublication.objects.get(feedback=published)
    assert kept.withdrawn_by == people["ct.thanhsen"] and "111/VB-CU" in kept.answer
    # The sender's own page still has the answer she was sent; the withdrawal is the agency's business.
    follow = Client().get(f"/phan-anh-kien-nghi/theo-doi/{published.code}", {"secret": published.secret})
    assert "Theo văn bản 111/VB-CU" in follow.content.decode() and "Viện dẫn" not in follow.content.decode()


def test_withdrawing_needs_a_reason_a_leader_and_a_published_answer(published, people):
    with pytest.raises(ValidationFailed) as no_reason:
        services.withdraw_publication(code=published.code, actor=people["ct.thanhsen"], reason=" ")
    with pytest.raises(NotFound):  # the specialist who answered does not decide what is public
        services.withdraw_publication(code=published.code, actor=people["cv.tuphap.thanhsen"], reason="x")
    with pytest.raises(NotFound):
        services.withdraw_publication(code=published.code, actor=people["ld.ca.thanhsen"], reason="x")

    assert no_reason.value.code == "required" and "reason" in no_reason.value.fields
    published.refresh_from_db()
    assert published.published_at is not None and published.version == 3
    services.withdraw_publication(code=published.code, actor=people["ct.thanhsen"], reason="Sai.")
    with pytest.raises(TransitionNotAllowed) as twice:
        services.withdraw_publication(code=published.code, actor=people["ct.thanhsen"], reason="Sai.")
    assert twice.value.code == "feedback_not_published"


def test_a_corrected_answer_is_republished_and_earlier_versions_stay_for_staff(published, people, clock):
    leader = people["ct.thanhsen"]
    with pytest.raises(TransitionNotAllowed) as live:  # a live text is corrected by withdrawing it first
        services.publish_feedback(code=published.code, actor=leader, question="Q", answer="A")
    services.withdraw_publication(code=published.code, actor=leader, reason="Viện dẫn sai.")
    question, draft = services.publish_draft(published)
    clock.set("2025-11-21 09:00")

    again = services.publish_feedback(
        code=published.code,
        actor=leader,
        question=question + " Trần Văn Bình hỏi lại.",
        answer=draft.replace("111/VB-CU", "222/VB-MOI"),
    )

    assert live.value.code == "already_published"
    assert "111/VB-CU" in draft  # the draft is the last text published, to correct
    assert "222/VB-MOI" in _public_html() and "111/VB-CU" not in _public_html()
    assert "Trần Văn Bình" not in again.public_question  # personal data removed again
    versions = list(again.publications.order_by("revision").values_list("revision", "withdrawn_at"))
    assert [r for r, _ in versions] == [1, 2] and versions[0][1] is not None and versions[1][1] is None
    assert list(again.events.order_by("at", "pk").values_list("action", flat=True))[-3:] == [
        "publish",
        "unpublish",
        "publish",
    ]
    page = staff_client(leader).get(f"/can-bo/phan-anh/{published.code}/").content.decode()
    assert "Các phiên bản đã công khai" in page and "Phiên bản 1" in page and "Đã gỡ" in page
    assert "111/VB-CU" in page and "Viện dẫn sai." in page


def test_the_leader_withdraws_on_the_page_and_a_missing_reason_is_said_in_vietnamese(published, people):
    leader = staff_client(people["ct.thanhsen"])
    url = f"/can-bo/phan-anh/{published.code}/thao-tac/go-cong-khai/"
    page = leader.get(f"/can-bo/phan-anh/{published.code}/").content.decode()

    refused = leader.post(url, {"reason": "", "version": 3})
    specialist = staff_client(people["cv.tuphap.thanhsen"]).post(url, {"reason": "x", "version": 3})
    done = leader.post(url, {"reason": "Cần đính chính.", "version": 3})

    assert 'id="withdraw-form"' in page and 'id="publish-form"' not in page
    assert refused.status_code == 422 and "Nêu lý do gỡ công khai." in refused.content.decode()
    assert specialist.status_code == 404 and done.status_code == 302
    published.refresh_from_db()
    assert published.published_at is None
    after = leader.get(f"/can-bo/phan-anh/{published.code}/").content.decode()
    assert 'id="publish-form"' in after and "111/VB-CU" in after[after.index('id="publish-form"') :]


def _bearer(user) -> dict[str, str]:
    _token, key = issue_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_unpublishes_and_republishes_with_the_history(published, people):
    leader = _bearer(people["ct.thanhsen"])
    url = f"{API}/items/{published.code}"
    key = str(uuid.uuid4())

    def post(path: str, body: dict, use: str | None = None, auth: dict | None = None):
        headers = {"HTTP_IDEMPOTENCY_KEY": use or str(uuid.uuid4())}
        return Client().post(path, body, content_type="application/json", **headers, **(auth or leader))

    missing = post(f"{url}/unpublish", {"reason": ""})
    clerk = post(f"{url}/unpublish", {"reason": "x"}, auth=_bearer(people["cv.tuphap.thanhsen"]))
    done = post(f"{url}/unpublish", {"reason": "Đính chính.", "expected_version": 3}, key)
    replay = post(f"{url}/unpublish", {"reason": "Đính chính.", "expected_version": 3}, key)
    again = post(f"{url}/unpublish", {"reason": "Lần nữa."})
    back = post(f"{url}/publish", {"question": "Hỏi?", "answer": "Theo văn bản 222/VB-MOI."})

    assert missing.status_code == 422 and missing.json()["error"]["code"] == "required"
    assert clerk.status_code == 404 and clerk.json()["error"]["code"] == "feedback_not_found"
    assert done.status_code == replay.status_code == 200 and done.json() == replay.json()
    assert done.json()["published"] is False
    assert done.json()["publications"][0]["withdraw_reason"] == "Đính chính."
    assert again.status_code == 409 and again.json()["error"]["code"] == "feedback_not_published"
    assert back.status_code == 200 and [p["revision"] for p in back.json()["publications"]] == [2, 1]
    assert back.json()["publications"][1]["withdrawn_by"] == "Tạ Văn Nam"
    listed = Client().get(f"{API}/published").json()["items"]
    assert [i["answer"] for i in listed] == ["Theo văn bản 222/VB-MOI."]
    track = Client().get(f"{API}/track/{published.code}", {"secret": published.secret}).json()
    assert "unpublish" not in [s["action"] for s in track["steps"]]
