"""Long-term signatures without the database: a TSA and a CRL served over HTTP by the development CA."""

from __future__ import annotations

import datetime as dt
import io
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import aiohttp
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator.errors import PathBuildingError

from motcua.core.errors import ValidationFailed
from motcua.signing import certificates as certs
from motcua.signing import longterm
from motcua.signing.coroutines import finish
from motcua.signing.devserver import AuthorityServer
from motcua.signing.longterm import Options, SigningUnavailable
from motcua.signing.pdfsign import LongTerm, sign_pdf
from motcua.signing.verify import verify_pdf

from .conftest import document

NOW = dt.datetime.now(dt.UTC)


def dead_url(path: str = "/tsa") -> str:
    """An address where nothing listens: the TSA or the CA is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


@pytest.fixture(scope="module")
def ca() -> certs.Credential:
    return certs.make_authority("CA thử nghiệm", now=NOW)


@pytest.fixture(scope="module")
def server(ca):
    with AuthorityServer(ca) as running:
        yield running


@pytest.fixture
def seal(ca, server) -> certs.Credential:
    """A seal whose certificate names the CRL the test server publishes; not revoked until a test says so."""
    server.revoked.clear()
    return certs.issue_certificate(ca, common_name="UBND PHƯỜNG THÀNH SEN", now=NOW, crl_url=server.crl_url)


def _roots(ca) -> list:
    return [certs.asn1_certificate(ca.certificate)]


def _signed(seal, ca, **options) -> bytes:
    long_term = LongTerm(options=Options(**options), trust_roots=_roots(ca))
    return sign_pdf(document(), credential=seal, reason="Kết quả", location="", long_term=long_term)


def test_the_tsa_certificate_is_made_for_timestamps_only(server):
    usage = server.tsa.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)

    assert usage.critical and list(usage.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_a_signature_carries_a_valid_timestamp_from_the_configured_tsa(ca, server, seal):
    before = len(server.requests)
    signed = _signed(seal, ca, tsa_url=server.tsa_url)

    [check] = verify_pdf(signed, trust_roots=_roots(ca), now=NOW).signatures
    assert "POST /tsa" in server.requests[before:]
    assert check.status == "valid" and check.timestamped and check.timestamp_at is not None
    assert abs(check.timestamp_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert check.timestamp_authority == "MotCua Dev TSA – không có giá trị pháp lý"
    assert not check.long_term  # B-T: timestamped, but no revocation info embedded


def test_without_a_tsa_the_signature_is_baseline_b_as_before(ca, server, seal):
    before = len(server.requests)

    [check] = verify_pdf(_signed(seal, ca), trust_roots=_roots(ca), now=NOW).signatures

    assert server.requests[before:] == [] and not check.timestamped and check.timestamp_at is None
    assert check.status == "valid" and check.revocation == "not_checked"


def test_a_tsa_that_does_not_answer_stops_the_signing(ca, seal):
    with pytest.raises(SigningUnavailable) as caught:
        _signed(seal, ca, tsa_url=dead_url(), tsa_timeout=2)

    assert caught.value.code == "tsa_unavailable" and caught.value.status == 503


def test_with_revocation_on_the_validation_info_is_embedded_b_lt(ca, server, seal):
    signed = _signed(seal, ca, tsa_url=server.tsa_url, revocation="hard")

    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(signed)))
    assert len(dss.crls) == 1
    [check] = verify_pdf(
        signed, trust_roots=_roots(ca), now=NOW, options=Options(revocation="hard")
    ).signatures
    assert check.status == "valid" and check.revocation == "good"
    assert check.validation_info and check.long_term and check.details()["long_term"] is True


def test_a_timestamped_signature_stays_valid_after_the_certificate_expires(ca, server):
    server.revoked.clear()
    short = certs.issue_certificate(ca, common_name="Cán bộ", now=NOW, days=30, crl_url=server.crl_url)
    later = NOW + dt.timedelta(days=90)
    long_term = _signed(short, ca, tsa_url=server.tsa_url, revocation="soft")
    plain = _signed(short, ca)

    [kept] = verify_pdf(long_term, trust_roots=_roots(ca), now=later).signatures
    [lost] = verify_pdf(plain, trust_roots=_roots(ca), now=later).signatures

    assert kept.status == "valid" and kept.long_term
    assert any("dấu thời gian tin cậy chứng minh" in p for p in kept.problems)
    assert lost.status == "expired"


def test_a_revoked_certificate_fails_verification_in_soft_and_hard_mode(ca, server, seal):
    signed = _signed(seal, ca, tsa_url=server.tsa_url)
    server.revoked.append((seal.certificate, NOW - dt.timedelta(hours=1)))

    for mode in ("soft", "hard"):
        report = verify_pdf(signed, trust_roots=_roots(ca), now=NOW, options=Options(revocation=mode))
        [check] = report.signatures
        assert report.status == "revoked" and check.status == "revoked" and check.revocation == "revoked"
        assert "đã bị tổ chức cung cấp dịch vụ chứng thực thu hồi" in check.problems[0]
    off = verify_pdf(signed, trust_roots=_roots(ca), now=NOW)
    assert off.status == "valid" and any("Chưa kiểm tra tình trạng thu hồi" in n for n in off.notes)


def test_a_ca_that_does_not_answer_warns_in_soft_mode_and_fails_in_hard(ca):
    unreachable = certs.issue_certificate(ca, common_name="UBND", now=NOW, crl_url=dead_url("/crl"))
    signed = _signed(unreachable, ca)

    [soft] = verify_pdf(
        signed, trust_roots=_roots(ca), now=NOW, options=Options(revocation="soft", revocation_timeout=2)
    ).signatures
    [hard] = verify_pdf(
        signed, trust_roots=_roots(ca), now=NOW, options=Options(revocation="hard", revocation_timeout=2)
    ).signatures

    assert soft.status == "valid" and soft.revocation == "unknown"
    assert any(p.startswith("Lưu ý: không kiểm tra được tình trạng thu hồi") for p in soft.problems)
    assert hard.status == "untrusted" and hard.revocation == "failed"
    assert "Không xác định được tình trạng thu hồi" in hard.problems[0]


def test_signing_with_a_revoked_certificate_is_refused(ca, server, seal):
    server.revoked.append((seal.certificate, NOW - dt.timedelta(hours=1)))

    with pytest.raises(ValidationFailed) as caught:
        _signed(seal, ca, tsa_url=server.tsa_url, revocation="soft")

    assert caught.value.code == "certificate_revoked" and "UBND PHƯỜNG THÀNH SEN" in caught.value.message


def test_signing_in_hard_mode_is_refused_when_the_ca_does_not_answer(ca):
    unreachable = certs.issue_certificate(ca, common_name="UBND", now=NOW, crl_url=dead_url("/crl"))

    with pytest.raises(SigningUnavailable) as caught:
        _signed(unreachable, ca, revocation="hard", revocation_timeout=2)
    softly = _signed(unreachable, ca, revocation="soft", revocation_timeout=2)

    assert caught.value.code == "revocation_unavailable"
    assert verify_pdf(softly, trust_roots=_roots(ca), now=NOW).status == "valid"


def test_a_checked_certificate_cannot_make_the_server_fetch_the_issuer_address_it_names():
    """The public check page verifies anyone's file: its certificates' URLs must not be fetched (SSRF)."""
    hits: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    listening = HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=listening.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{listening.server_port}/issuer.cer"
    key = ec.generate_private_key(ec.SECP256R1())
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    made = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Người lạ")]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA không có thật")]))
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=30))
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(address)
                    )
                ]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    certificate = asn1_x509.Certificate.load(made.public_bytes(serialization.Encoding.DER))

    async def check() -> None:
        async with aiohttp.ClientSession() as opened:
            context = longterm.validation_context(
                longterm.Options(revocation="hard"), opened, trust_roots=[], other_certs=[], strict=True
            )
            with pytest.raises(PathBuildingError):
                await CertificateValidator(certificate, validation_context=context).async_validate_usage(
                    set()
                )

    try:
        finish(check())  # not asyncio.run: a browser test before it on this worker leaves a loop running
    finally:
        listening.shutdown()
    assert hits == []
