"""My work, the board, online submissions and the staff look-up: lists in constant queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.services import ApplicantIn

from .conftest import at, birth_bundle, pdf
from .test_views_support import HTMX, active_step, clock, receive  # noqa: F401

WORK = "/can-bo/viec-cua-toi/"
BOARD = "/can-bo/bang-dieu-hanh/"


def queries(client, url: str, **extra) -> tuple[int, bytes]:
    """Count a page's statements as a server in use runs it: roles and names already cached."""
    client.get(url, **extra)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(captured), response.content


def test_my_work_lists_my_agencys_steps_soonest_first_with_urgency_badges(client, people, points, clock):  # noqa: F811
    late = receive(people, points, when="2025-11-03 09:00")  # its step was due days ago
    fresh = receive(people, points, when="2025-11-11 08:00")
    client.force_login(people["cv.tuphap.thanhsen"])

    body = client.get(WORK).content.decode()

    assert body.index(late.code) < body.index(fresh.code)
    assert "row-late" in body and "badge-late" in body
    client.force_login(people["cv.dkkd"])
    assert late.code not in client.get(WORK).content.decode()


def test_filters_narrow_the_list_and_htmx_gets_only_the_list(client, people, points, clock):  # noqa: F811
    late = receive(people, points, when="2025-11-03 09:00")
    fresh = receive(people, points, when="2025-11-11 08:00")
    me = people["cv.tuphap.thanhsen"]
    services.take_step(code=fresh.code, step_id=active_step(fresh).pk, actor=me)
    client.force_login(me)

    only_late = client.get(WORK, {"urgency": "late"}, **HTMX).content.decode()
    mine = client.get(WORK, {"mine": "on"}).content.decode()

    assert late.code in only_late and fresh.code not in only_late and "<html" not in only_late
    assert fresh.code in mine and late.code not in mine


def test_the_work_list_runs_a_constant_number_of_queries(client, people, points, clock):  # noqa: F811
    receive(people, points)
    client.force_login(people["ct.thanhsen"])
    few, _ = queries(client, WORK)

    for hour in range(8, 11):
        receive(people, points, when=f"2025-11-10 {hour:02d}:30")
    many, body = queries(client, WORK)

    assert few == many == 8, "pinned: session, user, reference token, counts, menus, page ×2, certificates"
    assert body.count(b"<tr class=") == 4


def test_counter_officers_see_results_to_hand_over(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    for branch in ["", "bhyt", "bhyt", "cu-tru", "cu-tru", "ho-tich"]:
        step = active_step(dossier, branch)
        actor = next(p for p in people.values() if _acts(p, step))
        services.complete_step(code=dossier.code, step_id=step.pk, actor=actor, now=at("2025-11-10 14:00"))
    client.force_login(people["motcua.thanhsen"])

    assert dossier.code in client.get(WORK).content.decode()


def _acts(user, step) -> bool:
    from motcua.dossiers.access import can_act_on_step

    return can_act_on_step(user, step)


def test_the_board_counts_and_the_on_time_rate_of_the_month(client, people, points, clock):  # noqa: F811
    dossier = services.handle_on_the_spot(
        data=birth_bundle(procedure_code="2.000815", provided=[0, 1], uploads=[pdf()]),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-10 09:00"),
    )
    receive(people, points, when="2025-11-03 09:00")  # open and past due
    client.force_login(people["giamdoc.thanhsen"])

    count, body = queries(client, BOARD)

    text = body.decode()
    assert dossier.outcome in ("early", "on_time")
    assert "100%" in text  # one resolved, on time
    assert "<svg" in text and "bar-ok" in text and "seg-returned" in text
    assert 'class="badge badge-late">1<' in text  # one past its appointment
    assert count == 11, (
        "pinned: session, user, token, statuses, agencies, two lists ×2, satisfaction ×2, certificates"
    )
    empty = client.get(BOARD, {"thang": "2025-10"}).content.decode()
    assert "100%" not in empty


def test_the_board_is_not_for_specialists(client, people):
    client.force_login(people["cv.tuphap.thanhsen"])

    assert client.get(BOARD).status_code == 404


def test_the_look_up_finds_by_code_name_or_id_within_scope(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    client.force_login(people["cv.tuphap.thanhsen"])

    by_code = client.post("/can-bo/tra-cuu/", {"q": dossier.code[-6:]}, **HTMX).content.decode()
    by_name = client.post("/can-bo/tra-cuu/", {"q": "Trần Văn"}).content.decode()
    by_id = client.post("/can-bo/tra-cuu/", {"q": "042090001234"}).content.decode()

    assert dossier.code in by_code and "<html" not in by_code
    assert dossier.code in by_name and dossier.code in by_id
    client.force_login(people["cv.dkkd"])
    assert dossier.code not in client.post("/can-bo/tra-cuu/", {"q": "042090001234"}).content.decode()


def test_the_look_up_never_takes_an_id_number_from_the_address(client, people, points, clock):  # noqa: F811
    dossier = receive(people, points)
    client.force_login(people["cv.tuphap.thanhsen"])

    page = client.get("/can-bo/tra-cuu/", {"q": "042090001234"}).content.decode()

    assert dossier.code not in page  # not searched: only a posted query is
    assert 'method="post"' in page and "hx-push-url" not in page


def test_online_submissions_wait_at_the_desk_and_are_accepted_there(client, people, points, clock):  # noqa: F811
    submitted = services.submit_online(
        data=birth_bundle(applicant=ApplicantIn(name="Lê Thị Cúc", id_number="042190009999")),
        point=points["ttpvhcc-thanhsen"],
        citizen=people["citizen"],
        now=at("2025-11-10 20:00"),
    )
    client.force_login(people["motcua.thanhsen"])

    listing = client.get("/can-bo/truc-tuyen/").content.decode()
    assert submitted.code in listing
    detail = client.get(reverse("dossiers:online_detail", args=[submitted.code])).content.decode()
    assert "to-khai.pdf" in detail

    response = client.post(
        reverse("dossiers:online_detail", args=[submitted.code]),
        {"decision": "accept", "expected_version": submitted.version},
    )

    submitted.refresh_from_db()
    assert response["Location"] == reverse("dossiers:dossier", args=[submitted.code])
    assert submitted.status in (Status.RECEIVED, Status.IN_PROGRESS)
    client.force_login(people["motcua.thachha"])
    assert client.get(reverse("dossiers:online_detail", args=[submitted.code])).status_code == 404


def test_the_desk_asks_an_online_applicant_to_complete_with_reasons(client, people, points, clock):  # noqa: F811
    submitted = services.submit_online(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        citizen=people["citizen"],
        now=at("2025-11-10 20:00"),
    )
    client.force_login(people["motcua.thanhsen"])
    url = reverse("dossiers:online_detail", args=[submitted.code])

    no_reason = client.post(
        url, {"decision": "complete", "expected_version": submitted.version, "missing": ["2"]}
    )
    assert no_reason.status_code == 422

    client.post(
        url,
        {
            "decision": "complete",
            "expected_version": submitted.version,
            "missing": ["2"],
            "reason_2": "Thiếu",
        },
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.NEEDS_COMPLETION
