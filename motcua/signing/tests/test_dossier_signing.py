"""Signing a dossier's files: results at "result ready", scans by the officer, and the online hand-over."""

from __future__ import annotations

import pytest
from django.utils import timezone

from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import FileKind, StoredFile
from motcua.dossiers.uploads import Upload
from motcua.signing import certificates as certs
from motcua.signing.models import FileSignature, SignatureOrigin, SignatureStatus
from motcua.signing.pdfsign import sign_pdf
from motcua.signing.services import credential_of

from .conftest import document, png


def _result(name: str = "giay-khai-sinh.pdf", content: bytes | None = None) -> Upload:
    return Upload(name=name, content=content or document("GIẤY KHAI SINH"))


def test_result_ready_with_sign_makes_a_sealed_copy_and_an_event(ready, people, seal):
    services.mark_result_ready(code=ready.code, actor=people["ct.thanhsen"], results=[_result()], sign=True)

    original, copy = ready.files.filter(kind=FileKind.RESULT).order_by("pk")
    assert (
        original.original_name == "giay-khai-sinh.pdf" and copy.original_name == "giay-khai-sinh-da-ky-so.pdf"
    )
    assert original.sha256 != copy.sha256 and not original.signatures.exists()  # what was sent stays as sent
    [signature] = copy.signatures.all()
    assert (signature.status, signature.origin, signature.source_file) == (
        SignatureStatus.VALID,
        SignatureOrigin.SIGNED,
        original,
    )
    assert signature.certificate == seal and signature.signed_by == people["ct.thanhsen"]
    event = ready.events.get(action=Action.SIGN_FILE)
    assert (
        event.public and event.data["file"] == copy.original_name and event.agency_id == ready.lead_agency_id
    )


def test_sign_without_a_seal_is_refused_and_changes_nothing(ready, people):
    with pytest.raises(ValidationFailed) as caught:
        services.mark_result_ready(
            code=ready.code, actor=people["ct.thanhsen"], results=[_result()], sign=True
        )

    assert caught.value.code == "agency_has_no_seal"
    ready.refresh_from_db()
    assert ready.status == Status.IN_PROGRESS and not ready.files.filter(kind=FileKind.RESULT).exists()


def test_a_result_signed_by_the_agencys_own_software_is_verified_and_recorded(ready, people, authority):
    token = certs.issue_certificate(
        _authority(authority), common_name="Chủ tịch UBND phường", now=timezone.now()
    )
    signed = sign_pdf(document(), credential=token, reason="Ký bằng USB token", location="")

    services.mark_result_ready(
        code=ready.code, actor=people["ct.thanhsen"], results=[_result(content=signed)]
    )

    [stored] = ready.files.filter(kind=FileKind.RESULT)
    [signature] = stored.signatures.all()
    assert signature.origin == SignatureOrigin.RECEIVED and signature.signer_name == "Chủ tịch UBND phường"
    assert signature.status == SignatureStatus.VALID and signature.certificate is None


def test_a_result_altered_after_signing_is_refused_with_a_clear_error(ready, people, seal):
    signed = bytearray(sign_pdf(document(), credential=credential_of(seal), reason="Kết quả", location=""))
    signed[300] ^= 0x01

    with pytest.raises(ValidationFailed) as caught:
        services.mark_result_ready(
            code=ready.code, actor=people["ct.thanhsen"], results=[_result(content=bytes(signed))]
        )

    assert caught.value.code == "result_signature_broken"
    assert (
        "giay-khai-sinh.pdf" in caught.value.message
        and "chữ ký số không còn nguyên vẹn" in caught.value.message
    )
    ready.refresh_from_db()
    assert ready.status == Status.IN_PROGRESS and not FileSignature.objects.exists()


def test_an_online_hand_over_needs_a_validly_signed_result(ready, people, seal):
    officer = people["motcua.thanhsen"]
    services.mark_result_ready(code=ready.code, actor=people["ct.thanhsen"], results=[_result()])
    with pytest.raises(ValidationFailed) as caught:
        services.hand_over_result(code=ready.code, actor=officer)
    assert caught.value.code == "result_not_signed"

    [result] = ready.files.filter(kind=FileKind.RESULT)
    with pytest.raises(NotFound):  # the desk does not seal in the handling agency's name
        services.sign_file(code=ready.code, file_id=result.pk, actor=officer)
    services.sign_file(code=ready.code, file_id=result.pk, actor=people["ct.thanhsen"])
    services.hand_over_result(code=ready.code, actor=officer)

    ready.refresh_from_db()
    assert ready.status == Status.RETURNED


def test_a_counter_hand_over_needs_no_signature(ready, people):
    services.mark_result_ready(code=ready.code, actor=people["ct.thanhsen"], results=[_result()])

    services.hand_over_result(code=ready.code, actor=people["motcua.thanhsen"], method="counter")

    ready.refresh_from_db()
    assert ready.status == Status.RETURNED


def test_the_officer_signs_a_scan_and_an_image_becomes_a_signed_pdf(ready, people, officer_certificate):
    officer = people["motcua.thanhsen"]
    scan = ready.files.get(original_name="to-khai.pdf")
    image = ready.files.get(original_name="giay-chung-sinh.jpg")

    copy = services.sign_file(code=ready.code, file_id=scan.pk, actor=officer)
    picture = services.sign_file(code=ready.code, file_id=image.pk, actor=officer)

    assert copy.kind == FileKind.SCAN and copy.document_id == scan.document_id
    assert (
        picture.content_type == "application/pdf" and picture.original_name == "giay-chung-sinh-da-ky-so.pdf"
    )
    for signed in (copy, picture):
        [signature] = signed.signatures.all()
        assert signature.certificate == officer_certificate and signature.status == SignatureStatus.VALID
    assert not ready.events.filter(action=Action.SIGN_FILE, public=True).exists()  # scans are the desk's work
    with pytest.raises(Conflict) as caught:
        services.sign_file(code=ready.code, file_id=scan.pk, actor=officer)
    assert caught.value.code == "already_signed"


def test_only_the_desk_signs_scans_and_other_agencies_get_not_found(ready, people, officer_certificate, seal):
    scan = ready.files.get(original_name="to-khai.pdf")
    for outsider in (people["ct.thanhsen"], people["motcua.thachha"], people["cv.dkkd"], people["stranger"]):
        with pytest.raises(NotFound):
            services.sign_file(code=ready.code, file_id=scan.pk, actor=outsider)
    assert StoredFile.objects.filter(dossier=ready).count() == 2


def test_an_officer_without_a_certificate_is_told_so(ready, people):
    scan = ready.files.get(original_name="to-khai.pdf")

    with pytest.raises(ValidationFailed) as caught:
        services.sign_file(code=ready.code, file_id=scan.pk, actor=people["motcua.thanhsen"])

    assert caught.value.code == "officer_has_no_certificate"


def test_only_the_handling_agency_seals_its_results(ready, people, seal):
    with pytest.raises(ValidationFailed) as caught:
        services.mark_result_ready(
            code=ready.code, actor=people["motcua.thanhsen"], results=[_result()], sign=True
        )

    assert caught.value.code == "seal_not_allowed"
    ready.refresh_from_db()
    assert ready.status == Status.IN_PROGRESS and not ready.files.filter(kind=FileKind.RESULT).exists()


def test_sealed_image_results_are_pdfs(ready, people, seal):
    services.mark_result_ready(
        code=ready.code,
        actor=people["ct.thanhsen"],
        results=[Upload(name="ket-qua.png", content=png())],
        sign=True,
    )

    copy = ready.files.get(original_name="ket-qua-da-ky-so.pdf")
    assert copy.content_type == "application/pdf" and copy.signatures.get().status == SignatureStatus.VALID


def _authority(root) -> certs.Credential:
    from cryptography import x509

    from motcua.signing.keys import decrypt_key

    return certs.Credential(
        key=decrypt_key(root.private_key),
        certificate=x509.load_pem_x509_certificate(root.certificate_pem.encode()),
    )
