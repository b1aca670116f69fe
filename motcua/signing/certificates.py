"""X.509 certificates and keys: read PKCS#12 and PEM/DER, check a signing credential, make development ones.

Pure functions of bytes and dates, no database. Real Vietnamese CAs issue RSA 2048 keys; EC P-256 is
accepted too, and the demo uses it because it is made in microseconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    CertificatePublicKeyTypes,
    PrivateKeyTypes,
    PublicKeyTypes,
)
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed

SUPPORTED_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
MIN_RSA_BITS = 2048


@dataclass(frozen=True)
class Credential:
    """A private key, its certificate and the certificates of its issuers (without the root, usually)."""

    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


@dataclass(frozen=True)
class Facts:
    """What MotCua shows and stores about a certificate."""

    common_name: str
    organisation: str
    subject: str
    issuer: str
    serial: str
    fingerprint: str
    key_type: str
    valid_from: dt.datetime
    valid_to: dt.datetime


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    found = name.get_attributes_for_oid(oid)
    return str(found[0].value) if found else ""


def fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def key_type(certificate: x509.Certificate) -> str:
    public = certificate.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        return f"RSA {public.key_size}"
    if isinstance(public, ec.EllipticCurvePublicKey):
        return f"EC {SUPPORTED_CURVES.get(public.curve.name, public.curve.name)}"
    return type(public).__name__


def facts(certificate: x509.Certificate) -> Facts:
    subject = certificate.subject
    return Facts(
        common_name=_attribute(subject, NameOID.COMMON_NAME) or subject.rfc4514_string(),
        organisation=_attribute(subject, NameOID.ORGANIZATION_NAME),
        subject=subject.rfc4514_string(),
        issuer=_attribute(certificate.issuer, NameOID.COMMON_NAME) or certificate.issuer.rfc4514_string(),
        serial=format(certificate.serial_number, "x"),
        fingerprint=fingerprint(certificate),
        key_type=key_type(certificate),
        valid_from=certificate.not_valid_before_utc,
        valid_to=certificate.not_valid_after_utc,
    )


def asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    """The same certificate as asn1crypto reads it (pyHanko's type)."""
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def to_pem(*certificates: x509.Certificate) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certificates)


def read_pem_chain(text: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(text.encode()) if text.strip() else []


def read_certificate(data: bytes) -> x509.Certificate:
    """Read one certificate, PEM or DER, or raise a clear error."""
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise ValidationFailed(
            _("The file is not an X.509 certificate (PEM or DER, usually .cer, .crt or .pem)."),
            code="certificate_unreadable",
            fields={"certificate": "unreadable"},
        ) from None


def read_pkcs12(data: bytes, password: str) -> Credential:
    """Open a .p12/.pfx file with its password and check that it can sign documents."""
    try:
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 - parse the structure to tell a wrong file from a wrong password
    except (ValueError, TypeError):
        raise ValidationFailed(
            _("The file is not a PKCS#12 certificate file (.p12 or .pfx)."),
            code="pkcs12_unreadable",
            fields={"file": "unreadable"},
        ) from None
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, password.encode() or None)
    except ValueError:
        raise ValidationFailed(
            _("The password of the certificate file is wrong."),
            code="pkcs12_wrong_password",
            fields={"password": "wrong"},
        ) from None
    if key is None or certificate is None:
        raise ValidationFailed(
            _("The certificate file holds no private key and certificate to sign with."),
            code="pkcs12_without_key",
            fields={"file": "no key"},
        )
    credential = Credential(key=key, certificate=certificate, chain=tuple(others))
    check_signing_credential(credential)
    return credential


def check_signing_credential(credential: Credential) -> None:
    """Refuse a key that does not match its certificate, a weak key, or a certificate not made to sign."""
    if public_key_der(credential.key.public_key()) != public_key_der(credential.certificate.public_key()):
        raise ValidationFailed(
            _("The private key does not belong to the certificate."), code="key_certificate_mismatch"
        )
    check_signing_certificate(credential.certificate)


def public_key_der(key: PublicKeyTypes) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def check_signing_certificate(certificate: x509.Certificate) -> None:
    """Refuse a weak key, or a certificate not made to sign (a CA's, or one without that usage)."""
    public = certificate.public_key()
    weak = (isinstance(public, rsa.RSAPublicKey) and public.key_size < MIN_RSA_BITS) or (
        isinstance(public, ec.EllipticCurvePublicKey) and public.curve.name not in SUPPORTED_CURVES
    )
    if weak or not isinstance(public, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise ValidationFailed(
            _("The key type %(type)s is not accepted: use RSA of at least 2048 bits or EC P-256.")
            % {"type": key_type(certificate)},
            code="key_type_not_accepted",
        )
    if _is_authority(certificate) or not _may_sign(certificate):
        raise ValidationFailed(
            _("This certificate is not made for signing documents (a CA's, or one without that usage)."),
            code="certificate_not_for_signing",
        )


def require_authority(certificate: x509.Certificate) -> None:
    """Refuse a certificate that is not a CA's: only CAs can be trusted roots."""
    if not _is_authority(certificate):
        raise ValidationFailed(
            _("This is not the certificate of a certificate authority (CA)."), code="not_a_ca_certificate"
        )


def _is_authority(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _may_sign(certificate: x509.Certificate) -> bool:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(usage.digital_signature or usage.content_commitment)


def to_pkcs12(credential: Credential, password: str, name: str) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name.encode(),
        credential.key,  # type: ignore[arg-type]
        credential.certificate,
        list(credential.chain) or None,
        serialization.BestAvailableEncryption(password.encode()),
    )


# Development certificates --------------------------------------------------------------------------


def _new_key(use_rsa: bool) -> CertificateIssuerPrivateKeyTypes:
    return rsa.generate_private_key(65537, 2048) if use_rsa else ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str, organisation: str) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(attributes)


def _usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def make_authority(
    common_name: str, *, now: dt.datetime, years: int = 10, use_rsa: bool = False
) -> Credential:
    """Make a self-signed CA for development: its certificates have no legal value."""
    key = _new_key(use_rsa)
    name = _name(common_name, "MotCua")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Credential(key=key, certificate=certificate)


def issue_certificate(
    authority: Credential,
    *,
    common_name: str,
    organisation: str = "",
    now: dt.datetime,
    days: int = 730,
    use_rsa: bool = False,
    crl_url: str = "",
) -> Credential:
    """Issue a signing certificate under a development CA (valid from a day before `now`), with a new key.

    `crl_url`: where the CA publishes its CRL, written into the certificate so that revocation can be
    checked (MOTCUA_SIGNING_REVOCATION); none by default, as the demo's CA publishes nothing.
    """
    key = _new_key(use_rsa)
    certificate = certify_public_key(
        authority,
        key.public_key(),
        common_name=common_name,
        organisation=organisation,
        now=now,
        days=days,
        crl_url=crl_url,
    )
    return Credential(key=key, certificate=certificate, chain=(authority.certificate,))


def certify_public_key(
    authority: Credential,
    public_key: CertificatePublicKeyTypes,
    *,
    common_name: str,
    organisation: str = "",
    now: dt.datetime,
    days: int = 730,
    crl_url: str = "",
) -> x509.Certificate:
    """Issue a signing certificate under a development CA for a key made elsewhere (in a token)."""
    builder = _leaf(
        authority, public_key, _name(common_name, organisation), now=now, days=days
    ).add_extension(_usage(signing=True), critical=True)
    if crl_url:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(_issuer_key(authority), hashes.SHA256())


def _issuer_key(authority: Credential) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    if not isinstance(authority.key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValidationFailed(_("This CA's key cannot issue certificates."), code="authority_key_unusable")
    return authority.key


def _leaf(
    authority: Credential,
    public_key: CertificatePublicKeyTypes,
    name: x509.Name,
    *,
    now: dt.datetime,
    days: int,
) -> x509.CertificateBuilder:
    """What every certificate a development CA issues has: names, dates, not a CA, the issuer's key id."""
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(authority.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(_issuer_key(authority).public_key()),
            critical=False,
        )
    )


def issue_timestamp_certificate(
    authority: Credential, *, common_name: str, now: dt.datetime, days: int = 3650
) -> Credential:
    """Issue the certificate of a development timestamp authority (TSA) under a development CA.

    RFC 3161 §2.3: a TSA's certificate has the timeStamping extended key usage, alone and critical.
    RSA, because pyHanko's own responder (DummyTimeStamper), which the development TSA is, signs only
    with RSA.
    """
    key = _new_key(use_rsa=True)
    certificate = (
        _leaf(authority, key.public_key(), _name(common_name, "MotCua"), now=now, days=days)
        .add_extension(_usage(signing=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(_issuer_key(authority), hashes.SHA256())
    )
    return Credential(key=key, certificate=certificate, chain=(authority.certificate,))


def make_crl(
    authority: Credential,
    *,
    revoked: Sequence[tuple[x509.Certificate, dt.datetime]],
    now: dt.datetime,
    days: int = 7,
    number: int = 1,
) -> bytes:
    """The DER certificate revocation list of a development CA: `revoked` (certificate, when), valid
    from `now` for `days`."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.certificate.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + dt.timedelta(days=days))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(_issuer_key(authority).public_key()),
            critical=False,
        )
    )
    for certificate, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(certificate.serial_number)
            .revocation_date(when)
            .build()
        )
    return builder.sign(_issuer_key(authority), hashes.SHA256()).public_bytes(serialization.Encoding.DER)
