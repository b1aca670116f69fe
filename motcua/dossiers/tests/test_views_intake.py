"""The counter intake page: search, checklist, appointment, applicant re-use, uploads, decisions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.selectors import version_in_force
from motcua.dossiers.deadlines import dossier_clock
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import ApplicantDisclosure, Dossier

from .conftest import PDF
from .test_views_support import HTMX, NOW, clock  # noqa: F401

URL = "/can-bo/tiep-nhan/"


@pytest.fixture
def officer(client, people, clock):  # noqa: F811
    client.force_login(people["motcua.thanhsen"])
    return people["motcua.thanhsen"]


def intake_data(nonce: str = "a" * 32, **overrides) -> dict:
    """A complete counter dossier for "Đăng ký thường trú" (1.004222): documents 0 and 1 required."""
    data = {
        "nonce": nonce,
        "procedure_code": "1.004222",
        "channel": "counter",
        "kind": "person",
        "id_number": "042090001234",
        "name": "Trần Văn Bình",
        "address": "Tổ 3, phường Thành Sen",
        "phone": "0912345678",
        "email": "",
        "delivery": "counter",
        "sets": "1",
        "provided": ["0", "1"],
        "outcome": "accept",
    }
    data.update(overrides)
    return data


def test_search_finds_procedures_without_accents_received_at_this_point(client, officer):
    response = client.get(reverse("dossiers:procedure_search"), {"q": "dang ky thuong tru"}, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "1.004222" in body and "Đăng ký thường trú" in body
    # A provincial procedure of an agency this commune centre does not serve is not offered,
    # a boundary-free one is.
    business = client.get(reverse("dossiers:procedure_search"), {"q": "thanh lap doanh nghiep"}, **HTMX)
    assert "2.001610" not in business.content.decode()
    land = client.get(reverse("dossiers:procedure_search"), {"q": "dat dai"}, **HTMX)
    assert "1.013978" in land.content.decode()


def test_a_procedure_this_point_does_not_receive_cannot_be_picked(client, officer):
    assert client.get(reverse("dossiers:procedure_panel", args=["2.001610"]), **HTMX).status_code == 404
    page = client.get(URL, {"thu_tuc": "2.001610"}).content.decode()
    assert 'name="procedure_code"' not in page


def test_a_search_without_javascript_renders_the_whole_page(client, officer):
    response = client.get(URL, {"q": "thuong tru"})

    assert response.status_code == 200
    assert b"<html" in response.content and b"1.004222" in response.content


def test_the_procedure_panel_lists_documents_fees_and_the_computed_appointment(client, officer, points):
    response = client.get(reverse("dossiers:procedure_panel", args=["1.004222"]), **HTMX)

    body = response.content.decode()
    version = version_in_force("1.004222", NOW)
    _, due, _ = dossier_clock(
        version=version, channel="counter", point=points["ttpvhcc-thanhsen"], received_at=NOW
    )
    assert response["HX-Trigger"] == "procedure-picked"
    assert all(d.name in body for d in version.documents.all())
    assert f"{due.astimezone(NOW.tzinfo):%H:%M}" in body and f"{due.astimezone(NOW.tzinfo):%d/%m/%Y}" in body
    assert 'hx-swap-oob="true"' in body  # the decisions panel follows the procedure


def test_the_appointment_follows_the_postmark_for_a_dossier_received_by_post(client, officer, points):
    response = client.get(
        reverse("dossiers:appointment_preview"),
        {"procedure_code": "1.004222", "channel": "post", "postmarked_at": "2025-11-03T10:00"},
        **HTMX,
    )

    version = version_in_force("1.004222", NOW)
    _, due, _ = dossier_clock(
        version=version,
        channel="post",
        point=points["ttpvhcc-thanhsen"],
        received_at=NOW.replace(day=3, hour=10, minute=0),
    )
    assert f"{due.astimezone(NOW.tzinfo):%d/%m/%Y}" in response.content.decode()


def test_a_returning_applicant_is_found_by_id_number_and_fills_only_empty_fields(
    client, officer, people, points
):
    from .test_views_support import receive

    receive(people, points)  # Trần Văn Bình, 042090001234, files his first dossier
    response = client.post(
        reverse("dossiers:applicant_lookup"),
        {"id_number": "042090001234", "kind": "person", "name": "", "phone": "0999999999"},
        **HTMX,
    )

    body = response.content.decode()
    assert "Trần Văn Bình" in body
    assert 'value="0999999999"' in body  # what the officer typed wins
    assert 'value="binh@example.vn"' in body
    # What the officer was shown is on record; an ID number nobody filed under shows and records nothing.
    [shown] = ApplicantDisclosure.objects.all()
    assert (shown.user, shown.applicant.id_number, shown.purpose) == (officer, "042090001234", "lookup")
    client.post(reverse("dossiers:applicant_lookup"), {"id_number": "042090009999", "kind": "person"}, **HTMX)
    assert ApplicantDisclosure.objects.count() == 1


def test_the_applicant_look_up_refuses_an_id_number_in_the_url(client, officer, people, points):
    from .test_views_support import receive

    receive(people, points)
    lookup = reverse("dossiers:applicant_lookup")

    refused = client.get(lookup, {"id_number": "042090001234", "kind": "person"}, **HTMX)
    page = client.get(URL).content.decode()

    assert refused.status_code == 405 and "Trần Văn Bình" not in refused.content.decode()
    assert f'hx-post="{lookup}"' in page and f'hx-get="{lookup}"' not in page


def test_accepting_creates_one_dossier_with_its_staged_files_and_shows_the_receipt(client, officer):
    staged = client.post(
        reverse("dossiers:stage_files"),
        {"nonce": "a" * 32, "files": [SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")]},
        **HTMX,
    )
    token = staged.content.decode().split('name="staged" value="')[1].split('"')[0]

    response = client.post(URL, intake_data(**{f"doc_{token}": "0"}))

    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "dossiers:intake_done", args=[dossier.code]
    )
    assert dossier.status in (Status.RECEIVED, Status.IN_PROGRESS)
    assert dossier.files.get().document.position == 0
    done = client.get(response["Location"]).content.decode()
    assert reverse("dossiers:form_pdf", args=[dossier.code, "receipt"]) in done
    assert f"?nguoi_nop={dossier.code}" in done


def test_the_same_form_sent_twice_makes_one_dossier(client, officer):
    first = client.post(URL, intake_data(nonce="b" * 32))
    second = client.post(URL, intake_data(nonce="b" * 32))

    assert Dossier.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert client.post(URL, intake_data(nonce="c" * 32)).status_code == 302
    assert Dossier.objects.count() == 2


def test_errors_keep_what_was_typed_ticked_and_uploaded(client, officer):
    scan = SimpleUploadedFile("giay-to.pdf", PDF, "application/pdf")
    response = client.post(URL, {**intake_data(name="", provided=["1"]), "files": [scan]})

    body = response.content.decode()
    assert response.status_code == 422
    assert 'class="error-summary"' in body
    assert 'value="042090001234"' in body
    assert 'name="provided" value="1" checked' in body and 'name="provided" value="0" checked' not in body
    assert "giay-to.pdf" in body  # the file sent with the form is kept for the next try
    assert Dossier.objects.count() == 0

    response = client.post(URL, intake_data())
    assert response.status_code == 302
    assert Dossier.objects.get().files.get().original_name == "giay-to.pdf"


def test_the_service_refusal_is_shown_on_the_form(client, officer):
    response = client.post(URL, intake_data(provided=["1"]))  # the declaration (0) is missing

    assert response.status_code == 422
    assert "Hồ sơ còn thiếu" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_a_bad_file_is_refused_by_name_and_nothing_else_is_lost(client, officer):
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    response = client.post(reverse("dossiers:stage_files"), {"nonce": "d" * 32, "files": [fake]}, **HTMX)

    assert "virus.pdf" in response.content.decode() and 'role="alert"' in response.content.decode()
    assert 'name="staged"' not in response.content.decode()


def test_requesting_completion_lists_documents_with_reasons(client, officer):
    incomplete = intake_data(outcome="request_completion", provided=["0"], missing=["1"])
    assert client.post(URL, incomplete).status_code == 422  # no reason given

    response = client.post(URL, {**incomplete, "reason_1": "Chưa có giấy tờ chứng minh chỗ ở"})

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.status == Status.NEEDS_COMPLETION
    done = client.get(response["Location"]).content.decode()
    assert reverse("dossiers:form_pdf", args=[dossier.code, "supplement_request"]) in done


def test_refusing_needs_reasons_and_prints_the_refusal(client, officer):
    assert client.post(URL, intake_data(outcome="refuse")).status_code == 422

    response = client.post(URL, intake_data(outcome="refuse", refuse_reasons="Không thuộc thẩm quyền"))

    dossier = Dossier.objects.get()
    assert dossier.status == Status.REFUSED
    assert (
        reverse("dossiers:form_pdf", args=[dossier.code, "refusal"])
        in client.get(response["Location"]).content.decode()
    )


def test_an_on_the_spot_procedure_is_handled_and_handed_over_at_once(client, officer):
    # Chứng thực bản sao (2.000815) is decided on the spot.
    data = intake_data(procedure_code="2.000815", outcome="on_the_spot", provided=["0", "1"])
    response = client.post(URL, data)

    assert response.status_code == 302
    assert Dossier.objects.get().status == Status.RETURNED
    assert client.post(URL, intake_data(outcome="on_the_spot")).status_code == 422  # 1.004222 is not


def test_another_dossier_for_the_same_applicant_starts_filled_in(client, officer):
    client.post(URL, intake_data())
    code = Dossier.objects.get().code

    body = client.get(URL, {"nguoi_nop": code}).content.decode()

    assert 'value="Trần Văn Bình"' in body and 'value="042090001234"' in body
