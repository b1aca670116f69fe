"""Uploads are read in chunks: never whole, never past the limit, stored byte for byte under their SHA-256."""

from __future__ import annotations

import datetime as dt
import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from motcua.core.errors import ValidationFailed
from motcua.core.uploadhandlers import SizeLimitUploadHandler
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, StoredFile
from motcua.dossiers.uploads import (
    CHUNK_SIZE,
    SNIFF_SIZE,
    Upload,
    check_upload,
    store_upload,
    sweep_orphan_files,
)

from .conftest import PDF, PNG, at, birth_bundle
from .streaming import CountingStream, guard_uploads, scan, sha256, stored_bytes
from .test_views_intake import URL, intake_data
from .test_views_support import HTMX, clock  # noqa: F401

MB = 1024 * 1024


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def one_mb(settings):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_UPLOAD_MB": 1}
    return MB


@pytest.fixture
def dossier(people, points, media) -> Dossier:
    return services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )


def _store(dossier: Dossier, upload: Upload) -> StoredFile:
    return store_upload(dossier=dossier, upload=upload, kind="scan", actor=None)


def _files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_a_file_larger_than_the_limit_is_refused_one_chunk_past_it_without_reading_the_rest(
    dossier, one_mb, media
):
    before = _files(media)
    huge = CountingStream(1024 * MB)  # a gigabyte, claiming no size

    with pytest.raises(ValidationFailed) as refused:
        _store(dossier, Upload.from_file(huge))

    assert refused.value.code == "file_too_large"
    assert huge.read_bytes <= SNIFF_SIZE + one_mb + CHUNK_SIZE
    assert _files(media) == before and dossier.files.count() == 2


def test_a_claimed_size_over_the_limit_is_refused_before_any_byte_is_read(dossier, one_mb):
    claimed = CountingStream(2 * MB, claimed=2 * MB)

    with pytest.raises(ValidationFailed) as refused:
        check_upload(Upload.from_file(claimed))

    assert (refused.value.code, claimed.read_bytes) == ("file_too_large", 0)
    assert refused.value.fields["size"] == 2 * MB


def test_a_file_claiming_a_small_size_is_still_refused_once_it_reads_larger(dossier, one_mb):
    liar = CountingStream(3 * MB, claimed=1000)

    with pytest.raises(ValidationFailed) as refused:
        _store(dossier, Upload.from_file(liar))

    assert refused.value.code == "file_too_large"
    assert liar.read_bytes <= SNIFF_SIZE + one_mb + CHUNK_SIZE


def test_a_stream_that_cannot_seek_is_spooled_within_the_limit_and_then_refused(dossier, one_mb):
    endless = CountingStream(50 * MB, seekable=False)

    upload = Upload.from_file(endless)

    assert endless.read_bytes == one_mb + 1
    with pytest.raises(ValidationFailed, match="1 MB"):
        _store(dossier, upload)


def test_the_sha256_and_size_of_a_multi_chunk_file_are_right_and_the_stored_copy_is_identical(
    dossier, media, tmp_path
):
    content = scan(5 * CHUNK_SIZE + 12345)
    path = tmp_path / "upload.bin"
    path.write_bytes(content)

    with path.open("rb") as handle:
        stored = _store(dossier, Upload.from_file(handle, name="ho-so-day-du.pdf", document_position=0))

    assert (stored.size, stored.sha256) == (len(content), sha256(content))
    assert (stored.original_name, stored.content_type) == ("ho-so-day-du.pdf", "application/pdf")
    assert stored_bytes(stored.file) == content


def test_a_streamed_upload_is_never_read_whole(dossier):
    guarded = CountingStream(3 * CHUNK_SIZE + 7)  # its read() refuses any read larger than a chunk

    stored = _store(dossier, Upload.from_file(guarded))

    assert stored.size == 3 * CHUNK_SIZE + 7
    assert len(stored_bytes(stored.file)) == stored.size


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("anh-chup.pdf", PNG, "image/png"),  # the name says PDF, the bytes say PNG
        ("giay-to", PDF, "application/pdf"),  # no extension at all
        ("to-khai.PDF.png", PDF, "application/pdf"),
    ],
)
def test_the_type_is_sniffed_from_the_first_bytes_not_the_name(name, content, expected):
    assert check_upload(Upload.from_file(io.BytesIO(content), name=name)) == expected


def test_an_executable_named_like_a_pdf_is_refused_and_an_empty_stream_too():
    with pytest.raises(ValidationFailed) as fake:
        check_upload(Upload.from_file(io.BytesIO(b"MZ\x90\x00 an executable"), name="don.pdf"))
    with pytest.raises(ValidationFailed) as empty:
        check_upload(Upload.from_file(io.BytesIO(b""), name="rong.pdf"))

    assert (fake.value.code, empty.value.code) == ("file_type_not_allowed", "empty_file")


def test_bytes_made_in_code_still_work_and_a_streamed_upload_has_no_bytes_to_hand_out(dossier):
    made = Upload("bien-nhan.pdf", PDF, 0)
    streamed = Upload.from_file(io.BytesIO(PDF), name="scan.pdf")

    assert made.content == PDF and _store(dossier, made).sha256 == sha256(PDF)
    with pytest.raises(TypeError):
        streamed.content  # noqa: B018
    with pytest.raises(TypeError):
        Upload("both.pdf", PDF, file=io.BytesIO(PDF))


def test_an_intake_that_rolls_back_leaves_its_streamed_files_to_the_sweep(people, points, media, tmp_path):
    content = scan(3 * CHUNK_SIZE)
    path = tmp_path / "scan.pdf"
    path.write_bytes(content)
    with pytest.raises(RuntimeError), transaction.atomic(), path.open("rb") as handle:
        services.receive_dossier(
            data=birth_bundle(uploads=[Upload.from_file(handle, name="scan.pdf", document_position=0)]),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            now=at("2025-11-03 09:05"),
        )
        raise RuntimeError("the database failed after the scan was stored")

    (orphan,) = _files(media)
    assert orphan.name == sha256(content) and orphan.read_bytes() == content
    assert not StoredFile.objects.exists()
    then = time.time() - 30 * 3600
    os.utime(orphan, (then, then))
    assert [p.rsplit("/", 1)[1] for p in sweep_orphan_files(older_than=dt.timedelta(hours=24)).removed] == [
        orphan.name
    ]


def test_the_upload_handler_keeps_one_byte_past_the_limit_of_each_file(one_mb):
    handler = SizeLimitUploadHandler()
    handler.new_file("files", "scan.pdf", "application/pdf", None)
    passed, start = 0, 0
    for _ in range(40):  # 40 chunks of 64 KB: 2.5 MB sent
        passed += len(handler.receive_data_chunk(b"x" * CHUNK_SIZE, start) or b"")
        start += CHUNK_SIZE

    assert passed == one_mb + 1
    handler.new_file("files", "second.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"y" * 10, 0) == b"y" * 10


# Staff intake end to end: the files go through Django's multipart parser, spooled and guarded.


@pytest.fixture
def officer(client, people, clock, settings, media):  # noqa: F811
    guard_uploads(settings)
    client.force_login(people["motcua.thanhsen"])
    return people["motcua.thanhsen"]


def test_the_counter_accepts_a_large_scan_staged_then_filed_byte_for_byte(client, officer):
    content = scan(6 * CHUNK_SIZE + 99)
    staged = client.post(
        reverse("dossiers:stage_files"),
        {"nonce": "c" * 32, "files": [SimpleUploadedFile("to-khai.pdf", content, "application/pdf")]},
        **HTMX,
    )
    assert staged.status_code == 200, staged.content[:500]
    token = staged.content.decode().split('name="staged" value="')[1].split('"')[0]
    assert client.session["motcua_staged"]["c" * 32][0]["size"] == len(content)  # the session holds no bytes

    response = client.post(URL, intake_data(nonce="c" * 32, **{f"doc_{token}": "0"}))

    assert response.status_code == 302
    stored = Dossier.objects.get().files.get()
    assert (stored.size, stored.sha256, stored.document.position) == (len(content), sha256(content), 0)
    assert stored_bytes(stored.file) == content


def test_a_scan_over_the_limit_is_refused_at_the_counter_by_name(client, officer, one_mb):
    big = SimpleUploadedFile("ban-do.pdf", scan(one_mb + 3 * CHUNK_SIZE), "application/pdf")

    staged = client.post(reverse("dossiers:stage_files"), {"nonce": "d" * 32, "files": [big]}, **HTMX)

    assert "ban-do.pdf" in staged.content.decode()
    assert not client.session.get("motcua_staged", {}).get("d" * 32)


def test_a_request_larger_than_the_request_limit_is_answered_413_before_it_is_read(client, officer, settings):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_UPLOAD_MB": 1, "MAX_REQUEST_MB": 1}

    def files() -> list[SimpleUploadedFile]:
        return [SimpleUploadedFile(f"scan-{i}.pdf", scan(400 * 1024, i), "application/pdf") for i in range(3)]

    page = client.post(reverse("dossiers:stage_files"), {"nonce": "e" * 32, "files": files()}, **HTMX)
    api = client.post("/api/v1/dossiers/multipart", {"data": "{}", "files": files()})

    assert page.status_code == 413 and not client.session.get("motcua_staged", {}).get("e" * 32)
    assert (api.status_code, api.json()["error"]["code"]) == (413, "request_too_large")
