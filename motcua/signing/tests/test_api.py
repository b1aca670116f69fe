"""The API: public verification, signatures in the dossier detail, the sign flag and the sign endpoint."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.api.tests.conftest import Staff, b64
from motcua.dossiers.models import FileKind

from .conftest import document, png

BASE = "/api/v1/dossiers"
VERIFY = "/api/v1/signatures/verify"


def test_the_public_verify_endpoint_reports_and_refuses_non_pdfs(client, settings, ready, people, seal):
    staff = Staff(people)
    staff["ct.thanhsen"].post(
        f"{BASE}/{ready.code}/result-ready",
        {"files": [{"name": "kq.pdf", "content_base64": b64(document())}], "sign": True},
    )
    copy = ready.files.get(original_name="kq-da-ky-so.pdf")

    answer = client.post(VERIFY, {"file": SimpleUploadedFile("kq.pdf", copy.file.open("rb").read())})
    not_pdf = client.post(VERIFY, {"file": SimpleUploadedFile("a.pdf", png())})
    settings.MOTCUA = {**settings.MOTCUA, "MAX_UPLOAD_MB": 1}
    too_large = client.post(
        VERIFY, {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))}
    )

    body = answer.json()
    assert answer.status_code == 200 and body["status"] == "valid"
    assert body["issued"]["dossier_code"] == ready.code and body["signatures"][0]["intact"]
    assert body["notes"] and body["summary"].startswith("Tệp có 1 chữ ký số.")
    assert not_pdf.status_code == 422 and not_pdf.json()["error"]["code"] == "file_not_pdf"
    assert too_large.status_code == 422 and too_large.json()["error"]["code"] == "file_too_large"


def test_the_verify_endpoint_is_rate_limited(client, settings, db):
    settings.MOTCUA = {**settings.MOTCUA, "SIGNATURE_CHECKS_PER_IP": 1}
    assert (
        client.post(VERIFY, {"file": SimpleUploadedFile("a.pdf", document())}).json()["status"] == "unsigned"
    )

    refused = client.post(VERIFY, {"file": SimpleUploadedFile("a.pdf", document())})

    assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_attempts"


def test_files_list_their_signatures_and_a_file_is_signed_through_the_api(ready, people, officer_certificate):
    staff = Staff(people)
    scan = ready.files.get(original_name="to-khai.pdf")
    officer = staff["motcua.thanhsen"]

    denied = staff["cv.dkkd"].post(f"{BASE}/{ready.code}/files/{scan.pk}/sign", {})
    signed = officer.post(f"{BASE}/{ready.code}/files/{scan.pk}/sign", {"expected_version": ready.version})

    assert denied.status_code == 404
    files = {f["name"]: f for f in signed.json()["files"]}
    copy = files["to-khai-da-ky-so.pdf"]
    assert copy["signed_copy_of"] == scan.pk and copy["kind"] == FileKind.SCAN
    assert [(s["signer_name"], s["status"], s["origin"]) for s in copy["signatures"]] == [
        ("Võ Thị Thu", "valid", "signed")
    ]
    assert files["to-khai.pdf"]["signatures"] == [] and files["to-khai.pdf"]["signed_copy_of"] is None
    assert signed.json()["timeline"][-1]["action"] == "sign_file"


def test_result_ready_with_sign_but_no_seal_is_a_422(ready, people):
    answer = Staff(people)["ct.thanhsen"].post(
        f"{BASE}/{ready.code}/result-ready",
        {"files": [{"name": "kq.pdf", "content_base64": b64(document())}], "sign": True},
    )

    assert answer.status_code == 422 and answer.json()["error"]["code"] == "agency_has_no_seal"
