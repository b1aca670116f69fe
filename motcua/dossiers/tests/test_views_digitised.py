"""The counter's panel of digitised documents: for the right applicant only, chosen instead of a scan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import ApplicantDisclosure, Dossier, FileKind, StoredFile
from motcua.dossiers.services import RequestItem
from motcua.signing.models import FileSignature, SignatureStatus

from .conftest import at, birth_bundle
from .digitised import BINH, CUC, DESK, OFFICER, officer_certificate, received_earlier  # noqa: F401 (a fixture)
from .test_views_intake import URL, intake_data
from .test_views_support import HTMX, clock  # noqa: F401 (a fixture)

PANEL = reverse("dossiers:digitised_panel")
pytestmark = pytest.mark.usefixtures("officer_certificate", "media")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(client, people, clock):  # noqa: F811
    client.force_login(people[OFFICER])
    return people[OFFICER]


def _panel(client, **typed) -> str:
    query = {"kind": "person", "id_number": BINH.id_number, "name": BINH.name, "procedure_code": "1.004222"}
    response = client.post(PANEL, {**query, **typed}, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_lists_the_applicants_signed_documents_once_id_number_and_name_match(
    client, officer, people, points
):
    earlier = received_earlier(people, points)
    received_earlier(people, points, applicant=CUC)

    body = _panel(client, name="tran van binh")

    assert "Giấy tờ đã số hóa của người nộp hồ sơ" in body
    assert "cho-o-da-ky-so.pdf" in body and earlier.dossier.code in body
    assert f'name="reuse_{earlier.signed.pk}"' in body
    assert "Dùng cho: Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp" in body
    assert "to-khai.pdf" not in body  # scanned, never signed
    assert "Lê Thị Cúc" not in body and "042090005678" not in body
    [shown] = ApplicantDisclosure.objects.all()  # on record: who was shown whose documents
    assert (shown.user, shown.applicant, shown.purpose, shown.listed) == (
        officer,
        earlier.dossier.applicant,
        "documents",
        1,
    )


def test_an_id_number_without_the_right_name_shows_nothing(client, officer, people, points):
    received_earlier(people, points)

    body = _panel(client, name="Trần Văn Bảo")

    assert "cho-o-da-ky-so.pdf" not in body and 'name="reuse_' not in body
    assert "Không có giấy tờ đã số hóa nào để dùng lại" in body
    assert "Không có giấy tờ" not in _panel(client, name="")  # nothing asked until both are typed
    assert not ApplicantDisclosure.objects.exists()  # nothing shown, nothing recorded


def test_staff_outside_the_counter_get_nothing(client, people, points, clock):  # noqa: F811
    received_earlier(people, points)
    query = {"id_number": BINH.id_number, "name": BINH.name}

    client.force_login(people["cv.tuphap.thanhsen"])
    assert client.post(PANEL, query, **HTMX).status_code == 404
    client.logout()
    assert client.post(PANEL, query, **HTMX).status_code == 302  # to the sign-in page


def test_the_panel_is_never_asked_with_the_id_number_in_the_url(client, officer, people, points):
    received_earlier(people, points)
    query = {"kind": "person", "id_number": BINH.id_number, "name": BINH.name}

    refused = client.get(PANEL, query, **HTMX)
    page = client.get(URL).content.decode()

    assert refused.status_code == 405 and BINH.name not in refused.content.decode()
    assert f'hx-post="{PANEL}"' in page and f'hx-get="{PANEL}"' not in page


def test_the_officer_opens_a_listed_document_through_its_own_link(client, officer, people, points):
    received_earlier(people, points)
    body = _panel(client)
    link = body.split('href="/can-bo/tiep-nhan/giay-to-da-so-hoa/')[1].split('"')[0]
    url = f"/can-bo/tiep-nhan/giay-to-da-so-hoa/{link}"

    opened = client.get(url)

    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"
    assert client.get(url[:-3] + "xyz/").status_code == 404  # tampered
    client.force_login(people["motcua.tuphap"])  # another counter officer: the link is not hers
    assert client.get(url).status_code == 404


def test_a_link_closes_when_the_documents_signature_is_found_broken(client, officer, people, points):
    earlier = received_earlier(people, points)
    link = _panel(client).split('href="/can-bo/tiep-nhan/giay-to-da-so-hoa/')[1].split('"')[0]
    FileSignature.objects.filter(file=earlier.signed).update(status=SignatureStatus.MODIFIED)

    assert client.get(f"/can-bo/tiep-nhan/giay-to-da-so-hoa/{link}").status_code == 404


def test_accepting_with_a_digitised_document_chosen_instead_of_a_scan(client, officer, people, points):
    earlier = received_earlier(people, points)

    # The proof of residence (1) is not ticked nor scanned: the digitised one stands for it.
    response = client.post(URL, intake_data(provided=["0"], **{f"reuse_{earlier.signed.pk}": "1"}))

    assert response.status_code == 302
    dossier = Dossier.objects.exclude(pk=earlier.dossier.pk).get()
    copy = dossier.files.get(kind=FileKind.REUSED)
    assert copy.reused_from == earlier.signed and copy.document.provided
    timeline = client.get(reverse("dossiers:dossier", args=[dossier.code])).content.decode()
    assert f"dùng giấy tờ đã số hóa của hồ sơ {earlier.dossier.code}" in timeline
    assert "Đã số hóa, dùng lại" in timeline


def test_another_applicants_document_is_refused_and_the_choice_is_kept(client, officer, people, points):
    theirs = received_earlier(people, points, applicant=CUC)
    files = StoredFile.objects.count()

    response = client.post(URL, intake_data(**{f"reuse_{theirs.signed.pk}": "1"}))

    body = response.content.decode()
    assert response.status_code == 422
    assert "không có trong kho giấy tờ đã số hóa của người nộp hồ sơ này" in body
    assert Dossier.objects.count() == 1 and StoredFile.objects.count() == files


def test_the_intake_page_for_a_returning_applicant_shows_her_documents(client, officer, people, points):
    earlier = received_earlier(people, points)

    body = client.get(URL, {"nguoi_nop": earlier.dossier.code}).content.decode()

    assert 'id="digitised"' in body and "cho-o-da-ky-so.pdf" in body


def _waiting_supplement(people, points):
    """A birth bundle of Bình at work at the justice office, asked to supplement item 2 (residence)."""
    dossier = services.receive_dossier(
        data=birth_bundle(), point=points[DESK], actor=people[OFFICER], now=at("2025-11-03 09:00")
    )
    services.request_supplement(
        code=dossier.code,
        actor=people["cv.tuphap.thanhsen"],
        items=[RequestItem(2, "Giấy tờ chỗ ở chưa hợp lệ.")],
        now=at("2025-11-03 10:00"),
    )
    dossier.refresh_from_db()
    return dossier


def test_the_supplement_is_received_with_a_digitised_document_chosen_for_the_requested_item(
    client, officer, people, points
):
    earlier = received_earlier(people, points)
    dossier = _waiting_supplement(people, points)
    url = reverse("dossiers:dossier_action", args=[dossier.code, "nhan-bo-sung"])

    form = client.get(url, **HTMX).content.decode()
    response = client.post(url, {"expected_version": dossier.version, "reuse_2": str(earlier.signed.pk)})

    assert 'name="reuse_2"' in form and f'value="{earlier.signed.pk}"' in form
    assert "Giấy tờ đã số hóa dùng cho" in form and 'name="reuse_0"' not in form  # only what was asked
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    assert dossier.files.get(kind=FileKind.REUSED).reused_from == earlier.signed
    assert dossier.documents.get(position=2).provided


def test_a_file_not_offered_is_refused_on_the_supplement_form(client, officer, people, points):
    received_earlier(people, points)
    theirs = received_earlier(people, points, applicant=CUC)
    dossier = _waiting_supplement(people, points)
    url = reverse("dossiers:dossier_action", args=[dossier.code, "nhan-bo-sung"])

    response = client.post(url, {"expected_version": dossier.version, "reuse_2": str(theirs.signed.pk)})

    assert response.status_code == 422 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT
    assert not dossier.files.filter(kind=FileKind.REUSED).exists()
