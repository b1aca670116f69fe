"""Signing and verifying read PDFs from streams, and the signature marker is found across chunks."""

from __future__ import annotations

import io

from django.utils import timezone

from motcua.signing import certificates as certs
from motcua.signing.pdfsign import sign_pdf, sign_pdf_stream
from motcua.signing.rules import may_carry_signature_in
from motcua.signing.verify import verify_pdf

from .conftest import document

NOW = timezone.now()


def test_the_signature_marker_is_found_even_across_two_chunks():
    assert may_carry_signature_in([b"<< /Byte", b"Range [0 1 2 3] >>"])
    assert may_carry_signature_in([b"x" * 10, b"/ByteRange"])
    assert not may_carry_signature_in([b"/Byte", b"x", b"Range"])


def test_a_pdf_signed_from_a_stream_into_a_stream_verifies_as_the_same_file():
    ca = certs.make_authority("CA thử nghiệm", now=NOW)
    seal = certs.issue_certificate(ca, common_name="UBND PHƯỜNG THÀNH SEN", now=NOW)
    output = io.BytesIO()

    sign_pdf_stream(io.BytesIO(document()), output, credential=seal, reason="Kết quả", location="")

    roots = [certs.asn1_certificate(ca.certificate)]
    streamed = verify_pdf(output, trust_roots=roots, now=NOW)
    whole = verify_pdf(output.getvalue(), trust_roots=roots, now=NOW)
    assert streamed.status == whole.status == "valid"
    assert (streamed.sha256, streamed.size) == (whole.sha256, whole.size)
    assert verify_pdf(
        sign_pdf(document(), credential=seal, reason="", location=""), trust_roots=roots, now=NOW
    )
