"""The API's multipart intake reads its parts in chunks and stores them byte for byte."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.streaming import guard_uploads, scan, sha256, stored_bytes
from motcua.dossiers.uploads import CHUNK_SIZE

from .conftest import birth_json


def test_a_multipart_intake_of_large_scans_is_stored_byte_for_byte(staff, clock, settings):
    guard_uploads(settings)
    contents = [scan(5 * CHUNK_SIZE + 17, seed=1), scan(3 * CHUNK_SIZE + 1, seed=2)]
    desk = staff["motcua.thanhsen"]

    response = desk.client.post(
        "/api/v1/dossiers/multipart",
        {
            "data": json.dumps(birth_json(files=[], file_positions=[0, 1])),
            "files": [SimpleUploadedFile(f"scan-{i}.pdf", c) for i, c in enumerate(contents)],
        },
        **desk.auth,
        HTTP_IDEMPOTENCY_KEY="streamed-1",
    )

    assert response.status_code == 201, response.json()
    stored = list(Dossier.objects.get().files.order_by("document__position"))
    assert [(f.size, f.sha256) for f in stored] == [(len(c), sha256(c)) for c in contents]
    assert [stored_bytes(f.file) for f in stored] == contents
