"""Archive timestamps (PAdES B-LTA) without the database: made at signing, checked, renewed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.core.errors import ValidationFailed
from motcua.signing import certificates as certs
from motcua.signing.archive import renew_stream
from motcua.signing.devserver import AuthorityServer
from motcua.signing.longterm import Options, SigningUnavailable
from motcua.signing.pdfsign import LongTerm, sign_pdf
from motcua.signing.verify import verify_pdf

from .conftest import document
from .test_longterm import dead_url

NOW = dt.datetime.now(dt.UTC)
SHORT_TSA = "TSA sắp hết hạn"
NEW_TSA = "TSA mới"


@pytest.fixture(scope="module")
def ca() -> certs.Credential:
    return certs.make_authority("CA thử nghiệm lưu trữ", now=NOW)


@pytest.fixture(scope="module")
def expiring(ca):
    """A TSA whose certificate expires in 40 days: its timestamps must be renewed before then."""
    tsa = certs.issue_timestamp_certificate(ca, common_name=SHORT_TSA, now=NOW, days=40)
    with AuthorityServer(ca, tsa=tsa) as running:
        yield running


@pytest.fixture(scope="module")
def renewing(ca):
    tsa = certs.issue_timestamp_certificate(ca, common_name=NEW_TSA, now=NOW, days=3650)
    with AuthorityServer(ca, tsa=tsa) as running:
        yield running


@pytest.fixture
def seal(ca, expiring) -> certs.Credential:
    """A seal valid for 30 days, naming the test server's CRL."""
    return certs.issue_certificate(
        ca, common_name="UBND PHƯỜNG THÀNH SEN", now=NOW, days=30, crl_url=expiring.crl_url
    )


def _roots(ca) -> list:
    return [certs.asn1_certificate(ca.certificate)]


def _signed(seal, ca, **options) -> bytes:
    long_term = LongTerm(options=Options(**options), trust_roots=_roots(ca))
    return sign_pdf(
        document(), credential=seal, reason="Kết quả", location="", stamp=["Đã ký"], long_term=long_term
    )


def _renewed(data: bytes, ca, server) -> bytes:
    output = io.BytesIO()
    renew_stream(
        io.BytesIO(data),
        output,
        options=Options(tsa_url=server.tsa_url, revocation="hard"),
        trust_roots=_roots(ca),
    )
    return output.getvalue()


def _archive_fields(data: bytes) -> list[str]:
    return [str(s.field_name) for s in PdfFileReader(io.BytesIO(data)).embedded_timestamp_signatures]


def test_with_a_tsa_and_revocation_on_every_signature_gets_an_archive_timestamp(ca, expiring, seal):
    signed = _signed(seal, ca, tsa_url=expiring.tsa_url, revocation="hard")

    report = verify_pdf(signed, trust_roots=_roots(ca), now=NOW, options=Options(revocation="hard"))

    [field] = _archive_fields(signed)
    assert field.startswith("MotCuaArchive-")
    [check] = report.signatures
    [archive] = report.archive
    assert check.status == "valid" and check.level == "B-LTA" and check.details()["level"] == "B-LTA"
    assert archive.trusted and archive.authority == SHORT_TSA
    assert archive.authority_valid_to == expiring.tsa.certificate.not_valid_after_utc
    assert check.timestamp_valid_to == expiring.tsa.certificate.not_valid_after_utc
    assert "dấu thời gian lưu trữ (PAdES B-LTA) của TSA sắp hết hạn" in report.summary
    expiry = (NOW + dt.timedelta(days=40)).astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert f"hết hạn ngày {expiry:%d/%m/%Y}" in report.summary


def test_a_timestamp_alone_or_revocation_alone_makes_no_archive_timestamp(ca, expiring, seal):
    timestamped = _signed(seal, ca, tsa_url=expiring.tsa_url)
    checked = _signed(seal, ca, revocation="soft")

    assert _archive_fields(timestamped) == [] and _archive_fields(checked) == []
    [check] = verify_pdf(timestamped, trust_roots=_roots(ca), now=NOW).signatures
    assert (
        check.level == "B-T"
        and "lưu trữ" not in verify_pdf(timestamped, trust_roots=_roots(ca), now=NOW).summary
    )


def test_a_tsa_that_does_not_answer_stops_a_b_lta_signing(ca, seal):
    with pytest.raises(SigningUnavailable) as caught:
        _signed(seal, ca, tsa_url=dead_url(), tsa_timeout=2, revocation="soft")

    assert caught.value.code == "tsa_unavailable"


def test_renewal_adds_a_document_timestamp_as_an_incremental_update(ca, expiring, renewing, seal):
    signed = _signed(seal, ca, tsa_url=expiring.tsa_url, revocation="hard")

    renewed = _renewed(signed, ca, renewing)

    assert renewed.startswith(signed)  # nothing before it changes: every earlier signature stays as it was
    assert len(_archive_fields(renewed)) == 2
    report = verify_pdf(renewed, trust_roots=_roots(ca), now=NOW, options=Options(revocation="hard"))
    assert report.status == "valid" and [a.authority for a in report.archive] == [SHORT_TSA, NEW_TSA]
    assert all(a.trusted for a in report.archive) and "của TSA mới" in report.summary


def test_a_renewed_file_stays_valid_after_the_first_tsa_certificate_expires(ca, expiring, renewing, seal):
    signed = _signed(seal, ca, tsa_url=expiring.tsa_url, revocation="soft")
    renewed = _renewed(signed, ca, renewing)
    later = NOW + dt.timedelta(days=60)  # the seal and the first TSA's certificate have both expired

    [kept] = verify_pdf(renewed, trust_roots=_roots(ca), now=later).signatures
    lost = verify_pdf(signed, trust_roots=_roots(ca), now=later)

    assert kept.status == "valid" and kept.timestamp_at is not None and kept.archived_at is not None
    assert lost.status == "expired" and not lost.archive[0].trusted
    assert "Không xác thực được dấu thời gian lưu trữ" in lost.summary


def test_a_timestamped_file_without_archive_gets_its_first_one(ca, expiring, renewing, seal):
    signed = _signed(seal, ca, tsa_url=expiring.tsa_url)  # B-T: no document timestamp yet

    renewed = _renewed(signed, ca, renewing)

    assert renewed.startswith(signed) and len(_archive_fields(renewed)) == 1
    [kept] = verify_pdf(renewed, trust_roots=_roots(ca), now=NOW + dt.timedelta(days=60)).signatures
    assert kept.status == "valid" and kept.archived_at is not None


def test_renewal_needs_the_tsa_and_a_signed_file(ca, renewing, seal):
    signed = _signed(seal, ca)
    with pytest.raises(SigningUnavailable) as down:
        renew_stream(
            io.BytesIO(signed),
            io.BytesIO(),
            options=Options(tsa_url=dead_url(), tsa_timeout=2, revocation="soft"),
            trust_roots=_roots(ca),
        )
    with pytest.raises(ValidationFailed) as unsigned:
        _renewed(document(), ca, renewing)
    with pytest.raises(ValidationFailed) as off:
        renew_stream(
            io.BytesIO(signed),
            io.BytesIO(),
            options=Options(tsa_url=renewing.tsa_url),
            trust_roots=_roots(ca),
        )

    assert down.value.code == "tsa_unavailable"
    assert unsigned.value.code == "archive_not_renewed" and off.value.code == "archive_not_configured"
