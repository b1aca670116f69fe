"""The dossier API end to end: staff act with bearer tokens, time frozen by the `clock` fixture."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier, DossierEvent

from .conftest import PDF, b64, birth_json

BASE = "/api/v1/dossiers"


def _active(detail: dict) -> dict[str, dict]:
    return {s["branch"] or "main": s for s in detail["steps"] if s["status"] == "active"}


def _receive(staff, **overrides) -> dict:
    response = staff["motcua.thanhsen"].post(BASE, birth_json(**overrides))
    assert response.status_code == 201, response.json()
    return response.json()


def _finish_steps(staff, code: str) -> dict:
    """Complete every agency step as the agency's leader, as the late-dossier test needs."""
    leaders = {"H42.50.01": "ct.thanhsen", "H42.30.01": "ld.ca.thanhsen", "H42.32": "ld.bhxh"}
    detail = staff["ct.thanhsen"].get(f"{BASE}/{code}").json()
    for _ in range(10):
        steps = [s for s in _active(detail).values() if s["role"] != "counter_officer"]
        if not steps:
            return detail
        step = steps[0]
        response = staff[leaders[step["agency"]["code"]]].post(f"{BASE}/{code}/steps/{step['id']}/complete")
        assert response.status_code == 200, response.json()
        detail = response.json()
    raise AssertionError("steps never finished")


def test_an_inter_agency_dossier_goes_from_counter_to_hand_over(staff, clock):
    detail = _receive(staff)
    code = detail["code"]
    assert code == "H42.50.01-251103-010001"
    assert detail["status"] == "in_progress"  # received before 15:00: transferred at once
    assert detail["due_at"] == "2025-11-06T02:00:00Z"
    assert [f["document_position"] for f in detail["files"]] == [0, 1]
    assert detail["applicant"]["id_number"] == "042090001234"
    assert detail["lookup_secret"]  # the desk prints it on the receipt

    review = _active(detail)["main"]
    specialist = staff["cv.tuphap.thanhsen"]
    clock.set("2025-11-03 10:00")
    taken = specialist.post(
        f"{BASE}/{code}/steps/{review['id']}/take", {"expected_version": detail["version"]}
    )
    assert taken.json()["steps"][1]["assigned_to"]["username"] == "cv.tuphap.thanhsen"
    clock.set("2025-11-03 14:00")
    detail = specialist.post(
        f"{BASE}/{code}/steps/{review['id']}/complete", {"comment": "Đủ điều kiện"}
    ).json()
    branches = _active(detail)
    assert {b: s["agency"]["code"] for b, s in branches.items()} == {
        "ho-tich": "H42.50.01",
        "cu-tru": "H42.30.01",
        "bhyt": "H42.32",
    }

    clock.set("2025-11-04 08:00")
    asked = staff["ca.thanhsen"].post(
        f"{BASE}/{code}/supplement-request",
        {"items": [{"position": 2, "reason": "Thiếu giấy tờ chứng minh chỗ ở hợp pháp."}]},
    )
    assert asked.json()["status"] == "waiting_supplement"
    assert asked.json()["requests"][0]["items"][0]["position"] == 2

    clock.set("2025-11-05 10:00")
    supplemented = staff["motcua.thanhsen"].post(
        f"{BASE}/{code}/supplement",
        {"files": [{"name": "cho-o.pdf", "content_base64": b64(), "document_position": 2}], "provided": [2]},
    )
    assert supplemented.status_code == 200, supplemented.json()
    assert supplemented.json()["status"] == "in_progress"
    assert supplemented.json()["due_at"] == "2025-11-10T03:00:00Z"  # Decree 118: the clock restarts

    clock.set("2025-11-05 11:00")
    staff["ct.thanhsen"].post(f"{BASE}/{code}/steps/{branches['ho-tich']['id']}/complete")
    clock.set("2025-11-06 09:00")
    detail = staff["ca.thanhsen"].post(f"{BASE}/{code}/steps/{branches['cu-tru']['id']}/complete").json()
    police_leader = _active(detail)["cu-tru"]
    assert police_leader["role"] == "agency_leader"
    assert "complete" not in [a for s in detail["steps"] for a in s["actions"]]  # the specialist is done
    leader = staff["ld.ca.thanhsen"]
    leader_view = leader.get(f"{BASE}/{code}").json()
    assert [s["actions"] for s in leader_view["steps"] if s["id"] == police_leader["id"]] == [
        ["assign", "take", "complete", "return"]
    ]
    clock.set("2025-11-06 10:00")
    leader.post(f"{BASE}/{code}/steps/{police_leader['id']}/complete", {"comment": "Duyệt"})
    staff["cv.bhxh"].post(f"{BASE}/{code}/steps/{branches['bhyt']['id']}/complete")
    detail = staff["ld.bhxh"].get(f"{BASE}/{code}").json()
    staff["ld.bhxh"].post(f"{BASE}/{code}/steps/{_active(detail)['bhyt']['id']}/complete")

    clock.set("2025-11-06 14:00")
    ready = staff["cv.tuphap.thanhsen"].post(
        f"{BASE}/{code}/result-ready", {"files": [{"name": "giay-khai-sinh.pdf", "content_base64": b64()}]}
    )
    assert ready.json()["status"] == "result_ready"
    assert ready.json()["files"][-1]["kind"] == "result"
    desk_view = staff["motcua.thanhsen"].get(f"{BASE}/{code}").json()
    assert (
        desk_view["allowed_actions"] == ["hand_over", "attach_file"]
        or "hand_over" in desk_view["allowed_actions"]
    )

    clock.set("2025-11-07 08:30")
    returned = staff["motcua.thanhsen"].post(f"{BASE}/{code}/hand-over", {"recipient": "Trần Văn Bình"})
    final = returned.json()
    assert (final["status"], final["outcome"], final["late"]) == ("returned", "early", False)
    actions = [e["action"] for e in final["timeline"]]
    assert actions[:4] == ["receive", "transfer", "take_step", "complete_step"]
    assert actions[-2:] == ["mark_result_ready", "hand_over"]
    assert actions.count("complete_step") == 6 and "take_step" in actions
    assert final["allowed_actions"] == []


def test_a_late_dossier_gets_its_one_apology_and_is_judged_by_the_first_promise(staff, clock):
    code = _receive(staff)["code"]
    clock.set("2025-11-05 09:00")
    apology = {
        "reason": "Cần xác minh thông tin cư trú của người mẹ.",
        "new_due_at": "2025-11-12T16:00:00",
        "signer_name": "Tạ Văn Nam",
        "signer_title": "Chủ tịch UBND phường",
    }
    response = staff["cv.tuphap.thanhsen"].post(f"{BASE}/{code}/apology", apology)
    assert response.status_code == 200, response.json()
    detail = response.json()
    assert detail["apology"]["new_due_at"] == "2025-11-12T09:00:00Z"  # no offset: Vietnam time
    assert detail["due_at"] == "2025-11-12T09:00:00Z" and detail["original_due_at"] == "2025-11-06T02:00:00Z"
    assert "issue_apology" not in detail["allowed_actions"]

    second = {**apology, "reason": "Lần hai", "new_due_at": "2025-11-20T16:00:00+07:00"}
    again = staff["cv.tuphap.thanhsen"].post(f"{BASE}/{code}/apology", second)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "apology_already_issued"

    clock.set("2025-11-11 09:00")
    _finish_steps(staff, code)
    staff["ct.thanhsen"].post(f"{BASE}/{code}/result-ready")
    clock.set("2025-11-11 14:00")
    final = staff["motcua.thanhsen"].post(f"{BASE}/{code}/hand-over").json()
    assert (final["outcome"], final["late"]) == ("late", True)


def test_a_refusal_during_processing_closes_every_open_step(staff, clock):
    code = _receive(staff)["code"]

    missing = staff["cv.tuphap.thanhsen"].post(f"{BASE}/{code}/refuse", {"reasons": "  "})
    assert missing.status_code == 422 and missing.json()["error"]["fields"] == {"reasons": "required"}
    response = staff["cv.tuphap.thanhsen"].post(f"{BASE}/{code}/refuse", {"reasons": "Giấy chứng sinh giả."})

    detail = response.json()
    assert detail["status"] == "refused" and detail["finished_at"] == "2025-11-03T02:00:00Z"
    assert {s["status"] for s in detail["steps"]} <= {"done", "cancelled"}
    assert detail["timeline"][-1]["comment"] == "Giấy chứng sinh giả."


def test_a_stopped_dossier_refuses_any_further_step(staff, clock):
    detail = _receive(staff)
    code, step = detail["code"], _active(detail)["main"]

    stopped = staff["motcua.thanhsen"].post(f"{BASE}/{code}/stop", {"reason": "Công dân xin dừng."})
    assert stopped.json()["status"] == "stopped"
    late_step = staff["cv.tuphap.thanhsen"].post(f"{BASE}/{code}/steps/{step['id']}/complete")

    assert late_step.status_code == 409
    assert late_step.json()["error"]["code"] == "step_not_active"
    again = staff["motcua.thanhsen"].post(f"{BASE}/{code}/stop")
    assert again.status_code == 409 and again.json()["error"]["code"] == "transition_not_allowed"


def test_the_counter_may_ask_to_complete_refuse_or_settle_on_the_spot(staff, clock):
    desk = staff["motcua.thanhsen"]
    asked = desk.post(
        BASE,
        birth_json(outcome="request_completion", provided=[0], items=[{"position": 1, "reason": "Thiếu."}]),
    )
    refused = desk.post(BASE, birth_json(outcome="refuse", reasons="Đã đăng ký khai sinh nơi khác."))
    spot = desk.post(
        BASE,
        birth_json(
            procedure_code="2.000815",
            provided=[0],
            files=[{"name": "ban-chinh.pdf", "content_base64": b64(), "document_position": 0}],
            outcome="on_the_spot",
            result_files=[{"name": "ban-sao.pdf", "content_base64": b64()}],
        ),
    )
    by_post = desk.post(BASE, birth_json(channel="post", postmarked_at="2025-11-01T10:00:00+07:00"))
    refused_by_post = desk.post(BASE, birth_json(channel="post", outcome="refuse", reasons="x"))

    assert [r.status_code for r in (asked, refused, spot)] == [201, 201, 201]
    assert asked.json()["status"] == "needs_completion"
    assert asked.json()["requests"][0]["items"][0]["name"] == "Giấy chứng sinh"
    assert refused.json()["status"] == "refused" and refused.json()["code"].startswith("H42.50.01-251103-")
    assert (spot.json()["status"], spot.json()["outcome"]) == ("returned", "on_time")
    assert (by_post.json()["channel"], by_post.json()["received_at"]) == ("post", "2025-11-01T03:00:00Z")
    assert (refused_by_post.status_code, refused_by_post.json()["error"]["code"]) == (422, "wrong_channel")


def test_a_multipart_intake_stores_each_part_at_its_document_position(staff, clock, settings):
    desk = staff["motcua.thanhsen"]
    body = birth_json(files=[], file_positions=[0, 1])
    response = desk.client.post(
        f"{BASE}/multipart",
        {
            "data": json.dumps(body),
            "files": [_upload("to-khai.pdf"), _upload("giay-chung-sinh.pdf")],
        },
        **desk.auth,
        HTTP_IDEMPOTENCY_KEY="multipart-1",
    )

    assert response.status_code == 201, response.json()
    files = response.json()["files"]
    assert [(f["name"], f["document_position"], f["size"]) for f in files] == [
        ("to-khai.pdf", 0, len(PDF)),
        ("giay-chung-sinh.pdf", 1, len(PDF)),
    ]
    broken = desk.client.post(
        f"{BASE}/multipart", {"data": "{not json"}, **desk.auth, HTTP_IDEMPOTENCY_KEY="multipart-2"
    )
    assert broken.status_code == 422 and "data" in broken.json()["error"]["fields"]
    settings.MOTCUA = {**settings.MOTCUA, "MAX_UPLOAD_MB": 1}
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * 1024 * 1024, content_type="application/pdf")
    too_big = desk.client.post(
        f"{BASE}/multipart",
        {"data": json.dumps(body), "files": [big]},
        **desk.auth,
        HTTP_IDEMPOTENCY_KEY="m-3",
    )
    assert (too_big.status_code, list(too_big.json()["error"]["fields"])) == (422, ["files.0"])


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_an_oversized_file_is_refused_from_its_length_before_decoding(staff, clock, settings, monkeypatch):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_UPLOAD_MB": 1}
    decoded: list[int] = []
    real_decode = base64.b64decode
    monkeypatch.setattr(base64, "b64decode", lambda *a, **k: decoded.append(1) or real_decode(*a, **k))
    big = b64(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))

    response = staff["motcua.thanhsen"].post(
        BASE, birth_json(files=[{"name": "scan.pdf", "content_base64": big, "document_position": 0}])
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "file_too_large"
    assert list(response.json()["error"]["fields"]) == ["files.0.content_base64"]
    assert decoded == [] and Dossier.objects.count() == 0


def test_bad_input_is_a_422_naming_the_fields(staff, clock):
    desk = staff["motcua.thanhsen"]
    not_base64 = desk.post(BASE, birth_json(files=[{"name": "x.pdf", "content_base64": "@@@"}]))
    missing = desk.post(BASE, birth_json(provided=[0, 3]))
    wrong_type = desk.post(BASE, birth_json(sets="many"))

    assert not_base64.json()["error"]["fields"] == {"files.0.content_base64": ["invalid base64"]}
    assert missing.status_code == 422 and missing.json()["error"]["fields"]["missing"] == ["Giấy chứng sinh"]
    assert wrong_type.status_code == 422 and list(wrong_type.json()["error"]["fields"]) == ["body.sets"]
    assert Dossier.objects.count() == 0


def test_someone_elses_dossier_is_the_same_404_as_a_missing_one(staff, clock):
    detail = _receive(staff)
    code, step = detail["code"], _active(detail)["main"]
    outsider = staff["cv.datdai"]  # a provincial agency with no step in this dossier
    stale = {"expected_version": 999}

    answers = [
        outsider.get(f"{BASE}/{code}"),
        outsider.get(f"{BASE}/NO-SUCH-CODE"),
        outsider.post(f"{BASE}/{code}/steps/{step['id']}/complete", stale),
        outsider.post(f"{BASE}/NO-SUCH-CODE/steps/{step['id']}/complete", stale),
        staff["motcua.thachha"].post(f"{BASE}/{code}/stop", stale),
    ]

    assert [a.status_code for a in answers] == [404] * 5
    assert {a.json()["error"]["code"] for a in answers} == {"dossier_not_found"}
    assert (
        answers[0].json()
        == {"error": {"code": "dossier_not_found", "message": f"Không tìm thấy hồ sơ {code}.", "fields": {}}}
        or answers[0].json()["error"]["fields"] == {}
    )


def test_a_stale_expected_version_is_a_409_and_changes_nothing(staff, clock):
    detail = _receive(staff)
    code, step, seen = detail["code"], _active(detail)["main"], detail["version"]
    staff["cv.tuphap.thanhsen"].post(f"{BASE}/{code}/steps/{step['id']}/take", {"expected_version": seen})

    response = staff["ct.thanhsen"].post(
        f"{BASE}/{code}/steps/{step['id']}/complete", {"expected_version": seen}
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "dossier_changed"
    assert response.json()["error"]["fields"] == {"expected_version": seen, "version": seen + 1}
    assert not DossierEvent.objects.filter(action="complete_step", step_id=step["id"]).exists()


def test_an_assignment_needs_a_leader_and_a_colleague(staff, clock):
    detail = _receive(staff)
    code, step = detail["code"], _active(detail)["main"]
    path = f"{BASE}/{code}/steps/{step['id']}/assign"

    by_specialist = staff["cv.tuphap.thanhsen"].post(path, {"assignee": "ct.thanhsen"})
    unknown = staff["ct.thanhsen"].post(path, {"assignee": "nobody"})
    outsider = staff["ct.thanhsen"].post(path, {"assignee": "cv.bhxh"})
    done = staff["ct.thanhsen"].post(path, {"assignee": "cv.tuphap.thanhsen"})

    assert (by_specialist.status_code, by_specialist.json()["error"]["code"]) == (409, "leader_required")
    assert (unknown.status_code, unknown.json()["error"]["fields"]) == (422, {"assignee": ["unknown user"]})
    assert (outsider.status_code, outsider.json()["error"]["code"]) == (422, "assignee_not_in_agency")
    assigned = next(s for s in done.json()["steps"] if s["id"] == step["id"])["assigned_to"]
    assert assigned == {"username": "cv.tuphap.thanhsen", "name": "Lương Thị Xuân"}


def test_a_step_returned_to_an_earlier_one_runs_again(staff, clock):
    detail = _receive(staff)
    code = detail["code"]
    detail = (
        staff["cv.tuphap.thanhsen"]
        .post(f"{BASE}/{code}/steps/{_active(detail)['main']['id']}/complete")
        .json()
    )
    police = _active(detail)["cu-tru"]
    detail = staff["ca.thanhsen"].post(f"{BASE}/{code}/steps/{police['id']}/complete").json()
    leader_step = _active(detail)["cu-tru"]

    response = staff["ld.ca.thanhsen"].post(
        f"{BASE}/{code}/steps/{leader_step['id']}/return",
        {"to_step_id": police["id"], "reason": "Kiểm tra lại địa chỉ thường trú."},
    )

    again = _active(response.json())["cu-tru"]
    assert (again["position"], again["attempt"], again["agency"]["code"]) == (
        police["position"],
        2,
        "H42.30.01",
    )
    assert response.json()["timeline"][-1]["action"] == "return_step"


def test_files_download_for_staff_who_see_the_dossier_only(staff, clock):
    detail = _receive(staff)
    url = detail["files"][0]["url"]

    ok = staff["cv.tuphap.thanhsen"].get(url)
    hidden = staff["cv.datdai"].get(url)
    wrong_id = staff["motcua.thanhsen"].get(f"{BASE}/{detail['code']}/files/999999")

    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PDF
    assert ok["Content-Disposition"] == 'attachment; filename="to-khai.pdf"'
    assert (hidden.status_code, wrong_id.status_code) == (404, 404)


def test_detail_hides_internal_fields_from_other_staff_than_the_desk(staff, clock):
    detail = _receive(staff)
    agency_view = staff["cv.tuphap.thanhsen"].get(f"{BASE}/{detail['code']}").json()

    assert agency_view["lookup_secret"] is None and detail["lookup_secret"]
    assert agency_view["applicant"]["name"] == "Trần Văn Bình"
    assert agency_view["allowed_actions"] == [
        "take_step",
        "complete_step",
        "return_step",
        "request_supplement",
        "issue_apology",
        "refuse",
        "sign_file",  # the handling agency seals its results
    ]
    assert detail["allowed_actions"] == [
        "stop",
        "sign_file",
    ]  # the desk (its scans), while an agency holds it
    event = agency_view["timeline"][0]
    assert (event["action"], event["actor_name"], event["agency"]["code"]) == (
        "receive",
        "Võ Thị Thu",
        "H42.50.01",
    )


@pytest.mark.parametrize("status_filter", [["received"], ["in_progress", "received"]])
def test_the_status_filter_takes_one_or_several_statuses(staff, clock, status_filter):
    _receive(staff)
    body = staff["motcua.thanhsen"].get(BASE, {"status": status_filter}).json()
    assert body["count"] == (1 if "in_progress" in status_filter else 0)


def _codes(client, **params) -> list[str]:
    response = client.get(BASE, params)
    assert response.status_code == 200, response.json()
    return [item["code"] for item in response.json()["items"]]


def test_the_list_filters_by_agency_holder_text_procedure_channel_and_day(staff, clock):
    first = _receive(staff)
    clock.set("2025-11-04 09:00")
    other = birth_json(applicant={"name": "Lê Thị Hoa", "id_number": "042199000111"})
    second = _receive(staff, **other)
    desk, police = staff["motcua.thanhsen"], staff["ca.thanhsen"]

    assert _codes(desk) == [first["code"], second["code"]]  # by due date, then code
    assert _codes(desk, q="văn bình") == _codes(desk, q="042090001234") == [first["code"]]
    # Typed without diacritics, in any case, word starts only: "thi hoa" is Lê Thị Hoa, "oa" is nobody.
    assert _codes(desk, q="TRAN van") == _codes(desk, q="binh") == [first["code"]]
    assert _codes(desk, q="le thi hoa") == _codes(desk, q="Thị") == [second["code"]]
    assert _codes(desk, q="oa") == _codes(desk, q="văn hoa") == []
    assert _codes(desk, q="H42.50.01-251104") == [second["code"]]
    assert _codes(desk, received_from="2025-11-04") == [second["code"]]
    assert _codes(desk, received_to="2025-11-03") == [first["code"]]
    assert _codes(desk, procedure="2.000815") == _codes(desk, channel="post") == []
    assert _codes(police, agency="H42.30.01") == _codes(police, holder="me") == []
    staff["cv.tuphap.thanhsen"].post(f"{BASE}/{first['code']}/steps/{_active(first)['main']['id']}/complete")
    assert _codes(police, agency="H42.30.01") == _codes(police, holder="me") == [first["code"]]
    assert _codes(staff["motcua.thachha"]) == []  # another commune's desk sees none of them
    page = desk.get(BASE, {"page": 2, "page_size": 1}).json()
    assert (page["count"], page["pages"], [i["code"] for i in page["items"]]) == (2, 2, [second["code"]])
    assert desk.get(BASE, {"page_size": 101}).status_code == 422


def test_due_soon_counts_one_working_day_by_the_calendar_and_late_is_past_due(staff, clock):
    clock.set("2025-11-05 14:00")  # Wednesday: due Monday 14:00 after three working days
    code = _receive(staff)["code"]
    desk = staff["motcua.thanhsen"]

    clock.set("2025-11-07 13:00")  # Friday: one working day ahead is Monday 13:00
    assert _codes(desk, due_soon="true") == []
    clock.set("2025-11-07 15:00")  # 71 hours before the due moment, yet one working day
    assert _codes(desk, due_soon="true") == [code] and _codes(desk, late="true") == []
    clock.set("2025-11-10 14:30")
    assert _codes(desk, late="true") == [code] and _codes(desk, due_soon="true") == []
    assert desk.get(BASE).json()["items"][0]["late"] is True


def test_the_list_costs_the_same_queries_for_one_dossier_or_many(staff, clock):
    desk = staff["motcua.thanhsen"]
    _receive(staff)
    desk.get(BASE)  # the token's last use is written once a minute: not part of the count

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert desk.get(BASE).status_code == 200
        return len(queries)

    one = count()
    for _ in range(3):
        _receive(staff)
    assert count() == one == 5  # token, roles, count, page, active steps


def test_a_citizen_completes_or_withdraws_only_her_own_submission(staff, clock, people):
    citizen, stranger = Client(), Client()
    citizen.force_login(people["citizen"])
    stranger.force_login(people["stranger"])
    online = birth_json(
        provided=[0], files=[{"name": "to-khai.pdf", "content_base64": b64(), "document_position": 0}]
    )
    online.pop("channel")
    code = citizen.post(f"{BASE}/online", online, content_type="application/json").json()["code"]
    staff["motcua.thanhsen"].post(
        f"{BASE}/{code}/request-completion", {"items": [{"position": 1, "reason": "Thiếu."}]}
    )

    theirs = stranger.post(f"{BASE}/{code}/withdraw", {}, content_type="application/json")
    completed = citizen.post(
        f"{BASE}/{code}/complete-submission",
        {"files": [{"name": "cs.pdf", "content_base64": b64(), "document_position": 1}], "provided": [1]},
        content_type="application/json",
    )
    stale = citizen.post(f"{BASE}/{code}/withdraw", {"expected_version": 1}, content_type="application/json")
    withdrawn = citizen.post(
        f"{BASE}/{code}/withdraw", {"reason": "Nộp nhầm."}, content_type="application/json"
    )

    assert theirs.status_code == 404
    assert completed.json()["status"] == "submitted" and completed.json()["applicant"] is None
    assert completed.json()["allowed_actions"] == ["withdraw"]
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "dossier_changed")
    assert withdrawn.json()["status"] == "withdrawn"
    listed = citizen.get(BASE).json()
    assert [i["code"] for i in listed["items"]] == [code]


def test_the_official_forms_render_as_pdf_once_they_exist(staff, clock):
    detail = _receive(staff)
    forms = f"{BASE}/{detail['code']}/forms"

    receipt = staff["motcua.thanhsen"].get(f"{forms}/receipt")
    not_yet = staff["motcua.thanhsen"].get(f"{forms}/refusal")
    unknown = staff["motcua.thanhsen"].get(f"{forms}/passport")
    hidden = staff["cv.datdai"].get(f"{forms}/receipt")

    assert detail["forms"] == ["receipt", "control_sheet"]
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    assert (not_yet.status_code, not_yet.json()["error"]["code"]) == (404, "form_not_available")
    assert (unknown.status_code, hidden.status_code) == (422, 404)


def test_a_paper_dossier_asked_to_complete_is_received_on_the_same_code(staff, clock):
    desk = staff["motcua.thanhsen"]
    asked = desk.post(
        BASE,
        birth_json(outcome="request_completion", provided=[0], items=[{"position": 1, "reason": "Thiếu."}]),
    ).json()
    assert "receive" in asked["allowed_actions"]
    code = asked["code"]
    short = desk.post(
        f"{BASE}/{code}/receive-completed", {"provided": [], "expected_version": asked["version"]}
    )
    assert (short.status_code, short.json()["error"]["code"]) == (422, "documents_missing")

    received = desk.post(
        f"{BASE}/{code}/receive-completed",
        {
            "provided": [1, 3],
            "files": [{"name": "giay-chung-sinh.pdf", "content_base64": b64(), "document_position": 1}],
            "expected_version": asked["version"],
        },
    )
    assert received.status_code == 200, received.json()
    body = received.json()
    assert (body["code"], body["status"]) == (code, "in_progress")
    assert body["requests"][0]["answered_at"] is not None
