"""Signing and verifying PDF bytes: pure functions, no database."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from motcua.core.errors import ValidationFailed
from motcua.signing import certificates as certs
from motcua.signing.pdfsign import image_to_pdf, sign_pdf
from motcua.signing.verify import verify_pdf

from .conftest import document, png

NOW = timezone.now()
STAMP = ["Kết quả đã ký số", "Ký bởi: ỦY BAN NHÂN DÂN PHƯỜNG THÀNH SEN", "Thời gian ký: 09:00 06/11/2025"]


@pytest.fixture(scope="module")
def ca() -> certs.Credential:
    return certs.make_authority("CA thử nghiệm", now=NOW)


@pytest.fixture(scope="module")
def seal(ca) -> certs.Credential:
    return certs.issue_certificate(ca, common_name="ỦY BAN NHÂN DÂN PHƯỜNG THÀNH SEN", now=NOW)


def _roots(*authorities: certs.Credential) -> list:
    return [certs.asn1_certificate(a.certificate) for a in authorities]


def _signed(credential: certs.Credential, data: bytes | None = None) -> bytes:
    return sign_pdf(data or document(), credential=credential, reason="Kết quả", location="", stamp=STAMP)


def test_a_signed_pdf_verifies_as_valid_with_its_signer_and_time(ca, seal):
    report = verify_pdf(_signed(seal), trust_roots=_roots(ca), now=NOW)

    assert report.status == "valid"
    [signature] = report.signatures
    assert signature.signer_name == "ỦY BAN NHÂN DÂN PHƯỜNG THÀNH SEN"
    assert signature.intact and signature.trusted and signature.covers_whole_file
    assert abs(signature.signed_at - timezone.now()) < dt.timedelta(minutes=5)
    assert signature.reason == "Kết quả"
    assert "Mọi chữ ký đều hợp lệ" in report.summary  # Vietnamese by default
    assert any("thu hồi" in note for note in report.notes)  # offline: revocation not checked, and it says so


def test_one_byte_changed_after_signing_breaks_the_signature(ca, seal):
    signed = bytearray(_signed(seal))
    signed[200] ^= 0x01

    report = verify_pdf(bytes(signed), trust_roots=_roots(ca), now=NOW)

    assert report.status == "invalid"
    assert not report.signatures[0].intact


def test_content_appended_after_signing_is_a_modified_document(ca, seal):
    writer = IncrementalPdfFileWriter(io.BytesIO(_signed(seal)))
    writer.root["/Lang"] = generic.pdf_string("en")
    writer.update_root()
    changed = io.BytesIO()
    writer.write(changed)

    report = verify_pdf(changed.getvalue(), trust_roots=_roots(ca), now=NOW)

    assert report.status == "modified"
    assert report.signatures[0].intact and report.signatures[0].changed_after


def test_a_certificate_not_under_a_trusted_root_is_untrusted(ca, seal):
    other = certs.make_authority("CA khác", now=NOW)

    report = verify_pdf(_signed(seal), trust_roots=_roots(other), now=NOW)

    assert report.status == "untrusted"
    assert report.signatures[0].intact and not report.signatures[0].trusted


def test_an_expired_certificate_is_reported(ca):
    old = certs.issue_certificate(ca, common_name="Cán bộ cũ", now=NOW - dt.timedelta(days=40), days=10)

    report = verify_pdf(_signed(old), trust_roots=_roots(ca), now=NOW)

    assert report.status == "expired"
    assert "hiệu lực" in report.signatures[0].problems[0]


def test_a_later_signature_keeps_the_first_one_valid(ca, seal):
    officer = certs.issue_certificate(ca, common_name="Võ Thị Thu", now=NOW, use_rsa=True)
    twice = _signed(seal, _signed(officer))

    report = verify_pdf(twice, trust_roots=_roots(ca), now=NOW)

    assert [s.status for s in report.signatures] == ["valid", "valid"]
    assert [s.signer_name for s in report.signatures] == ["Võ Thị Thu", "ỦY BAN NHÂN DÂN PHƯỜNG THÀNH SEN"]
    assert not report.signatures[0].covers_whole_file and not report.signatures[0].changed_after


def test_a_form_from_our_own_generator_signs_and_verifies(ca, seal, people, points):
    from motcua.dossiers import services
    from motcua.dossiers.forms import render_form

    from .conftest import at, birth_bundle

    dossier = services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )
    receipt = render_form(dossier, "receipt")

    report = verify_pdf(_signed(seal, receipt), trust_roots=_roots(ca), now=NOW)

    assert report.status == "valid"


def test_a_scanned_image_becomes_a_pdf_that_signs(ca, seal):
    report = verify_pdf(_signed(seal, image_to_pdf(png())), trust_roots=_roots(ca), now=NOW)

    assert report.status == "valid"


def test_files_that_are_not_readable_pdfs_are_told_apart(ca, seal):
    assert verify_pdf(document(), trust_roots=_roots(ca), now=NOW).status == "unsigned"
    assert verify_pdf(b"%PDF-1.4 broken", trust_roots=_roots(ca), now=NOW).status in {
        "unreadable",
        "unsigned",
    }
    with pytest.raises(ValidationFailed) as caught:
        _signed(seal, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert caught.value.code == "pdf_unreadable"
