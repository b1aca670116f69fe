"""The online filing wizard: steps in order, input kept on errors, uploads checked, one dossier per submit."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, FileKind
from motcua.dossiers.tests.conftest import PDF
from motcua.portal.models import DraftFile, FilingSubmission

from .conftest import htmx

BASE = "/nop-truc-tuyen/2.002621"
APPLICANT = {
    "name": "Nguyễn Thị Dân",
    "id_number": "042190005678",
    "date_of_birth": "1990-05-02",
    "address": "Tổ 5, phường Thành Sen",
    "phone": "0987000111",
    "email": "",
}


def _pdf(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _through_review(client) -> str:
    """Walk steps 1–4 and return the nonce printed on the review page."""
    assert client.post(f"{BASE}/buoc-1/", {"point": "ttpvhcc-thanhsen"})["Location"] == f"{BASE}/buoc-2/"
    assert client.post(f"{BASE}/buoc-2/", APPLICANT)["Location"] == f"{BASE}/buoc-3/"
    client.post(f"{BASE}/giay-to/0/", {"files": [_pdf(), _pdf("to-khai-trang-2.pdf")]})
    client.post(f"{BASE}/giay-to/1/", {"files": [_pdf("giay-chung-sinh.pdf")]})
    assert client.post(f"{BASE}/buoc-3/")["Location"] == f"{BASE}/buoc-4/"
    assert client.post(f"{BASE}/buoc-4/", {"delivery": "counter"})["Location"] == f"{BASE}/buoc-5/"
    review = client.get(f"{BASE}/buoc-5/").content.decode()
    return re.search(r'name="nonce" value="([^"]+)"', review).group(1)


def test_filing_needs_a_signed_in_citizen(client, province):
    response = client.get(f"{BASE}/buoc-1/")

    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/?next=")


def test_a_procedure_not_offered_online_cannot_be_filed(citizen_client):
    assert citizen_client.get("/nop-truc-tuyen/2.000815/buoc-1/").status_code == 404


def test_the_wizard_files_one_dossier_waiting_for_the_desk(citizen_client, citizen):
    nonce = _through_review(citizen_client)

    response = citizen_client.post(f"{BASE}/nop/", {"nonce": nonce, "confirm": "on"})

    dossier = Dossier.objects.get(citizen=citizen)
    assert response.status_code == 302 and response["Location"] == f"/nop-truc-tuyen/da-nop/{dossier.code}/"
    assert dossier.status == Status.SUBMITTED
    assert dossier.receiving_point.code == "ttpvhcc-thanhsen"
    assert dossier.applicant_snapshot["id_number"] == "042190005678"
    assert dossier.files.filter(kind=FileKind.SCAN).count() == 3
    assert sorted(dossier.documents.filter(provided=True).values_list("position", flat=True)) == [0, 1]
    assert not DraftFile.objects.exists()
    done = citizen_client.get(response["Location"]).content.decode()
    assert dossier.code in done and f'href="/ca-nhan/ho-so/{dossier.code}/"' in done


def test_a_second_click_on_submit_files_nothing_more(citizen_client, citizen):
    nonce = _through_review(citizen_client)

    first = citizen_client.post(f"{BASE}/nop/", {"nonce": nonce, "confirm": "on"})
    second = citizen_client.post(f"{BASE}/nop/", {"nonce": nonce, "confirm": "on"})

    assert Dossier.objects.filter(citizen=citizen).count() == 1
    assert FilingSubmission.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_declaration_must_be_ticked(citizen_client, citizen):
    nonce = _through_review(citizen_client)

    response = citizen_client.post(f"{BASE}/nop/", {"nonce": nonce})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "errorlist" in response.content.decode()
    assert not Dossier.objects.filter(citizen=citizen).exists()


def test_steps_cannot_be_skipped(citizen_client):
    assert citizen_client.get(f"{BASE}/buoc-4/")["Location"] == f"{BASE}/buoc-1/"
    citizen_client.post(f"{BASE}/buoc-1/", {"point": "ttpvhcc-thanhsen"})
    assert citizen_client.get(f"{BASE}/buoc-5/")["Location"] == f"{BASE}/buoc-2/"


def test_only_points_that_receive_the_procedure_are_offered(citizen_client):
    html = citizen_client.get(f"{BASE}/buoc-1/").content.decode()
    refused = citizen_client.post(f"{BASE}/buoc-1/", {"point": "ttpvhcc-tinh"})

    assert 'value="ttpvhcc-thanhsen"' in html and 'value="ttpvhcc-tinh"' not in html
    assert refused.status_code == 200 and 'aria-invalid="true"' in refused.content.decode()


def test_the_applicant_step_is_prefilled_from_the_account(citizen_client, citizen):
    citizen_client.post(f"{BASE}/buoc-1/", {"point": "ttpvhcc-thanhsen"})

    html = citizen_client.get(f"{BASE}/buoc-2/").content.decode()

    assert 'value="Nguyễn Thị Dân"' in html


def test_a_wrong_id_number_is_explained_and_everything_typed_is_kept(citizen_client):
    citizen_client.post(f"{BASE}/buoc-1/", {"point": "ttpvhcc-thanhsen"})

    response = citizen_client.post(f"{BASE}/buoc-2/", {**APPLICANT, "id_number": "04219A"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="04219A"' in html and 'value="Tổ 5, phường Thành Sen"' in html
    assert 'id="id_id_number_error"' in html


def test_delivery_by_post_needs_an_address(citizen_client):
    citizen_client.post(f"{BASE}/buoc-1/", {"point": "ttpvhcc-thanhsen"})
    citizen_client.post(f"{BASE}/buoc-2/", APPLICANT)
    citizen_client.post(f"{BASE}/giay-to/0/", {"files": [_pdf()]})

    response = citizen_client.post(f"{BASE}/buoc-4/", {"delivery": "post", "delivery_address": " "})

    assert response.status_code == 200
    assert 'id="id_delivery_address_error"' in response.content.decode()


def test_continuing_without_any_file_is_refused(citizen_client):
    citizen_client.post(f"{BASE}/buoc-1/", {"point": "ttpvhcc-thanhsen"})
    citizen_client.post(f"{BASE}/buoc-2/", APPLICANT)

    response = citizen_client.post(f"{BASE}/buoc-3/")

    assert response.status_code == 200
    assert 'class="message message-error"' in response.content.decode()


def test_an_htmx_upload_returns_the_document_block_with_its_files(citizen_client):
    response = citizen_client.post(f"{BASE}/giay-to/1/", {"files": [_pdf("chung-sinh.pdf")]}, **htmx())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="doc-upload" id="doc-1">')
    assert "chung-sinh.pdf" in html


def test_a_file_that_is_not_a_pdf_or_image_is_refused_with_its_name(citizen_client):
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = citizen_client.post(f"{BASE}/giay-to/0/", {"files": [bad]}, **htmx())

    assert response.status_code == 422
    assert "virus.pdf" in response.content.decode()
    assert not DraftFile.objects.exists()


def test_a_file_too_large_is_refused(citizen_client, settings):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_UPLOAD_MB": 0}

    response = citizen_client.post(f"{BASE}/giay-to/0/", {"files": [_pdf()]}, **htmx())

    assert response.status_code == 422
    assert not DraftFile.objects.exists()


def test_a_draft_file_can_be_removed(citizen_client, citizen):
    citizen_client.post(f"{BASE}/giay-to/0/", {"files": [_pdf()]})
    draft = DraftFile.objects.get(user=citizen)

    response = citizen_client.post(f"{BASE}/giay-to/0/{draft.token}/xoa/", **htmx())

    assert response.status_code == 200
    assert not DraftFile.objects.exists()


def test_nobody_else_sees_the_confirmation(citizen_client, stranger_client, citizen):
    nonce = _through_review(citizen_client)
    location = citizen_client.post(f"{BASE}/nop/", {"nonce": nonce, "confirm": "on"})["Location"]

    assert stranger_client.get(location).status_code == 404


@pytest.mark.parametrize("step", [0, 6])
def test_unknown_steps_are_404(citizen_client, step):
    assert citizen_client.get(f"{BASE}/buoc-{step}/").status_code == 404
