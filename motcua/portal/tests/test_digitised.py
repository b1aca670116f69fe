"""The citizen's digitised documents: her own page, and "use a digitised document" in the filing wizard."""

from __future__ import annotations

import re

import pytest

from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, FileKind
from motcua.dossiers.services import RequestItem
from motcua.dossiers.tests.conftest import at, birth_bundle
from motcua.dossiers.tests.digitised import (  # noqa: F401 (a fixture)
    CUC,
    filed_online_earlier,
    officer_certificate,
    received_earlier,
)

from .conftest import htmx
from .test_filing import APPLICANT, BASE, _pdf

MINE = "/ca-nhan/giay-to/"
pytestmark = pytest.mark.usefixtures("officer_certificate")


@pytest.fixture
def hers(people, points, citizen):
    """The citizen's earlier online dossier: its proof of residence signed at the desk."""
    return filed_online_earlier(people, points, citizen)


def test_the_citizen_sees_and_downloads_only_her_own_digitised_documents(
    citizen_client, hers, people, points
):
    counter = received_earlier(people, points)  # the same ID number at the counter: not her account's
    theirs = filed_online_earlier(people, points, people["stranger"], applicant=CUC)

    page = citizen_client.get(MINE).content.decode()
    download = citizen_client.get(f"{MINE}{hers.signed.sha256}/")

    assert "Giấy tờ đã số hóa của tôi" in page
    assert f'href="{MINE}{hers.signed.sha256}/"' in page and hers.dossier.code in page
    assert "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp" in page
    assert hers.unsigned.sha256 not in page and counter.dossier.code not in page
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == hers.signed.file.read()
    for other in (theirs.signed.sha256, counter.signed.sha256, hers.unsigned.sha256):
        assert citizen_client.get(f"{MINE}{other}/").status_code == 404


def test_the_page_needs_a_signed_in_citizen(client, province):
    response = client.get(MINE)

    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_the_account_menu_leads_to_the_page(citizen_client):
    assert f'href="{MINE}"' in citizen_client.get("/ca-nhan/ho-so/").content.decode()


def _to_documents(client) -> None:
    client.post(f"{BASE}/buoc-1/", {"point": "ttpvhcc-thanhsen"})
    client.post(f"{BASE}/buoc-2/", APPLICANT)


def test_the_wizard_files_a_digitised_document_instead_of_an_upload(citizen_client, citizen, hers):
    _to_documents(citizen_client)
    step = citizen_client.get(f"{BASE}/buoc-3/").content.decode()
    citizen_client.post(f"{BASE}/giay-to/0/", {"files": [_pdf()]})

    chosen = citizen_client.post(f"{BASE}/giay-to/2/dung-lai/", {"sha256": hers.signed.sha256}, **htmx())

    assert "Dùng giấy tờ đã số hóa" in step and f'value="{hers.signed.sha256}"' in step
    block = chosen.content.decode()
    assert chosen.status_code == 200 and "cho-o-da-ky-so.pdf" in block and "Đã số hóa" in block
    assert citizen_client.post(f"{BASE}/buoc-3/")["Location"] == f"{BASE}/buoc-4/"
    citizen_client.post(f"{BASE}/buoc-4/", {"delivery": "counter"})
    review = citizen_client.get(f"{BASE}/buoc-5/").content.decode()
    assert f"đã số hóa, hồ sơ {hers.dossier.code}" in review
    nonce = re.search(r'name="nonce" value="([^"]+)"', review).group(1)

    response = citizen_client.post(f"{BASE}/nop/", {"nonce": nonce, "confirm": "on"})

    dossier = Dossier.objects.exclude(pk=hers.dossier.pk).get(citizen=citizen)
    assert response.status_code == 302 and dossier.status == Status.SUBMITTED
    copy = dossier.files.get(kind=FileKind.REUSED)
    assert copy.reused_from == hers.signed and copy.document.position == 2 and copy.document.provided


def test_a_document_that_is_not_hers_cannot_be_chosen(citizen_client, people, points):
    theirs = received_earlier(people, points, applicant=CUC)
    _to_documents(citizen_client)

    refused = citizen_client.post(f"{BASE}/giay-to/2/dung-lai/", {"sha256": theirs.signed.sha256}, **htmx())

    assert refused.status_code == 422 and "không có trong kho giấy tờ của bạn" in refused.content.decode()
    assert citizen_client.post(f"{BASE}/buoc-3/").status_code == 200  # still nothing attached


def test_a_chosen_document_can_be_put_back(citizen_client, hers):
    _to_documents(citizen_client)
    citizen_client.post(f"{BASE}/giay-to/2/dung-lai/", {"sha256": hers.signed.sha256}, **htmx())

    block = citizen_client.post(f"{BASE}/giay-to/2/dung-lai/{hers.signed.sha256}/bo/", **htmx())

    chosen = block.content.decode().split("<details")[0]  # the list of choices comes after
    assert block.status_code == 200 and "cho-o-da-ky-so.pdf" not in chosen
    assert citizen_client.post(f"{BASE}/buoc-3/").status_code == 200  # nothing attached any more


def _asked_to_complete(people, points, citizen):
    filed = services.submit_online(
        data=birth_bundle(), point=points["ttpvhcc-thanhsen"], citizen=citizen, now=at("2025-11-03 08:00")
    )
    services.request_completion_of_submission(
        code=filed.code,
        actor=people["motcua.thanhsen"],
        items=[RequestItem(position=2, reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp.")],
        now=at("2025-11-03 10:00"),
    )
    return filed


def test_the_citizen_answers_a_request_with_one_of_her_digitised_documents(
    citizen_client, citizen, hers, people, points
):
    filed = _asked_to_complete(people, points, citizen)
    page = citizen_client.get(f"/ca-nhan/ho-so/{filed.code}/").content.decode()

    response = citizen_client.post(f"/ca-nhan/ho-so/{filed.code}/bo-sung/", {"reused-2": str(hers.signed.pk)})

    assert 'name="reused-2"' in page and f'value="{hers.signed.pk}"' in page
    assert "Hoặc dùng giấy tờ đã số hóa của bạn" in page
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == Status.SUBMITTED
    assert filed.files.get(kind=FileKind.REUSED).reused_from == hers.signed


def test_another_persons_document_is_refused_with_a_message(citizen_client, citizen, hers, people, points):
    theirs = filed_online_earlier(people, points, people["stranger"], applicant=CUC)
    filed = _asked_to_complete(people, points, citizen)

    response = citizen_client.post(
        f"/ca-nhan/ho-so/{filed.code}/bo-sung/", {"reused-2": str(theirs.signed.pk)}
    )

    assert response.status_code == 422
    assert "không có trong kho giấy tờ đã số hóa của người nộp hồ sơ này" in response.content.decode()
    filed.refresh_from_db()
    assert filed.status == Status.NEEDS_COMPLETION and not filed.files.filter(kind=FileKind.REUSED).exists()
