"""Long-term signatures in a dossier: configured by settings, a TSA that fails changes nothing, revocation
on the dossier page, the public check page and the API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.api.tests.conftest import Staff
from motcua.core.errors import ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, FileKind, StoredFile
from motcua.dossiers.uploads import Upload
from motcua.org.models import Agency
from motcua.signing import certificates as certs
from motcua.signing import services
from motcua.signing.devserver import AuthorityServer
from motcua.signing.longterm import SigningUnavailable
from motcua.signing.models import Certificate, FileSignature

from .conftest import document
from .test_longterm import dead_url

VERIFY_API = "/api/v1/signatures/verify"
VERIFY_PAGE = "/kiem-tra-chu-ky/"


@pytest.fixture
def server(authority):
    with AuthorityServer(services.authority_credential(authority)) as running:
        yield running


@pytest.fixture
def crl_seal(authority, server, province):
    """The handling agency's seal, under a CA that publishes a CRL on the test server."""
    credential = certs.issue_certificate(
        services.authority_credential(authority),
        common_name="UBND PHƯỜNG THÀNH SEN",
        now=timezone.now(),
        crl_url=server.crl_url,
    )
    return services.add_certificate(credential=credential, agency=Agency.objects.get(code="H42.50.01"))


def _configure(settings, **values) -> None:
    settings.MOTCUA = {**settings.MOTCUA, **{f"SIGNING_{k.upper()}": v for k, v in values.items()}}


def _seal_result(ready: Dossier, people) -> StoredFile:
    dossier_services.mark_result_ready(
        code=ready.code, actor=people["ct.thanhsen"], results=[Upload("kq.pdf", document())], sign=True
    )
    return ready.files.get(original_name="kq-da-ky-so.pdf")


def _x509(certificate: Certificate) -> x509.Certificate:
    return certs.read_certificate(certificate.certificate_pem.encode())


def _state(dossier: Dossier) -> tuple:
    dossier.refresh_from_db()
    return dossier.version, dossier.status, dossier.files.count(), dossier.events.count()


def test_a_sealed_result_carries_the_timestamp_of_the_configured_tsa(settings, ready, people, seal, server):
    _configure(settings, tsa_url=server.tsa_url)

    copy = _seal_result(ready, people)

    [signature] = copy.signatures.all()
    assert "POST /tsa" in server.requests
    assert signature.status == "valid" and signature.details["timestamp_at"] is not None
    assert signature.signed_at == dt.datetime.fromisoformat(signature.details["timestamp_at"])
    assert signature.details["timestamp_authority"].startswith("MotCua Dev TSA")
    assert signature.details["long_term"] is False and signature.level == "B-T"  # revocation is off


def test_with_revocation_on_the_result_is_long_term_on_every_page(
    client, settings, ready, people, crl_seal, server
):
    _configure(settings, tsa_url=server.tsa_url, revocation="hard")
    copy = _seal_result(ready, people)
    [signature] = copy.signatures.all()
    assert signature.details["long_term"] is True and signature.details["revocation"] == "good"

    client.force_login(people["ct.thanhsen"])
    page = client.get(reverse("dossiers:dossier", args=[ready.code])).content.decode()
    assert "(dấu thời gian)" in page and ">Dài hạn, lưu trữ</span>" in page  # B-LTA: TSA and CRL both on

    pdf = copy.file.open("rb").read()
    answer = client.post(VERIFY_API, {"file": SimpleUploadedFile("kq.pdf", pdf)}).json()
    [checked] = answer["signatures"]
    assert (answer["status"], checked["long_term"], checked["validation_info"], checked["revocation"]) == (
        "valid",
        True,
        True,
        "good",
    )
    assert checked["level"] == "B-LTA" and checked["archived_at"] is not None
    [archive] = answer["archive"]
    assert archive["trusted"] and archive["authority"].startswith("MotCua Dev TSA")
    assert archive["authority_valid_to"] is not None
    assert checked["timestamp_at"] is not None and checked["timestamp_authority"].startswith("MotCua Dev TSA")
    assert not any("Chưa kiểm tra tình trạng thu hồi" in n for n in answer["notes"])
    check_page = client.post(VERIFY_PAGE, {"file": SimpleUploadedFile("kq.pdf", pdf)}).content.decode()
    # With a TSA and revocation checks the signature is also archived (B-LTA, test_archive*.py).
    assert "được niêm phong bằng dấu thời gian lưu trữ (PAdES B-LTA)" in check_page
    assert "Tệp có dấu thời gian lưu trữ (PAdES B-LTA)" in answer["summary"]
    assert "đã kiểm tra: chứng thư số không bị thu hồi" in check_page
    detail = Staff(people)["ct.thanhsen"].get(f"/api/v1/dossiers/{ready.code}").json()
    [staff_view] = next(f for f in detail["files"] if f["id"] == copy.pk)["signatures"]
    assert (staff_view["long_term"], staff_view["revocation"], staff_view["level"]) == (True, "good", "B-LTA")
    assert staff_view["archived_at"] is not None and staff_view["timestamp_valid_to"] is not None
    assert staff_view["timestamp_at"] is not None and staff_view["timestamp_authority"].startswith(
        "MotCua Dev TSA"
    )


def test_the_tsa_down_refuses_to_seal_and_writes_nothing(settings, ready, people, seal):
    _configure(settings, tsa_url=dead_url(), tsa_timeout=2)
    before = _state(ready)

    with pytest.raises(SigningUnavailable) as caught:
        _seal_result(ready, people)

    assert caught.value.code == "tsa_unavailable"
    assert _state(ready) == before and ready.status == Status.IN_PROGRESS
    assert not FileSignature.objects.exists()


def test_the_tsa_down_refuses_to_sign_a_file_on_the_page_and_in_the_api(
    client, settings, ready, people, officer_certificate
):
    _configure(settings, tsa_url=dead_url(), tsa_timeout=2)
    scan = ready.files.get(original_name="to-khai.pdf")
    before = _state(ready)
    client.force_login(people["motcua.thanhsen"])

    page = client.post(
        reverse("signing:sign_file", args=[ready.code, scan.pk]), {"expected_version": ready.version}
    )
    api = Staff(people)["motcua.thanhsen"].post(
        f"/api/v1/dossiers/{ready.code}/files/{scan.pk}/sign", {"expected_version": ready.version}
    )

    assert page.status_code == 422
    assert "Máy chủ cấp dấu thời gian (TSA) không phản hồi" in page.content.decode()
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "tsa_unavailable"
    assert api.json()["error"]["message"].startswith("Máy chủ cấp dấu thời gian (TSA) không phản hồi")
    assert _state(ready) == before and not FileSignature.objects.exists()


def test_a_tsa_that_stops_answering_half_way_signs_and_stores_no_scan_at_all(
    settings, monkeypatch, ready, people, officer_certificate, server
):
    _configure(settings, tsa_url=server.tsa_url, tsa_timeout=2)
    answered = []
    stamp = server.timestamp

    def one_signature(query: bytes) -> bytes:
        # pyHanko asks twice per signature: a dummy answer to size the signature, then the real one.
        if len(answered) == 2:
            raise ConnectionAbortedError("the TSA went down")  # the connection drops without an answer
        answered.append(query)
        return stamp(query)

    monkeypatch.setattr(server, "timestamp", one_signature)
    before = _state(ready)
    media = Path(settings.MEDIA_ROOT)
    on_disk = sorted(media.rglob("*"))

    with pytest.raises(SigningUnavailable):  # the first scan was signed, the second was not
        dossier_services.sign_scans(code=ready.code, actor=people["motcua.thanhsen"])

    assert len(answered) == 2 and _state(ready) == before
    assert sorted(media.rglob("*")) == on_disk  # not even an orphan file waiting for the sweep


def test_a_revoked_seal_fails_the_check_in_hard_and_soft_mode(
    client, settings, ready, people, crl_seal, server
):
    pdf = _seal_result(ready, people).file.open("rb").read()  # signed while revocation is off
    server.revoked.append((_x509(crl_seal), timezone.now()))

    for mode in ("hard", "soft"):
        _configure(settings, revocation=mode)
        answer = client.post(VERIFY_API, {"file": SimpleUploadedFile("kq.pdf", pdf)}).json()
        [checked] = answer["signatures"]
        assert (answer["status"], checked["status"], checked["revocation"]) == (
            "revoked",
            "revoked",
            "revoked",
        )
        assert checked["problems"][0].startswith("Chứng thư số của người ký đã bị tổ chức cung cấp dịch vụ")
        page = client.post(VERIFY_PAGE, {"file": SimpleUploadedFile("kq.pdf", pdf)}).content.decode()
        assert "Chứng thư số đã bị thu hồi" in page and "Không hợp lệ" in page


def test_an_unreachable_ca_warns_in_soft_mode_and_fails_in_hard(client, settings, ready, people, authority):
    credential = certs.issue_certificate(
        services.authority_credential(authority),
        common_name="UBND PHƯỜNG THÀNH SEN",
        now=timezone.now(),
        crl_url=dead_url("/crl"),
    )
    services.add_certificate(credential=credential, agency=Agency.objects.get(code="H42.50.01"))
    pdf = _seal_result(ready, people).file.open("rb").read()
    _configure(settings, revocation_timeout=2)

    _configure(settings, revocation="soft")
    soft = client.post(VERIFY_API, {"file": SimpleUploadedFile("kq.pdf", pdf)}).json()
    _configure(settings, revocation="hard")
    hard = client.post(VERIFY_API, {"file": SimpleUploadedFile("kq.pdf", pdf)}).json()

    assert (soft["status"], soft["signatures"][0]["revocation"]) == ("valid", "unknown")
    assert soft["signatures"][0]["problems"][0].startswith("Lưu ý: không kiểm tra được tình trạng thu hồi")
    assert (hard["status"], hard["signatures"][0]["revocation"]) == ("untrusted", "failed")


def test_a_revoked_seal_cannot_seal_a_result_in_revocation_mode(settings, ready, people, crl_seal, server):
    _configure(settings, revocation="soft")
    server.revoked.append((_x509(crl_seal), timezone.now()))
    before = _state(ready)

    with pytest.raises(ValidationFailed) as caught:
        _seal_result(ready, people)

    assert caught.value.code == "certificate_revoked"
    assert "đã bị tổ chức cung cấp dịch vụ chứng thực thu hồi" in caught.value.message
    assert _state(ready) == before and ready.files.filter(kind=FileKind.RESULT).count() == 0


def test_checks_recorded_before_levels_were_kept_still_have_one():
    assert FileSignature(details={"long_term": True, "timestamp_at": "2025-11-06T07:00:00Z"}).level == "B-LT"
    assert FileSignature(details={"timestamp_at": "2025-11-06T07:00:00Z"}).level == "B-T"
    assert FileSignature(details={}).level == "B"
    assert FileSignature(details={"level": "B-LTA", "long_term": True}).level == "B-LTA"
