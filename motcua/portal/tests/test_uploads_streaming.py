"""The portal takes real multipart uploads in chunks: draft files, the filed dossier, a supplement."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, FileKind
from motcua.dossiers.services import RequestItem
from motcua.dossiers.tests.streaming import guard_uploads, scan, sha256, stored_bytes
from motcua.dossiers.uploads import CHUNK_SIZE
from motcua.portal.models import DraftFile

from .conftest import at
from .test_filing import _through_review

BASE = "/nop-truc-tuyen/2.002621"


@pytest.fixture(autouse=True)
def _guarded(settings):
    guard_uploads(settings)


def test_a_large_draft_file_is_filed_byte_for_byte_without_being_read_whole(citizen_client, citizen):
    content = scan(5 * CHUNK_SIZE + 321, seed=7)
    nonce = _through_review(citizen_client)
    citizen_client.post(f"{BASE}/giay-to/2/", {"files": [SimpleUploadedFile("cho-o.pdf", content)]})
    assert DraftFile.objects.get(position=2).size == len(content)

    response = citizen_client.post(f"{BASE}/nop/", {"nonce": nonce, "confirm": "on"})

    assert response.status_code == 302
    stored = Dossier.objects.get(citizen=citizen).files.get(document__position=2)
    assert (stored.size, stored.sha256, stored.kind) == (len(content), sha256(content), FileKind.SCAN)
    assert stored_bytes(stored.file) == content


def test_a_large_supplement_is_stored_byte_for_byte(citizen_client, filed, people):
    services.request_completion_of_submission(
        code=filed.code,
        actor=people["motcua.thanhsen"],
        items=[RequestItem(position=2, reason="Thiếu giấy tờ.")],
        now=at("2025-11-03 10:00"),
    )
    content = scan(4 * CHUNK_SIZE + 5, seed=8)

    response = citizen_client.post(
        f"/ca-nhan/ho-so/{filed.code}/bo-sung/", {"files-2": SimpleUploadedFile("cho-o.pdf", content)}
    )

    assert response.status_code == 302
    stored = filed.files.get(kind=FileKind.SUPPLEMENT)
    assert (stored.size, stored.sha256) == (len(content), sha256(content))
    assert stored_bytes(stored.file) == content
