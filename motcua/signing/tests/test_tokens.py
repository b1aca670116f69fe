"""Seals and personal certificates whose private key stays in a PKCS#11 token (SoftHSM2 here)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pkcs11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pkcs11 import Attribute, KeyType, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters
from pkcs11.util.x509 import decode_x509_certificate

from motcua.core.errors import DomainError, ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import FileKind, StoredFile
from motcua.dossiers.uploads import Upload
from motcua.org.models import Agency
from motcua.signing import certificates as certs
from motcua.signing import selectors, services
from motcua.signing.models import Certificate, FileSignature, KeyStorage, SignatureStatus
from motcua.signing.pdfsign import sign_pdf
from motcua.signing.tokens import TokenKey, TokenUnavailable, pin_variable
from motcua.signing.verify import verify_pdf

from .conftest import document

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
pytestmark = pytest.mark.skipif(
    not SOFTHSM.exists() or shutil.which("softhsm2-util") is None,
    reason="SoftHSM2 is not installed (Debian package softhsm2, which `make test` installs): "
    "signing with keys in a PKCS#11 token is not tested",
)

TOKEN = "So Tu phap-01"
PIN = "246810"
SEAL_LABEL, SEAL_ID = "con-dau", b"\x01"


@pytest.fixture
def hsm(tmp_path, monkeypatch, settings):
    """A throw-away SoftHSM token in tmp_path, its module and PIN set as a province sets them."""
    store = tmp_path / "tokens"
    store.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {store}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    monkeypatch.delenv(pin_variable(TOKEN), raising=False)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "135790"],
        check=True,
        capture_output=True,
    )
    # SoftHSM reads its configuration and its tokens when initialised, once per process otherwise.
    pkcs11.lib(str(SOFTHSM)).reinitialize()
    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_PKCS11_MODULE": str(SOFTHSM), "SIGNING_PKCS11_PIN": PIN}


def _session(**kwargs):
    return pkcs11.lib(str(SOFTHSM)).get_token(token_label=TOKEN).open(rw=True, user_pin=PIN, **kwargs)


def generate_key(label: str, key_id: bytes, *, use_rsa: bool = False) -> CertificatePublicKeyTypes:
    """Make a key pair inside the token; only its public half comes out."""
    with _session() as session:
        if use_rsa:
            public, _private = session.generate_keypair(KeyType.RSA, 2048, store=True, label=label, id=key_id)
            numbers = rsa.RSAPublicNumbers(
                int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                int.from_bytes(public[Attribute.MODULUS], "big"),
            )
            return numbers.public_key()
        curve = {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}
        parameters = session.create_domain_parameters(KeyType.EC, curve, local=True)
        public, _private = parameters.generate_keypair(store=True, label=label, id=key_id)
        loaded = serialization.load_der_public_key(encode_ec_public_key(public))
        assert not isinstance(loaded, rsa.RSAPublicKey | type(None))
        return loaded  # type: ignore[return-value]


def write_certificate(certificate: x509.Certificate, label: str, key_id: bytes = b"") -> None:
    """Put a certificate into the token beside its key, as the CA's or the HSM vendor's tool does."""
    attributes = decode_x509_certificate(certificate.public_bytes(serialization.Encoding.DER))
    attributes.update({Attribute.TOKEN: True, Attribute.LABEL: label, Attribute.ID: key_id})
    with _session() as session:
        session.create_object(attributes)


def delete_private_key(label: str) -> None:
    with _session() as session:
        for key in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: label}):
            key.destroy()


def _ca(authority):
    return services.authority_credential(authority)


@pytest.fixture
def token_seal(hsm, authority, province) -> Certificate:
    """The Thành Sen ward's seal: a key made in the token, certified by the development CA, both in the
    token, registered through the command an administrator runs."""
    agency = Agency.objects.get(code="H42.50.01")
    public = generate_key(SEAL_LABEL, SEAL_ID)
    issued = certs.certify_public_key(
        _ca(authority), public, common_name=agency.name.upper(), organisation=agency.name, now=timezone.now()
    )
    write_certificate(issued, SEAL_LABEL, SEAL_ID)
    write_certificate(_ca(authority).certificate, "ca")
    call_command(
        "signing", "import-token", "--token", TOKEN, "--key-label", SEAL_LABEL, "--agency", agency.code
    )  # fmt: skip
    return Certificate.objects.get(agency=agency, is_active=True)


def _result() -> Upload:
    return Upload(name="giay-khai-sinh.pdf", content=document("GIẤY KHAI SINH"))


def test_a_seal_is_registered_from_the_token_without_its_key(token_seal, authority):
    assert token_seal.key_storage == KeyStorage.PKCS11
    assert (token_seal.token_label, token_seal.key_label, token_seal.key_id) == (TOKEN, SEAL_LABEL, "")
    assert bytes(token_seal.private_key) == b""  # the key never reaches the database
    assert certs.read_pem_chain(token_seal.chain_pem) == [_ca(authority).certificate]  # found in the token
    assert token_seal.key_type == "EC P-256"


def test_a_result_sealed_in_the_token_verifies_as_signed_by_that_certificate(token_seal, ready, people):
    dossier_services.mark_result_ready(
        code=ready.code, actor=people["ct.thanhsen"], results=[_result()], sign=True
    )

    _original, copy = ready.files.filter(kind=FileKind.RESULT).order_by("pk")
    [signature] = copy.signatures.all()
    assert signature.status == SignatureStatus.VALID and signature.certificate == token_seal
    assert signature.signer_fingerprint == token_seal.fingerprint
    with copy.file.open("rb") as stored:
        report = verify_pdf(stored.read(), trust_roots=selectors.trust_roots(), now=timezone.now())
    assert report.status == "valid" and report.signatures[0].fingerprint == token_seal.fingerprint


def test_an_officer_certificate_given_as_a_file_signs_with_an_rsa_key_in_the_token(
    hsm, authority, people, tmp_path
):
    officer = people["motcua.thanhsen"]
    public = generate_key("ca-nhan", b"\xa1\xb2", use_rsa=True)
    issued = certs.certify_public_key(_ca(authority), public, common_name="Nguyễn Văn A", now=timezone.now())
    path = tmp_path / "ca-nhan.pem"
    path.write_bytes(certs.to_pem(issued, _ca(authority).certificate).encode())

    call_command(
        "signing", "import-token", "--token", TOKEN, "--key-id", "a1b2", "--certificate", str(path),
        "--user", officer.username,
    )  # fmt: skip

    certificate = Certificate.objects.get(user=officer, is_active=True)
    assert (certificate.key_id, certificate.key_label, certificate.key_type) == ("a1b2", "", "RSA 2048")
    credential = services.credential_of(certificate)
    signed = sign_pdf(document(), credential=credential, reason="Bản sao", location="")
    report = verify_pdf(signed, trust_roots=selectors.trust_roots(), now=timezone.now())
    assert report.status == "valid" and report.signatures[0].fingerprint == certificate.fingerprint


def _refused_sealing(ready, people) -> DomainError:
    with pytest.raises(DomainError) as caught:
        dossier_services.mark_result_ready(
            code=ready.code, actor=people["ct.thanhsen"], results=[_result()], sign=True
        )
    ready.refresh_from_db()
    assert ready.status == Status.IN_PROGRESS and not ready.files.filter(kind=FileKind.RESULT).exists()
    return caught.value


def test_a_wrong_pin_refuses_sealing_and_stores_nothing(token_seal, ready, people, settings):
    files, signatures = StoredFile.objects.count(), FileSignature.objects.count()
    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_PKCS11_PIN": "000000"}

    refused = _refused_sealing(ready, people)

    assert isinstance(refused, TokenUnavailable) and refused.code == "token_pin_wrong"
    assert "PIN" in refused.message and "000000" not in refused.message
    assert (StoredFile.objects.count(), FileSignature.objects.count()) == (files, signatures)


def test_a_token_pin_set_for_that_token_is_used_before_the_common_one(
    token_seal, ready, people, settings, monkeypatch
):
    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_PKCS11_PIN": "000000"}
    monkeypatch.setenv("MOTCUA_SIGNING_PKCS11_PIN_SO_TU_PHAP_01", PIN)

    dossier_services.mark_result_ready(
        code=ready.code, actor=people["ct.thanhsen"], results=[_result()], sign=True
    )

    assert FileSignature.objects.get(certificate=token_seal).status == SignatureStatus.VALID


def test_a_key_gone_from_the_token_refuses_sealing_and_stores_nothing(token_seal, ready, people):
    delete_private_key(SEAL_LABEL)

    refused = _refused_sealing(ready, people)

    assert refused.code == "token_key_not_found" and TOKEN in refused.message
    assert not FileSignature.objects.exists()


@pytest.mark.parametrize(
    ("setting", "code"),
    [
        ({"SIGNING_PKCS11_MODULE": "/usr/lib/khong-co/libpkcs11.so"}, "token_module_unavailable"),
        ({"SIGNING_PKCS11_MODULE": ""}, "token_module_not_configured"),
        ({"SIGNING_PKCS11_PIN": ""}, "token_pin_not_configured"),
    ],
)
def test_a_token_that_cannot_be_opened_refuses_sealing(token_seal, ready, people, settings, setting, code):
    settings.MOTCUA = {**settings.MOTCUA, **setting}

    assert _refused_sealing(ready, people).code == code


def test_registering_refuses_a_wrong_pin_an_absent_token_and_a_missing_key(hsm, province, settings):
    agency = Agency.objects.get(code="H42.50.01")
    cases = [
        (TokenKey(TOKEN, key_label="khong-co"), "token_key_not_found"),
        (TokenKey("Token khac", key_label=SEAL_LABEL), "token_not_found"),
        (TokenKey(TOKEN, key_label=SEAL_LABEL), "token_pin_wrong"),
    ]
    generate_key(SEAL_LABEL, SEAL_ID)
    settings_pins = [PIN, PIN, "000000"]
    for (token, code), pin in zip(cases, settings_pins, strict=True):
        settings.MOTCUA = {**settings.MOTCUA, "SIGNING_PKCS11_PIN": pin}
        with pytest.raises(DomainError) as caught:
            services.register_token_certificate(token=token, agency=agency)
        assert caught.value.code == code
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("use_rsa", [False, True], ids=["same-type", "rsa-key-ec-certificate"])
def test_a_certificate_of_another_key_is_refused(hsm, authority, province, use_rsa):
    generate_key(SEAL_LABEL, SEAL_ID, use_rsa=use_rsa)
    other = certs.issue_certificate(_ca(authority), common_name="Khóa khác", now=timezone.now())
    write_certificate(other.certificate, SEAL_LABEL, SEAL_ID)

    with pytest.raises(ValidationFailed) as caught:
        services.register_token_certificate(
            token=TokenKey(TOKEN, key_id=SEAL_ID), agency=Agency.objects.get(code="H42.50.01")
        )

    assert caught.value.code == "key_certificate_mismatch" and not Certificate.objects.exists()


def test_a_token_without_the_certificate_asks_for_its_file(hsm, province):
    generate_key(SEAL_LABEL, SEAL_ID)

    with pytest.raises(ValidationFailed) as caught:
        services.register_token_certificate(
            token=TokenKey(TOKEN, key_label=SEAL_LABEL), agency=Agency.objects.get(code="H42.50.01")
        )

    assert caught.value.code == "token_certificate_not_found"


def test_the_database_refuses_a_key_beside_a_token_reference(token_seal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=token_seal.pk).update(private_key=b"\x30\x82")


def test_the_admin_registers_a_seal_held_in_the_token(admin_client, hsm, authority, province, settings):
    agency = Agency.objects.get(code="H42.50.01")
    public = generate_key(SEAL_LABEL, SEAL_ID)
    issued = certs.certify_public_key(_ca(authority), public, common_name="UBND", now=timezone.now())
    url = reverse("admin:signing_certificate_import_token")

    def post():  # the token holds the key alone: the certificate comes as a file
        upload = SimpleUploadedFile("con-dau.pem", certs.to_pem(issued).encode())
        form = {"token_label": TOKEN, "key_id": "01", "agency": agency.pk, "replace": "on"}
        return admin_client.post(url, {**form, "certificate": upload})

    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_PKCS11_PIN": "000000"}
    refused = post()
    assert refused.status_code == 200 and "từ chối mã PIN" in refused.content.decode()
    assert not Certificate.objects.exists()

    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_PKCS11_PIN": PIN}
    assert post().status_code == 302

    seal = Certificate.objects.get(agency=agency)
    assert seal.key_storage == KeyStorage.PKCS11 and seal.key_id == "01" and bytes(seal.private_key) == b""
    assert url in admin_client.get(reverse("admin:signing_certificate_changelist")).content.decode()
