"""The dossier page and its actions: exactly what the user may do, one service call each."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.access import can_act_on_step
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Apology, StepStatus

from .conftest import PDF, at, birth_bundle
from .test_views_support import HTMX, active_step, clock, receive  # noqa: F401


def action_url(dossier, slug: str) -> str:
    return reverse("dossiers:dossier_action", args=[dossier.code, slug])


def page(client, dossier) -> str:
    return client.get(reverse("dossiers:dossier", args=[dossier.code])).content.decode()


def test_the_page_shows_applicant_documents_steps_side_by_side_and_history(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    services.complete_step(
        code=dossier.code,
        step_id=active_step(dossier).pk,
        actor=people["cv.tuphap.thanhsen"],
        now=at("2025-11-10 10:00"),
    )
    client.force_login(people["ca.thanhsen"])

    body = page(client, dossier)

    assert "042090001234" in body and "to-khai.pdf" in body
    assert body.count("<h4>") == 3 and "stage-parallel" in body  # three agencies side by side
    assert 'id="timeline"' in body
    assert reverse("dossiers:form_pdf", args=[dossier.code, "receipt"]) in body


def test_a_specialist_sees_only_the_actions_she_may_take(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    client.force_login(people["cv.tuphap.thanhsen"])

    body = page(client, dossier)

    assert action_url(dossier, "hoan-thanh") in body and action_url(dossier, "nhan-xu-ly") in body
    assert action_url(dossier, "phan-cong") not in body  # only leaders assign
    assert action_url(dossier, "tra-ket-qua") not in body and action_url(dossier, "dung-xu-ly") not in body
    client.force_login(people["ct.thanhsen"])
    assert action_url(dossier, "phan-cong") in page(client, dossier)


def test_completing_a_step_with_htmx_redraws_the_dossier(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    step = active_step(dossier)
    client.force_login(people["cv.tuphap.thanhsen"])

    form = client.get(action_url(dossier, "hoan-thanh"), {"buoc": step.pk}, **HTMX)
    assert b"<html" not in form.content and b'name="expected_version"' in form.content

    response = client.post(
        action_url(dossier, "hoan-thanh"),
        {"step": step.pk, "expected_version": dossier.version, "comment": "Đủ điều kiện"},
        **HTMX,
    )

    step.refresh_from_db()
    assert step.status == StepStatus.DONE and step.comment == "Đủ điều kiện"
    assert response["HX-Retarget"] == "#dossier-body" and b'id="dossier-body"' in response.content


def test_a_stale_version_is_a_conflict_that_reloads_the_state(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    step = active_step(dossier)
    seen = dossier.version
    services.take_step(code=dossier.code, step_id=step.pk, actor=people["ct.thanhsen"])
    client.force_login(people["cv.tuphap.thanhsen"])

    response = client.post(
        action_url(dossier, "hoan-thanh"), {"step": step.pk, "expected_version": seen}, **HTMX
    )

    body = response.content.decode()
    assert "vừa được người khác cập nhật" in body
    assert response["HX-Retarget"] == "#dossier-body"
    step.refresh_from_db()
    assert step.status == StepStatus.ACTIVE
    # Without htmx: the same message after a redirect to the fresh page.
    full = client.post(
        action_url(dossier, "hoan-thanh"), {"step": step.pk, "expected_version": seen}, follow=True
    )
    assert "vừa được người khác cập nhật" in full.content.decode()


def test_an_apology_sets_the_new_appointment_once(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    client.force_login(people["ct.thanhsen"])
    url = action_url(dossier, "xin-loi")

    refused = client.post(
        url, {"expected_version": dossier.version, "reason": "", "new_due_at": "2025-11-20T10:00"}
    )
    assert refused.status_code == 422 and Apology.objects.count() == 0

    response = client.post(
        url, {"expected_version": dossier.version, "reason": "Chờ xác minh", "new_due_at": "2025-11-20T10:00"}
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.due_at == at("2025-11-20 10:00")
    assert url not in page(client, dossier)  # once per dossier
    assert client.get(url).status_code == 404


def test_a_form_error_keeps_the_panel_open_with_the_message(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    client.force_login(people["ct.thanhsen"])

    response = client.post(
        action_url(dossier, "tu-choi"), {"expected_version": dossier.version, "reasons": ""}
    )

    assert response.status_code == 422
    assert b'class="error-summary"' in response.content and b"<html" in response.content
    htmx = client.post(
        action_url(dossier, "tu-choi"), {"expected_version": dossier.version, "reasons": ""}, **HTMX
    )
    assert htmx.status_code == 200 and b"<html" not in htmx.content  # htmx swaps 2xx only


def test_a_leader_assigns_and_the_assignee_takes_it_as_hers(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    step = active_step(dossier)
    client.force_login(people["ct.thanhsen"])

    form = client.get(action_url(dossier, "phan-cong"), {"buoc": step.pk}).content.decode()
    assignee = people["cv.tuphap.thanhsen"]
    assert f'value="{assignee.pk}"' in form

    client.post(
        action_url(dossier, "phan-cong"),
        {"step": step.pk, "expected_version": dossier.version, "assignee": assignee.pk},
    )

    step.refresh_from_db()
    assert step.assigned_to == assignee


def test_returning_to_an_earlier_step_and_supplement_round_trip(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    services.complete_step(
        code=dossier.code,
        step_id=active_step(dossier).pk,
        actor=people["cv.tuphap.thanhsen"],
        now=at("2025-11-10 10:00"),
    )
    police = active_step(dossier, "cu-tru")
    services.complete_step(
        code=dossier.code, step_id=police.pk, actor=people["ca.thanhsen"], now=at("2025-11-10 11:00")
    )
    leader_step = active_step(dossier, "cu-tru")
    dossier.refresh_from_db()
    client.force_login(people["ld.ca.thanhsen"])

    client.post(
        action_url(dossier, "tra-lai"),
        {
            "step": leader_step.pk,
            "expected_version": dossier.version,
            "to_step": police.pk,
            "reason": "Xem lại địa chỉ",
        },
    )
    assert active_step(dossier, "cu-tru").attempt == 2

    dossier.refresh_from_db()
    client.post(
        action_url(dossier, "yeu-cau-bo-sung"),
        {"expected_version": dossier.version, "missing": ["2"], "reason_2": "Thiếu xác nhận chỗ ở"},
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT

    client.force_login(people["motcua.thanhsen"])
    scan = SimpleUploadedFile("bo-sung.pdf", PDF, "application/pdf")
    client.post(
        action_url(dossier, "nhan-bo-sung"),
        {"scans": [scan], "provided": ["2"], "expected_version": dossier.version},
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    assert dossier.files.filter(original_name="bo-sung.pdf").exists()


def test_result_ready_then_hand_over_by_post_needs_a_tracking_number(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    for branch in ["", "bhyt", "bhyt", "cu-tru", "cu-tru", "ho-tich"]:
        step = active_step(dossier, branch)
        actor = next(p for p in people.values() if can_act_on_step(p, step))
        services.complete_step(code=dossier.code, step_id=step.pk, actor=actor, now=at("2025-11-10 14:00"))
    dossier.refresh_from_db()
    client.force_login(people["motcua.thanhsen"])

    client.post(action_url(dossier, "co-ket-qua"), {"expected_version": dossier.version, "comment": ""})
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY

    missing = client.post(
        action_url(dossier, "tra-ket-qua"), {"expected_version": dossier.version, "method": "post"}
    )
    assert missing.status_code == 422
    client.post(
        action_url(dossier, "tra-ket-qua"),
        {"expected_version": dossier.version, "method": "post", "tracking_number": "EV123456789VN"},
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.outcome


def test_a_counter_officer_stops_a_dossier_at_the_applicants_request(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    client.force_login(people["motcua.thanhsen"])

    response = client.post(
        action_url(dossier, "dung-xu-ly"), {"expected_version": dossier.version, "reason": ""}
    )

    dossier.refresh_from_db()
    assert response.status_code == 302 and dossier.status == Status.STOPPED
    assert reverse("dossiers:form_pdf", args=[dossier.code, "stop_notice"]) in page(client, dossier)


def test_the_file_preview_is_an_iframe_for_pdfs(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    stored = dossier.files.first()
    client.force_login(people["cv.tuphap.thanhsen"])

    response = client.get(reverse("dossiers:file_preview", args=[dossier.code, stored.pk]), **HTMX)

    assert b"<iframe" in response.content
    assert reverse("dossiers:dossier_file", args=[dossier.code, stored.pk]).encode() in response.content


def test_the_dossier_page_runs_a_constant_number_of_queries(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    client.force_login(people["ct.thanhsen"])
    url = reverse("dossiers:dossier", args=[dossier.code])
    client.get(url)
    client.get(url)  # as a server in use runs it: roles and names already cached
    with CaptureQueriesContext(connection) as before:
        client.get(url)

    for branch in ["", "ho-tich"]:
        step = active_step(dossier, branch)
        services.complete_step(
            code=dossier.code, step_id=step.pk, actor=people["ct.thanhsen"], now=at("2025-11-10 10:00")
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)

    assert len(before) == len(after) == 13, (
        "session, user, reference token, dossier, 5 prefetches, events, outbox ×2, the files' signatures"
    )


def test_a_paper_dossier_asked_to_complete_is_received_from_its_page(client, people, points, clock):  # noqa: F811
    dossier = services.request_completion_at_counter(
        data=birth_bundle(provided=[0, 3], uploads=[]),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        items=[services.RequestItem(position=1, reason="Chưa có giấy chứng sinh.")],
        now=at("2025-11-10 09:00"),
    )
    url = action_url(dossier, "nhan-du-ho-so")
    client.force_login(people["motcua.thachha"])  # another point's desk sees neither button nor form
    assert client.get(url).status_code == 404
    client.force_login(people["motcua.thanhsen"])
    assert url in page(client, dossier)

    still_missing = client.post(url, {"expected_version": dossier.version}, **HTMX)
    assert "Giấy chứng sinh" in still_missing.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.NEEDS_COMPLETION

    scan = SimpleUploadedFile("giay-chung-sinh.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"expected_version": dossier.version, "provided": [1], "scans": [scan]})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and dossier.received_at == clock
    assert dossier.files.get().original_name == "giay-chung-sinh.pdf"
