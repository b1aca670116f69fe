"""Who may open the staff pages: sign-in first, then 404 for anything not yours."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from motcua.dossiers.models import FileKind

from .test_views_support import HTMX, clock, receive  # noqa: F401

PAGES = ["home", "intake", "online", "work", "board", "lookup"]


@pytest.fixture
def dossier(people, points, clock):  # noqa: F811
    return receive(people, points)


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_the_sign_in_page(client, db, name):
    response = client.get(reverse(f"dossiers:{name}"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/can-bo/")


def test_a_signed_in_citizen_gets_not_found_on_staff_pages(client, people):
    client.force_login(people["citizen"])

    for name in PAGES:
        assert client.get(reverse(f"dossiers:{name}")).status_code == 404


def test_staff_land_on_the_page_of_their_role(client, people):
    expected = {
        "motcua.thanhsen": "dossiers:intake",
        "cv.tuphap.thanhsen": "dossiers:work",
        "ct.thanhsen": "dossiers:work",
        "giamdoc.thanhsen": "dossiers:board",
    }
    for username, target in expected.items():
        client.force_login(people[username])
        assert client.get(reverse("dossiers:home"))["Location"] == reverse(target), username


def test_a_specialist_of_another_agency_gets_not_found_on_the_dossier(client, people, dossier):
    client.force_login(people["cv.dkkd"])
    code = dossier.code

    assert client.get(reverse("dossiers:dossier", args=[code])).status_code == 404
    assert client.get(reverse("dossiers:form_pdf", args=[code, "receipt"])).status_code == 404
    assert client.get(reverse("dossiers:dossier_action", args=[code, "tu-choi"])).status_code == 404


def test_a_counter_officer_of_another_point_gets_not_found(client, people, dossier):
    client.force_login(people["motcua.thachha"])
    stored = dossier.files.first()

    assert client.get(reverse("dossiers:dossier", args=[dossier.code])).status_code == 404
    assert client.get(reverse("dossiers:dossier_file", args=[dossier.code, stored.pk])).status_code == 404
    assert client.get(reverse("dossiers:online_detail", args=[dossier.code])).status_code == 404
    assert client.get(reverse("dossiers:intake_done", args=[dossier.code])).status_code == 404


def test_an_action_not_open_to_the_user_is_not_found(client, people, dossier):
    client.force_login(people["cv.bhxh"])  # holds a later branch, not the step now active

    url = reverse("dossiers:dossier_action", args=[dossier.code, "hoan-thanh"])
    step = dossier.steps.get(status="active")

    assert client.get(url, {"buoc": step.pk}).status_code == 404
    response = client.post(url, {"step": step.pk, "expected_version": dossier.version})
    assert response.status_code == 404


def test_the_file_view_streams_inline_with_its_sniffed_type(client, people, dossier):
    client.force_login(people["cv.tuphap.thanhsen"])
    stored = dossier.files.get(kind=FileKind.SCAN, original_name="to-khai.pdf")

    response = client.get(reverse("dossiers:dossier_file", args=[dossier.code, stored.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The preview shows it in an <iframe> of the same site; other sites may not frame it.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_file_of_another_dossier_is_not_found_under_this_code(client, people, points, dossier):
    other = receive(people, points, when="2025-11-10 10:00")
    client.force_login(people["cv.tuphap.thanhsen"])

    url = reverse("dossiers:dossier_file", args=[dossier.code, other.files.first().pk])

    assert client.get(url).status_code == 404


def test_the_receipt_prints_as_a_pdf(client, people, dossier):
    client.force_login(people["motcua.thanhsen"])

    response = client.get(reverse("dossiers:form_pdf", args=[dossier.code, "receipt"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(reverse("dossiers:form_pdf", args=[dossier.code, "refusal"])).status_code == 404


def test_the_timeline_is_a_partial_for_htmx_and_the_page_otherwise(client, people, dossier):
    client.force_login(people["cv.tuphap.thanhsen"])
    url = reverse("dossiers:dossier_timeline", args=[dossier.code])

    partial = client.get(url, **HTMX)
    page = client.get(url)

    assert b'id="timeline"' in partial.content and b"<html" not in partial.content
    assert b"<html" in page.content and b'id="timeline"' in page.content


def test_a_person_with_two_roles_switches_and_the_intake_point_follows(client, province):
    officer = get_user_model().objects.get(username="motcua.datdai")  # counter officer at two points
    client.force_login(officer)
    first, second = officer.staff_roles.select_related("service_point").order_by("pk")

    page = client.get(reverse("dossiers:intake")).content.decode()
    assert f'<p class="meta">{first.service_point.name}</p>' in page

    response = client.post(reverse("dossiers:switch_role"), {"role": second.pk})
    assert response.status_code == 302
    page = client.get(reverse("dossiers:intake")).content.decode()
    assert f'<p class="meta">{second.service_point.name}</p>' in page
    assert f'<option value="{second.pk}" selected>' in page
    assert client.post(reverse("dossiers:switch_role"), {"role": 999999}).status_code == 404
