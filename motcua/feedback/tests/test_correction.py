"""A corrected published answer reaches the sender: republished with a changed answer, through the outbox."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from motcua.core.errors import Conflict
from motcua.feedback import services
from motcua.feedback.models import Feedback
from motcua.notify.models import MessageTemplate, OutboxMessage

from .conftest import bearer, regulation, staff_client

API = "/api/v1/feedback"
FIRST = "Theo văn bản 111/VB-CU: phải nộp."
CORRECTED = "Theo văn bản 222/VB-MOI: không phải nộp."


@pytest.fixture
def withdrawn(people, clock) -> Feedback:
    """An answer published by the leader, then withdrawn to be corrected."""
    feedback = services.submit_feedback(data=regulation())
    services.answer_feedback(code=feedback.code, actor=people["cv.tuphap.thanhsen"], answer=FIRST)
    services.publish_feedback(code=feedback.code, actor=people["ct.thanhsen"], question="Hỏi?", answer=FIRST)
    return services.withdraw_publication(
        code=feedback.code, actor=people["ct.thanhsen"], reason="Viện dẫn văn bản hết hiệu lực."
    )


def _corrections() -> list[OutboxMessage]:
    """The corrections queued, the SMS first."""
    return list(OutboxMessage.objects.filter(kind="feedback_corrected").order_by("-channel"))


def test_the_first_publication_tells_the_sender_nothing(withdrawn):
    assert _corrections() == []
    assert withdrawn.events.get(action="publish").data == {"revision": 1}


def test_a_republished_corrected_answer_is_sent_to_the_sender_and_the_event_says_so(withdrawn, people):
    again = services.publish_feedback(
        code=withdrawn.code, actor=people["ct.thanhsen"], question="Hỏi?", answer=CORRECTED
    )

    event = again.events.filter(action="publish").latest("pk")
    assert event.data == {"revision": 2, "corrects": 1, "sender_told": True}
    sms, email = _corrections()
    assert {m.source for m in (sms, email)} == {f"feedback-event:{event.pk}"}
    assert (sms.channel, sms.recipient, email.channel, email.recipient) == (
        "sms",
        "+84912345678",
        "email",
        "binh@example.vn",
    )
    assert "da dinh chinh tra loi" in sms.body and f"theo-doi/{again.code}?secret={again.secret}" in sms.body
    assert CORRECTED in email.body and FIRST not in email.body
    assert email.subject == f"Đính chính trả lời phản ánh, kiến nghị {again.code}"


def test_a_republication_with_the_same_answer_tells_the_sender_nothing(withdrawn, people):
    again = services.publish_feedback(
        code=withdrawn.code,
        actor=people["ct.thanhsen"],
        question="Câu hỏi đã sửa?",
        answer=FIRST.replace(" ", "  ") + "\n",  # spacing is not a correction
    )

    assert _corrections() == []
    assert again.events.filter(action="publish").latest("pk").data == {"revision": 2, "corrects": 1}


def test_a_refused_republication_sends_nothing(withdrawn, people):
    with pytest.raises(Conflict):
        services.publish_feedback(
            code=withdrawn.code,
            actor=people["ct.thanhsen"],
            question="Hỏi?",
            answer=CORRECTED,
            expected_version=1,
        )

    assert _corrections() == [] and withdrawn.publications.count() == 1


def test_the_administrators_wording_of_the_correction_is_used(withdrawn, people):
    shipped = MessageTemplate.objects.filter(kind="feedback_corrected")
    assert {(t.channel, t.language) for t in shipped} == {
        ("sms", "vi"),
        ("sms", "en"),
        ("email", "vi"),
        ("email", "en"),
    }
    shipped.filter(channel="sms", language="vi").update(body="Đã đính chính {{ feedback_code }}.")

    services.publish_feedback(
        code=withdrawn.code, actor=people["ct.thanhsen"], question="Hỏi?", answer=CORRECTED
    )

    assert _corrections()[0].body == f"Đã đính chính {withdrawn.code}."


def test_the_sender_reads_the_corrected_answer_where_the_message_links(withdrawn, people):
    follow = f"/phan-anh-kien-nghi/theo-doi/{withdrawn.code}"
    before = Client().get(follow, {"secret": withdrawn.secret}).content.decode()
    services.publish_feedback(
        code=withdrawn.code, actor=people["ct.thanhsen"], question="Hỏi?", answer=CORRECTED
    )

    after = Client().get(follow, {"secret": withdrawn.secret}).content.decode()
    track = Client().get(f"{API}/track/{withdrawn.code}", {"secret": withdrawn.secret}).json()

    assert "Nội dung trả lời đã đính chính" not in before and CORRECTED not in before
    assert "Nội dung trả lời đã đính chính" in after and CORRECTED in after and FIRST in after
    assert track["corrected_answer"] == CORRECTED and track["answer"] == FIRST


def test_the_leader_republishes_through_the_api_and_the_page_says_the_sender_was_told(withdrawn, people):
    leader = people["ct.thanhsen"]
    done = Client().post(
        f"{API}/items/{withdrawn.code}/publish",
        {"question": "Hỏi?", "answer": CORRECTED, "expected_version": withdrawn.version},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        **bearer(leader),
    )

    assert done.status_code == 200 and [p["revision"] for p in done.json()["publications"]] == [2, 1]
    assert len(_corrections()) == 2
    page = staff_client(leader).get(f"/can-bo/phan-anh/{withdrawn.code}/").content.decode()
    assert "Đính chính phiên bản 1; nội dung trả lời đã đính chính được gửi cho người phản ánh." in page
