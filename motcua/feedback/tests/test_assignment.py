"""Who holds a feedback in its agency: assign, take, reassign with a reason; "my feedback items"."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from motcua.api.auth import issue_token
from motcua.core.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed
from motcua.feedback import services
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.notify.models import OutboxMessage
from motcua.org.models import Agency

from .conftest import HTMX, regulation, staff_client

API = "/api/v1/feedback"


def _events(feedback: Feedback) -> list[str]:
    return list(feedback.events.order_by("at", "pk").values_list("action", flat=True))


# ---- Services -----------------------------------------------------------------------------------


def test_a_leader_assigns_a_specialist_who_is_told_and_the_audit_says_so(received, people, clock):
    clock.set("2025-11-18 10:00")
    clerk = people["cv.tuphap.thanhsen"]

    held = services.assign_feedback(code=received.code, actor=people["ct.thanhsen"], assignee=clerk)

    assert (held.assignee, held.version) == (clerk, 2) and held.assigned_at is not None
    event = held.events.get(action="assign")
    assert event.actor == people["ct.thanhsen"] and event.data["assignee"]["username"] == clerk.username
    told = OutboxMessage.objects.filter(kind="feedback_assigned", source=f"feedback-event:{event.pk}")
    assert [m.recipient for m in told] == [clerk.email]
    assert "Tạ Văn Nam" in told.get().body  # who handed it over


def test_only_a_leader_assigns_and_only_to_a_specialist_of_the_agency(received, people, second):
    with pytest.raises(TransitionNotAllowed) as by_specialist:
        services.assign_feedback(code=received.code, actor=people["cv.tuphap.thanhsen"], assignee=second)
    with pytest.raises(ValidationFailed) as elsewhere:
        services.assign_feedback(
            code=received.code, actor=people["ct.thanhsen"], assignee=people["ca.thanhsen"]
        )
    with pytest.raises(ValidationFailed) as a_leader:
        services.assign_feedback(
            code=received.code, actor=people["ct.thanhsen"], assignee=people["ct.thanhsen"]
        )
    with pytest.raises(NotFound):  # another agency's leader: not hers, so not found
        services.assign_feedback(code=received.code, actor=people["ld.ca.thanhsen"], assignee=second)

    assert by_specialist.value.code == "leader_required"
    assert elsewhere.value.code == a_leader.value.code == "assignee_not_in_agency"
    received.refresh_from_db()
    assert received.assignee is None and received.version == 1 and _events(received) == ["submit"]


def test_reassigning_needs_a_reason_and_keeps_who_held_it(received, people, second):
    leader, clerk = people["ct.thanhsen"], people["cv.tuphap.thanhsen"]
    services.assign_feedback(code=received.code, actor=leader, assignee=clerk)

    with pytest.raises(ValidationFailed) as no_reason:
        services.assign_feedback(code=received.code, actor=leader, assignee=second, reason="  ")
    with pytest.raises(ValidationFailed) as same:
        services.assign_feedback(code=received.code, actor=leader, assignee=clerk, reason="Lại.")
    moved = services.assign_feedback(
        code=received.code, actor=leader, assignee=second, reason="Chị Xuân nghỉ phép.", expected_version=2
    )

    assert (no_reason.value.code, same.value.code) == ("required", "already_assigned")
    assert no_reason.value.fields == {"reason": "Nêu lý do giao cho chuyên viên khác."}
    assert moved.assignee == second and _events(moved) == ["submit", "assign", "reassign"]
    event = moved.events.get(action="reassign")
    assert event.reason == "Chị Xuân nghỉ phép." and event.data["previous"]["username"] == clerk.username
    assert OutboxMessage.objects.filter(kind="feedback_assigned", recipient=second.email).exists()


def test_a_specialist_takes_a_free_feedback_but_not_one_held_by_another(received, people, second):
    clerk = people["cv.tuphap.thanhsen"]
    with pytest.raises(TransitionNotAllowed) as leader_takes:
        services.take_feedback(code=received.code, actor=people["ct.thanhsen"])
    with pytest.raises(NotFound):
        services.take_feedback(code=received.code, actor=people["ca.thanhsen"])

    taken = services.take_feedback(code=received.code, actor=clerk)
    with pytest.raises(TransitionNotAllowed) as again:
        services.take_feedback(code=received.code, actor=clerk)
    with pytest.raises(TransitionNotAllowed) as held:
        services.take_feedback(code=received.code, actor=second)

    assert leader_takes.value.code == "specialist_required"
    assert (again.value.code, held.value.code) == ("already_yours", "feedback_held")
    assert "Lương Thị Xuân" in held.value.message
    assert taken.assignee == clerk and _events(taken) == ["submit", "take"]
    assert not OutboxMessage.objects.filter(kind="feedback_assigned", recipient=clerk.email).exists()


def test_a_closed_or_stale_feedback_is_not_handed_out(received, people, second):
    leader = people["ct.thanhsen"]
    with pytest.raises(Conflict) as stale:
        services.assign_feedback(code=received.code, actor=leader, assignee=second, expected_version=7)
    services.answer_feedback(code=received.code, actor=leader, answer="Trả lời.")
    with pytest.raises(TransitionNotAllowed) as closed:
        services.assign_feedback(code=received.code, actor=leader, assignee=second)

    assert (stale.value.code, closed.value.code) == ("feedback_changed", "feedback_closed")


def test_forwarding_releases_the_holder_of_the_old_agency(received, people):
    clerk = people["cv.tuphap.thanhsen"]
    services.take_feedback(code=received.code, actor=clerk)

    moved = services.forward_feedback(
        code=received.code, actor=clerk, agency=Agency.objects.get(code="H42.30.01"), reason="Cư trú."
    )

    assert (moved.assignee, moved.assigned_at) == (None, None)
    assert moved.events.get(action="forward").data == {"released": clerk.username}
    services.take_feedback(code=received.code, actor=people["ca.thanhsen"])  # the police's own specialist


def test_the_sender_does_not_see_who_holds_it(received, people):
    services.assign_feedback(
        code=received.code, actor=people["ct.thanhsen"], assignee=people["cv.tuphap.thanhsen"]
    )

    page = Client().get(f"/phan-anh-kien-nghi/theo-doi/{received.code}", {"secret": received.secret})
    track = Client().get(f"{API}/track/{received.code}", {"secret": received.secret}).json()

    assert (
        "Lương Thị Xuân" not in page.content.decode() and "Đã giao chuyên viên" not in page.content.decode()
    )
    assert [s["action"] for s in track["steps"]] == ["submit"]


# ---- Pages --------------------------------------------------------------------------------------


def test_the_leader_assigns_on_the_page_and_a_missing_reason_is_said_in_vietnamese(received, people, second):
    leader = staff_client(people["ct.thanhsen"])
    url = f"/can-bo/phan-anh/{received.code}/thao-tac/giao/"
    page = leader.get(f"/can-bo/phan-anh/{received.code}/").content.decode()

    first = leader.post(url, {"assignee": "cv.tuphap.thanhsen", "reason": "", "version": 1})
    refused = leader.post(url, {"assignee": second.username, "reason": "", "version": 2}, **HTMX)
    stranger = leader.post(url, {"assignee": "ca.thanhsen", "reason": "x", "version": 2})

    assert 'id="assign-form"' in page and "Giao chuyên viên xử lý" in page and "Đinh Thị Hoa" in page
    assert "Kiều Văn Phúc" not in page  # the police's specialist is not on the list
    assert first.status_code == 302
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "Nêu lý do giao cho chuyên viên khác." in html and "<html" not in html  # htmx: the partial
    assert (
        stranger.status_code == 422
        and "Chọn một chuyên viên của cơ quan trong danh sách." in stranger.content.decode()
    )
    received.refresh_from_db()
    assert received.assignee == people["cv.tuphap.thanhsen"] and _events(received) == ["submit", "assign"]
    shown = leader.get(f"/can-bo/phan-anh/{received.code}/").content.decode()
    assert "Lương Thị Xuân" in shown and "Giao cho chuyên viên khác" in shown


def test_a_specialist_takes_it_on_the_page_and_others_get_not_found(received, people):
    clerk = staff_client(people["cv.tuphap.thanhsen"])
    page = clerk.get(f"/can-bo/phan-anh/{received.code}/").content.decode()

    other = staff_client(people["ca.thanhsen"]).post(
        f"/can-bo/phan-anh/{received.code}/thao-tac/nhan/", {"version": 1}
    )
    taken = clerk.post(f"/can-bo/phan-anh/{received.code}/thao-tac/nhan/", {"version": 1})
    again = clerk.post(f"/can-bo/phan-anh/{received.code}/thao-tac/nhan/", {"version": 2})

    assert 'id="take-form"' in page and 'id="assign-form"' not in page
    assert other.status_code == 404 and taken.status_code == 302
    assert again.status_code == 409 and "Đồng chí đang xử lý phản ánh này." in again.content.decode()


def test_my_feedback_items_lists_what_i_hold_by_urgency(received, people, clock, second):
    clock.set("2025-11-17 10:00")
    mine = services.submit_feedback(data=regulation(subject="Của tôi"))
    services.submit_feedback(data=regulation(subject="Chưa ai nhận"))
    services.take_feedback(code=received.code, actor=people["cv.tuphap.thanhsen"])
    services.assign_feedback(
        code=mine.code, actor=people["ct.thanhsen"], assignee=people["cv.tuphap.thanhsen"]
    )
    clock.set("2025-12-01 10:00")  # received is due 01/12 09:00: late now; the other two are due soon

    client = staff_client(people["cv.tuphap.thanhsen"])
    listing = client.get("/can-bo/phan-anh/", {"holder": "mine"}).content.decode()
    free = client.get("/can-bo/phan-anh/", {"holder": "none"}, **HTMX).content.decode()
    late = client.get("/can-bo/phan-anh/", {"holder": "mine", "urgency": "late"}, **HTMX).content.decode()
    others = staff_client(second).get("/can-bo/phan-anh/", {"holder": "mine"}).content.decode()

    assert received.code in listing and mine.code in listing and "Chưa ai nhận" not in listing
    assert "Phản ánh của tôi" in listing and "Chuyên viên xử lý" in listing
    assert "Chưa ai nhận" in free and received.code not in free
    assert received.code in late and mine.code not in late
    assert received.code not in others and "Không có phản ánh, kiến nghị nào." in others


def test_the_inbox_with_holders_takes_a_fixed_number_of_queries(
    received, people, clock, django_assert_num_queries
):
    client = staff_client(people["ct.thanhsen"])
    for _ in range(3):
        f = services.submit_feedback(data=regulation())
        services.take_feedback(code=f.code, actor=people["cv.tuphap.thanhsen"])
    client.get("/can-bo/phan-anh/", **HTMX)

    with django_assert_num_queries(6):  # session, user, roles, counts, count, page with holders
        response = client.get("/can-bo/phan-anh/", **HTMX)

    assert response.content.decode().count("Lương Thị Xuân") == 3


# ---- API ----------------------------------------------------------------------------------------


def _post(client: Client, path: str, body: dict, key: str | None = None, **extra: str):
    headers = {"HTTP_IDEMPOTENCY_KEY": key or str(uuid.uuid4())}
    return client.post(path, body, content_type="application/json", **headers, **extra)


def _bearer(user) -> dict[str, str]:
    _token, key = issue_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_assigns_takes_and_reassigns_with_keys_and_one_error_shape(received, people, second):
    leader, clerk = _bearer(people["ct.thanhsen"]), _bearer(people["cv.tuphap.thanhsen"])
    url = f"{API}/items/{received.code}"
    key = str(uuid.uuid4())

    taken = _post(Client(), f"{url}/take", {"expected_version": 1}, key, **clerk)
    replay = _post(Client(), f"{url}/take", {"expected_version": 1}, key, **clerk)
    no_reason = _post(Client(), f"{url}/assign", {"assignee": second.username}, **leader)
    unknown = _post(Client(), f"{url}/assign", {"assignee": "khong.co.ai", "reason": "x"}, **leader)
    not_leader = _post(Client(), f"{url}/assign", {"assignee": second.username, "reason": "x"}, **clerk)
    police = _post(
        Client(), f"{url}/assign", {"assignee": "khong.co.ai"}, **_bearer(people["ld.ca.thanhsen"])
    )
    moved = _post(Client(), f"{url}/assign", {"assignee": second.username, "reason": "Nghỉ phép."}, **leader)

    assert taken.status_code == replay.status_code == 200 and taken.json() == replay.json()
    assert taken.json()["assignee"] == {"username": "cv.tuphap.thanhsen", "name": "Lương Thị Xuân"}
    assert no_reason.status_code == 422 and no_reason.json()["error"] == {
        "code": "required",
        "message": "Nêu lý do giao cho chuyên viên khác.",
        "fields": {"reason": "Nêu lý do giao cho chuyên viên khác."},
    }
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "assignee_not_in_agency"
    assert not_leader.status_code == 409 and not_leader.json()["error"]["code"] == "leader_required"
    assert police.status_code == 404 and police.json()["error"]["code"] == "feedback_not_found"
    assert moved.status_code == 200 and moved.json()["assignee"]["username"] == second.username
    assert [s["action"] for s in moved.json()["steps"]] == ["submit", "take", "reassign"]
    assert FeedbackEvent.objects.filter(feedback=received).count() == 3


def test_the_api_lists_my_items_and_those_nobody_holds(received, people, clock, django_assert_num_queries):
    services.take_feedback(code=received.code, actor=people["cv.tuphap.thanhsen"])
    free = services.submit_feedback(data=regulation())
    auth = _bearer(people["cv.tuphap.thanhsen"])
    Client().get(f"{API}/items", **auth)

    with django_assert_num_queries(4):  # token, token use, count, page with holders
        mine = Client().get(f"{API}/items", {"holder": "mine"}, **auth).json()
    nobody = Client().get(f"{API}/items", {"holder": "none"}, **auth).json()

    assert [i["code"] for i in mine["items"]] == [received.code]
    assert mine["items"][0]["assignee"]["name"] == "Lương Thị Xuân" and mine["items"][0]["assigned_at"]
    assert [i["code"] for i in nobody["items"]] == [free.code] and nobody["items"][0]["assignee"] is None


def test_the_holder_hands_it_back_with_a_reason_and_it_is_free_again(received, people, second):
    clerk = people["cv.tuphap.thanhsen"]
    services.take_feedback(code=received.code, actor=clerk)
    with pytest.raises(TransitionNotAllowed) as not_hers:
        services.release_feedback(code=received.code, actor=second, reason="Không phải việc của tôi.")
    with pytest.raises(ValidationFailed) as no_reason:
        services.release_feedback(code=received.code, actor=clerk, reason="  ")
    with pytest.raises(NotFound):
        services.release_feedback(code=received.code, actor=people["ca.thanhsen"], reason="x")

    freed = services.release_feedback(code=received.code, actor=clerk, reason="Tôi nghỉ phép từ mai.")
    with pytest.raises(TransitionNotAllowed) as nobody:
        services.release_feedback(code=received.code, actor=clerk, reason="Lần nữa.")
    taken_again = services.take_feedback(code=received.code, actor=second)

    assert not_hers.value.code == "holder_required" and no_reason.value.code == "required"
    assert no_reason.value.fields == {"reason": "Nêu lý do trả lại phản ánh."}
    assert freed.assignee is None and freed.assigned_at is None and nobody.value.code == "not_held"
    event = freed.events.get(action="release")
    assert event.reason == "Tôi nghỉ phép từ mai." and event.data["previous"]["username"] == clerk.username
    assert event.actor == clerk and taken_again.assignee == second
    assert _events(taken_again) == ["submit", "take", "release", "take"]


def test_a_leader_takes_it_off_its_holder_on_the_page_and_the_sender_never_sees_it(received, people):
    services.take_feedback(code=received.code, actor=people["cv.tuphap.thanhsen"])
    leader = staff_client(people["ct.thanhsen"])
    page = leader.get(f"/can-bo/phan-anh/{received.code}/").content.decode()

    missing = leader.post(f"/can-bo/phan-anh/{received.code}/thao-tac/tra-lai/", {"version": 2}, **HTMX)
    done = leader.post(
        f"/can-bo/phan-anh/{received.code}/thao-tac/tra-lai/", {"version": 2, "reason": "Giao lại sau."}
    )
    track = Client().get(f"{API}/track/{received.code}", {"secret": received.secret}).json()

    assert 'id="release-form"' in page and "Lương Thị Xuân đang xử lý phản ánh này" in page
    assert "Nêu lý do trả lại phản ánh." in missing.content.decode()
    assert done.status_code == 302 and Feedback.objects.get(pk=received.pk).assignee is None
    assert "release" not in [s["action"] for s in track["steps"]]


def test_the_api_hands_it_back_with_a_key_and_the_one_error_shape(received, people):
    clerk = _bearer(people["cv.tuphap.thanhsen"])
    url = f"{API}/items/{received.code}/release"
    free = _post(Client(), url, {"reason": "x"}, **clerk)
    services.take_feedback(code=received.code, actor=people["cv.tuphap.thanhsen"])
    key = str(uuid.uuid4())

    released = _post(Client(), url, {"reason": "Nhầm việc.", "expected_version": 2}, key, **clerk)
    replay = _post(Client(), url, {"reason": "Nhầm việc.", "expected_version": 2}, key, **clerk)

    assert free.status_code == 409 and free.json()["error"]["code"] == "not_held"
    assert released.status_code == replay.status_code == 200 and released.json() == replay.json()
    assert released.json()["assignee"] is None
    assert FeedbackEvent.objects.filter(feedback=received, action="release").count() == 1
