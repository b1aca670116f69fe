"""Only the holder answers, declines or forwards a held feedback; a leader may for her, saying why."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.feedback import services
from motcua.feedback.allowed import allowed_for
from motcua.feedback.models import Feedback
from motcua.notify.models import OutboxMessage
from motcua.org.access import scope_for
from motcua.org.models import Agency

from .conftest import HTMX, bearer, regulation, staff_client

API = "/api/v1/feedback"
CLERK, LEADER = "cv.tuphap.thanhsen", "ct.thanhsen"
REFUSED = "Lương Thị Xuân đang xử lý phản ánh này"


@pytest.fixture
def held(received, people) -> Feedback:
    """The question of 17/11, taken by the committee's justice specialist (Lương Thị Xuân)."""
    return services.take_feedback(code=received.code, actor=people[CLERK])


def _state(feedback: Feedback) -> tuple:
    """Everything a refused action must leave as it was: the row, its trail and the messages."""
    fresh = Feedback.objects.get(pk=feedback.pk)
    events = list(fresh.events.order_by("pk").values_list("action", "data"))
    return (fresh.status, fresh.version, fresh.answer, fresh.agency_id, fresh.assignee_id, events), (
        OutboxMessage.objects.count()
    )


def _try_all(code: str, actor, **behalf: str) -> list[Exception]:
    """Answer, decline and forward as `actor`; return the three refusals."""
    police = Agency.objects.get(code="H42.30.01")
    calls = [
        lambda: services.answer_feedback(code=code, actor=actor, answer="Trả lời.", **behalf),
        lambda: services.decline_feedback(
            code=code, actor=actor, kind="duplicate", reason="Trùng.", **behalf
        ),
        lambda: services.forward_feedback(code=code, actor=actor, agency=police, reason="Cư trú.", **behalf),
    ]
    refusals = []
    for call in calls:
        with pytest.raises((TransitionNotAllowed, ValidationFailed)) as refused:
            call()
        refusals.append(refused.value)
    return refusals


# ---- Services -----------------------------------------------------------------------------------


def test_another_specialist_may_not_answer_decline_or_forward_a_held_feedback(held, second):
    before = _state(held)

    refusals = _try_all(held.code, second, on_behalf_reason="Tôi làm thay.")

    assert {(type(e), e.code) for e in refusals} == {(TransitionNotAllowed, "holder_required")}
    assert all("Lương Thị Xuân" in e.message for e in refusals)
    assert _state(held) == before


def test_a_leader_acts_for_the_holder_only_with_a_reason_kept_in_the_event(held, people):
    leader = people[LEADER]
    before = _state(held)
    refusals = _try_all(held.code, leader, on_behalf_reason="  ")
    assert {(type(e), e.code) for e in refusals} == {(ValidationFailed, "required")}
    assert set(refusals[0].fields) == {"on_behalf_reason"}
    assert "Lương Thị Xuân" in refusals[0].message
    assert _state(held) == before

    answered = services.answer_feedback(
        code=held.code, actor=leader, answer="Phải nộp.", on_behalf_reason="Đồng chí Xuân nghỉ ốm."
    )

    event = answered.events.get(action="answer")
    assert answered.status == "answered" and answered.answered_by == leader and event.actor == leader
    assert event.data["on_behalf_of"] == {"username": CLERK, "name": "Lương Thị Xuân"}
    assert event.data["on_behalf_reason"] == "Đồng chí Xuân nghỉ ốm." and event.reason == ""
    told = OutboxMessage.objects.filter(kind="feedback_answered", source=f"feedback-event:{event.pk}")
    assert told.exists()
    # The sender's page and track show neither who held it nor why the leader answered.
    page = Client().get(f"/phan-anh-kien-nghi/theo-doi/{held.code}", {"secret": held.secret}).content.decode()
    track = Client().get(f"{API}/track/{held.code}", {"secret": held.secret}).content.decode()
    assert "nghỉ ốm" not in page + track and "Lương Thị Xuân" not in page + track


def test_a_leader_forwards_or_declines_for_the_holder_with_her_reason(held, people):
    leader = people[LEADER]
    other = services.submit_feedback(data=regulation(subject="Câu hỏi thứ hai"))
    services.take_feedback(code=other.code, actor=people[CLERK])

    moved = services.forward_feedback(
        code=held.code,
        actor=leader,
        agency=Agency.objects.get(code="H42.30.01"),
        reason="Thuộc lĩnh vực cư trú.",
        on_behalf_reason="Chuyển ngay cho kịp hạn.",
    )
    declined = services.decline_feedback(
        code=other.code, actor=leader, kind="duplicate", reason="Trùng.", on_behalf_reason="Đã rõ là trùng."
    )

    forward = moved.events.get(action="forward")
    assert forward.reason == "Thuộc lĩnh vực cư trú." and moved.assignee is None
    assert forward.data == {
        "released": CLERK,
        "on_behalf_of": {"username": CLERK, "name": "Lương Thị Xuân"},
        "on_behalf_reason": "Chuyển ngay cho kịp hạn.",
    }
    decline = declined.events.get(action="decline")
    assert decline.reason == "Trùng." and decline.data["on_behalf_reason"] == "Đã rõ là trùng."


def test_the_holder_and_anyone_on_a_free_feedback_act_as_before(received, people, second):
    other = services.submit_feedback(data=regulation(subject="Câu hỏi thứ hai"))
    services.take_feedback(code=other.code, actor=people[CLERK])

    by_holder = services.answer_feedback(code=other.code, actor=people[CLERK], answer="Của tôi.")
    free = services.answer_feedback(code=received.code, actor=second, answer="Chưa ai nhận, tôi trả lời.")

    assert by_holder.events.get(action="answer").data == {"on_time": True}
    assert free.status == "answered" and free.events.get(action="answer").data == {"on_time": True}


def test_the_actions_allowed_follow_the_holder_rule(held, people, second):
    def allowed(name_or_user):
        user = people[name_or_user] if isinstance(name_or_user, str) else name_or_user
        return allowed_for(user, scope_for(user), Feedback.objects.get(pk=held.pk))

    assert allowed(CLERK).names() == ["forward", "answer", "decline", "release"]
    assert allowed(second).names() == [] and not allowed(second).on_behalf
    leader = allowed(LEADER)
    assert leader.names() == ["forward", "answer", "decline", "assign", "release"] and leader.on_behalf
    services.release_feedback(code=held.code, actor=people[CLERK], reason="Nghỉ phép.")
    assert allowed(second).names() == ["forward", "answer", "decline", "take"]
    assert not allowed(LEADER).on_behalf and "take" not in allowed(LEADER).names()


# ---- API ----------------------------------------------------------------------------------------


def _post(path: str, body: dict, auth: dict):
    headers = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    return Client().post(path, body, content_type="application/json", **headers, **auth)


def test_the_api_refuses_another_specialist_and_a_leader_without_a_reason(held, people, second):
    url = f"{API}/items/{held.code}"
    before = _state(held)

    other = _post(f"{url}/answer", {"answer": "Tôi trả lời."}, bearer(second))
    other_forward = _post(f"{url}/forward", {"agency_code": "H42.30.01", "reason": "x"}, bearer(second))
    no_reason = _post(f"{url}/decline", {"kind": "duplicate", "reason": "Trùng."}, bearer(people[LEADER]))

    assert other.status_code == other_forward.status_code == 409
    assert other.json()["error"]["code"] == other_forward.json()["error"]["code"] == "holder_required"
    assert set(other.json()["error"]) == {"code", "message", "fields"}
    assert other.json()["error"]["message"].startswith(REFUSED)
    assert no_reason.status_code == 422 and no_reason.json()["error"]["code"] == "required"
    assert list(no_reason.json()["error"]["fields"]) == ["on_behalf_reason"]
    assert _state(held) == before

    done = _post(
        f"{url}/answer",
        {"answer": "Phải nộp.", "on_behalf_reason": "Quá hạn, lãnh đạo trả lời.", "expected_version": 2},
        bearer(people[LEADER]),
    )
    assert done.status_code == 200 and done.json()["status"] == "answered"
    assert done.json()["allowed_actions"] == ["publish"]


def test_the_api_item_tells_each_caller_what_she_may_do(held, people, second):
    def item(user) -> dict:
        return Client().get(f"{API}/items/{held.code}", **bearer(user)).json()

    clerk, other, leader = item(people[CLERK]), item(second), item(people[LEADER])

    assert (clerk["allowed_actions"], clerk["on_behalf_reason_required"]) == (
        ["forward", "answer", "decline", "release"],
        False,
    )
    assert (other["allowed_actions"], other["on_behalf_reason_required"]) == ([], False)
    assert leader["allowed_actions"] == ["forward", "answer", "decline", "assign", "release"]
    assert leader["on_behalf_reason_required"] is True


# ---- Pages --------------------------------------------------------------------------------------


def test_another_specialist_sees_no_answer_forms_and_is_refused_in_vietnamese(held, second):
    client = staff_client(second)
    before = _state(held)

    page = client.get(f"/can-bo/phan-anh/{held.code}/").content.decode()
    refused = client.post(f"/can-bo/phan-anh/{held.code}/thao-tac/tra-loi/", {"answer": "X", "version": 2})
    declined = client.post(
        f"/can-bo/phan-anh/{held.code}/thao-tac/tu-choi/",
        {"kind": "duplicate", "reason": "Trùng.", "version": 2},
        **HTMX,
    )

    for form in ("answer-form", "forward-form", "decline-form", "take-form", "release-form", "assign-form"):
        assert f'id="{form}"' not in page, form
    assert 'id="held-note"' in page and REFUSED in page
    assert refused.status_code == declined.status_code == 409
    assert REFUSED in refused.content.decode() and REFUSED in declined.content.decode()
    assert "<html" not in declined.content.decode()  # htmx: the partial
    assert _state(held) == before


def test_the_holder_sees_her_forms_without_the_leaders_reason(held, people):
    page = staff_client(people[CLERK]).get(f"/can-bo/phan-anh/{held.code}/").content.decode()

    assert 'id="answer-form"' in page and 'id="forward-form"' in page and 'id="decline-form"' in page
    assert 'id="release-form"' in page and 'id="take-form"' not in page
    assert "on_behalf_reason" not in page and 'id="held-note"' not in page


def test_a_leader_answers_for_the_holder_on_the_page_giving_a_reason(held, people):
    client = staff_client(people[LEADER])
    url = f"/can-bo/phan-anh/{held.code}/thao-tac/tra-loi/"
    page = client.get(f"/can-bo/phan-anh/{held.code}/").content.decode()
    before = _state(held)

    missing = client.post(url, {"answer": "Phải nộp.", "on_behalf_reason": "", "version": 2})
    assert missing.status_code == 422 and _state(held) == before
    reason = "Đồng chí Xuân đi công tác."
    done = client.post(url, {"answer": "Phải nộp.", "on_behalf_reason": reason, "version": 2})

    assert 'name="on_behalf_reason"' in page and page.count('name="on_behalf_reason"') == 3
    assert "Lương Thị Xuân đang xử lý phản ánh này. Là lãnh đạo" in page
    html = missing.content.decode()
    assert "Lương Thị Xuân đang xử lý phản ánh này: nêu lý do đồng chí làm thay." in html
    assert "Phải nộp." in html  # what was typed is kept
    assert done.status_code == 302
    shown = client.get(f"/can-bo/phan-anh/{held.code}/").content.decode()
    assert "Làm thay Lương Thị Xuân, người đang xử lý: Đồng chí Xuân đi công tác." in shown
