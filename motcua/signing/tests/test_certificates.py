"""Certificates and trusted roots: .p12 import, keys at rest, one active per owner, the demo's."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.core.demo import load_demo
from motcua.core.errors import Conflict, ValidationFailed
from motcua.org.models import Agency
from motcua.signing import certificates as certs
from motcua.signing import services
from motcua.signing.demo import DEMO_CA_NAME
from motcua.signing.keys import KeyUnreadable, decrypt_key
from motcua.signing.models import Certificate, TrustedRoot
from motcua.signing.pdfsign import sign_pdf

from .conftest import document


def _p12(common_name: str = "SỞ TƯ PHÁP TỈNH HÀ TĨNH", password: str = "mat-khau", **kwargs) -> bytes:
    """A .p12 as a Vietnamese CA delivers it: RSA 2048, the chain inside, made with cryptography."""
    now = timezone.now()
    ca = certs.make_authority("VNPT-CA thử nghiệm", now=now, use_rsa=True)
    credential = certs.issue_certificate(ca, common_name=common_name, now=now, use_rsa=True, **kwargs)
    return certs.to_pkcs12(credential, password, common_name)


@pytest.fixture
def justice(province) -> Agency:
    return Agency.objects.get(code="H42.10")


def test_a_p12_is_imported_as_the_agencys_seal(justice, people):
    certificate = services.import_certificate(data=_p12(), password="mat-khau", agency=justice)

    assert certificate.is_active and certificate.agency == justice
    assert certificate.common_name == "SỞ TƯ PHÁP TỈNH HÀ TĨNH" and certificate.key_type == "RSA 2048"
    assert "VNPT-CA" in certificate.chain_pem or "BEGIN CERTIFICATE" in certificate.chain_pem


def test_a_wrong_password_is_a_clear_error_and_changes_nothing(justice):
    with pytest.raises(ValidationFailed) as caught:
        services.import_certificate(data=_p12(), password="sai-mat-khau", agency=justice)

    assert caught.value.code == "pkcs12_wrong_password"
    assert caught.value.message == "Mật khẩu của tệp chứng thư số không đúng."
    assert not Certificate.objects.exists()


def test_a_file_that_is_not_a_p12_is_told_apart_from_a_wrong_password(justice):
    with pytest.raises(ValidationFailed) as caught:
        services.import_certificate(data=b"%PDF-1.4 not a certificate", password="x", agency=justice)

    assert caught.value.code == "pkcs12_unreadable"


def test_the_private_key_at_rest_is_encrypted_with_the_passphrase(justice, monkeypatch):
    monkeypatch.setenv("MOTCUA_SIGNING_PASSPHRASE", "mot-cau-rat-dai-cua-tinh")
    certificate = services.import_certificate(data=_p12(), password="mat-khau", agency=justice)
    stored = bytes(certificate.private_key)
    key = decrypt_key(stored)
    clear = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    numbers = key.private_numbers()  # type: ignore[union-attr]

    assert clear not in stored and clear[-64:] not in stored
    assert numbers.d.to_bytes(256, "big").lstrip(b"\0")[:32] not in stored  # the secret exponent
    monkeypatch.setenv("MOTCUA_SIGNING_PASSPHRASE", "mot-cau-khac")
    with pytest.raises(KeyUnreadable):
        decrypt_key(stored)


def test_an_owner_signs_with_one_certificate_at_a_time(justice):
    first = services.import_certificate(data=_p12(), password="mat-khau", agency=justice)
    with pytest.raises(Conflict) as caught:
        services.import_certificate(data=_p12(), password="mat-khau", agency=justice)
    assert caught.value.code == "owner_has_active_certificate"

    second = services.import_certificate(data=_p12(), password="mat-khau", agency=justice, replace=True)

    first.refresh_from_db()
    assert not first.is_active and first.deactivated_at is not None and second.is_active
    assert Certificate.objects.filter(agency=justice, is_active=True).count() == 1


def test_expired_certificates_and_citizens_cannot_be_imported(justice, people, authority):
    old = certs.make_authority("CA cũ", now=timezone.now() - dt.timedelta(days=4000), years=1)
    expired = certs.issue_certificate(
        old, common_name="Cũ", now=timezone.now() - dt.timedelta(days=800), days=30
    )
    with pytest.raises(ValidationFailed) as caught:
        services.add_certificate(credential=expired, agency=justice)
    assert caught.value.code == "certificate_expired"

    with pytest.raises(ValidationFailed) as caught:
        services.issue_development_certificate(authority=authority, user=people["citizen"])
    assert caught.value.code == "certificate_owner_not_staff"


def test_only_a_ca_certificate_becomes_a_trusted_root(authority, seal):
    leaf = seal.certificate_pem.encode()
    with pytest.raises(ValidationFailed) as caught:
        services.add_trusted_root(data=leaf, actor=None)
    assert caught.value.code == "not_a_ca_certificate"

    other = certs.make_authority("Root CA thử nghiệm", now=timezone.now())
    root = services.add_trusted_root(data=certs.to_pem(other.certificate).encode(), actor=None)
    assert root.name == "Root CA thử nghiệm" and not root.private_key


def test_the_demo_gives_certificates_once(db):
    load_demo()
    certificates = Certificate.objects.filter(is_active=True)
    seals = set(certificates.exclude(agency=None).values_list("agency__code", flat=True))
    officers = set(certificates.exclude(user=None).values_list("user__username", flat=True))

    assert TrustedRoot.objects.get(name=DEMO_CA_NAME).is_active
    assert {"H42.50.01", "H42.10", "H42.11", "H42.30.01"} <= seals
    assert {"motcua.thanhsen", "motcua.tuphap", "motcua.thachha"} <= officers
    count = Certificate.objects.count()

    assert not load_demo().changed
    assert Certificate.objects.count() == count and TrustedRoot.objects.count() == 1


def test_the_command_makes_a_ca_issues_lists_and_imports(province, tmp_path, capsys, monkeypatch):
    call_command("signing", "create-ca", "--name", "CA dòng lệnh")
    call_command("signing", "issue", "--agency", "H42.10")
    call_command("signing", "list")
    out = capsys.readouterr().out
    assert "CA dòng lệnh" in out and "H42.10" in out and "ỦY BAN" not in out

    p12 = tmp_path / "seal.p12"
    p12.write_bytes(_p12("UBND PHƯỜNG THÀNH SEN", password="pw"))
    monkeypatch.setenv("TEST_P12_PASSWORD", "pw")
    call_command(
        "signing", "import", str(p12), "--agency", "H42.50.01", "--password-env", "TEST_P12_PASSWORD"
    )
    assert Certificate.objects.get(agency__code="H42.50.01").common_name == "UBND PHƯỜNG THÀNH SEN"

    signed = tmp_path / "ket-qua.pdf"
    seal = Certificate.objects.get(agency__code="H42.10", is_active=True)
    signed.write_bytes(sign_pdf(document(), credential=services.credential_of(seal), reason="x", location=""))
    capsys.readouterr()
    call_command("signing", "verify", str(signed))
    assert "Mọi chữ ký đều hợp lệ" in capsys.readouterr().out
    with pytest.raises(CommandError):  # the CA of the imported seal is not trusted
        signed.write_bytes(
            sign_pdf(
                document(),
                credential=services.credential_of(Certificate.objects.get(agency__code="H42.50.01")),
                reason="x",
                location="",
            )
        )
        call_command("signing", "verify", str(signed))
