"""Certificates and trusted roots: import a .p12 or register a token's key, deactivate, trust a CA;
development CAs for the demo."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from cryptography import x509
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, ValidationFailed
from motcua.core.models import User
from motcua.org.access import scope_for
from motcua.org.models import Agency
from motcua.signing import certificates as certs
from motcua.signing import tokens
from motcua.signing.keys import decrypt_key, encrypt_key
from motcua.signing.models import Certificate, KeyStorage, TrustedRoot


def credential_of(certificate: Certificate) -> tokens.SigningCredential:
    """The key (decrypted in memory only) or where it is in its token, the certificate and its chain."""
    leaf = x509.load_pem_x509_certificate(certificate.certificate_pem.encode())
    chain = tuple(certs.read_pem_chain(certificate.chain_pem))
    if certificate.key_storage == KeyStorage.PKCS11:
        token = tokens.TokenKey(
            token_label=certificate.token_label,
            key_label=certificate.key_label,
            key_id=bytes.fromhex(certificate.key_id),
        )
        return tokens.TokenCredential(token=token, certificate=leaf, chain=chain)
    return certs.Credential(key=decrypt_key(certificate.private_key), certificate=leaf, chain=chain)


def _key_columns(credential: tokens.SigningCredential) -> dict[str, Any]:
    """Where the key is kept: encrypted here, or only named, in its token."""
    if isinstance(credential, tokens.TokenCredential):
        token = credential.token
        return {
            "key_storage": KeyStorage.PKCS11,
            "token_label": token.token_label,
            "key_label": token.key_label,
            "key_id": token.key_id.hex(),
            "private_key": b"",
        }
    return {"key_storage": KeyStorage.SOFTWARE, "private_key": encrypt_key(credential.key)}


def _described(facts: certs.Facts) -> dict[str, Any]:
    """The columns a certificate and a trusted root share."""
    return {
        "subject": facts.subject[:1000],
        "serial": facts.serial,
        "fingerprint": facts.fingerprint,
        "valid_from": facts.valid_from,
        "valid_to": facts.valid_to,
    }


def _owner_checked(agency: Agency | None, user: User | None) -> None:
    if (agency is None) == (user is None):
        raise ValidationFailed(
            _("A certificate belongs either to an agency (its seal) or to an officer."),
            code="certificate_owner_required",
            fields={"owner": "one of agency, user"},
        )
    if user is not None and not scope_for(user).is_staff_member:
        raise ValidationFailed(
            _("Only a staff member with a role may hold a personal signing certificate."),
            code="certificate_owner_not_staff",
            fields={"user": user.get_username()},
        )


@transaction.atomic
def add_certificate(
    *,
    credential: tokens.SigningCredential,
    agency: Agency | None = None,
    user: User | None = None,
    actor: User | None = None,
    replace: bool = False,
    now: dt.datetime | None = None,
) -> Certificate:
    """Keep `credential` (its key encrypted, or where it is in a token) as the active seal of `agency` or
    certificate of `user`.

    An owner signs with one certificate at a time: with `replace` the one in use is deactivated,
    otherwise having one is a conflict.
    """
    now = now or timezone.now()
    _owner_checked(agency, user)
    facts = certs.facts(credential.certificate)
    if facts.valid_to <= now:
        raise ValidationFailed(
            _("The certificate expired on %(date)s.")
            % {"date": timezone.localtime(facts.valid_to).strftime("%d/%m/%Y")},
            code="certificate_expired",
            fields={"valid_to": facts.valid_to.isoformat()},
        )
    if Certificate.objects.filter(fingerprint=facts.fingerprint).exists():
        raise Conflict(_("This certificate has already been imported."), code="certificate_already_imported")
    owned = Certificate.objects.select_for_update().filter(is_active=True)
    owned = owned.filter(agency=agency) if agency is not None else owned.filter(user=user)
    current = list(owned)
    if current and not replace:
        raise Conflict(
            _("The owner already has an active certificate: deactivate it first, or choose to replace it."),
            code="owner_has_active_certificate",
        )
    for old in current:
        _deactivate(old, actor, now)
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                agency=agency,
                user=user,
                common_name=facts.common_name[:255],
                organisation=facts.organisation[:255],
                issuer=facts.issuer[:1000],
                key_type=facts.key_type,
                **_described(facts),
                certificate_pem=certs.to_pem(credential.certificate),
                chain_pem=certs.to_pem(*credential.chain),
                **_key_columns(credential),
                created_by=actor,
            )
    except IntegrityError:  # another import for the same owner or certificate committed meanwhile
        raise Conflict(
            _("Someone else has just imported a certificate for this owner; reload and try again."),
            code="certificate_import_conflict",
        ) from None


def import_certificate(
    *,
    data: bytes,
    password: str,
    agency: Agency | None = None,
    user: User | None = None,
    actor: User | None = None,
    replace: bool = False,
) -> Certificate:
    """Import a PKCS#12 file (.p12/.pfx) with its password as an agency's seal or an officer's certificate."""
    _owner_checked(agency, user)
    credential = certs.read_pkcs12(data, password)
    return add_certificate(credential=credential, agency=agency, user=user, actor=actor, replace=replace)


def register_token_certificate(
    *,
    token: tokens.TokenKey,
    certificate_data: bytes = b"",
    agency: Agency | None = None,
    user: User | None = None,
    actor: User | None = None,
    replace: bool = False,
) -> Certificate:
    """Register the certificate of a key that stays in a PKCS#11 token or HSM for `agency` or `user`.

    The certificate is read from the token (the object with the key's label or id), unless
    `certificate_data` gives it (PEM, optionally followed by its issuers, or DER); the key must prove it
    is the certificate's by signing with the configured PIN. Nothing of the key is stored.
    """
    _owner_checked(agency, user)
    if not token.token_label or not (token.key_label or token.key_id):
        raise ValidationFailed(
            _("Give the token's label and the key's label or id."),
            code="token_key_required",
            fields={"token": "label, and key label or id"},
        )
    given = _certificate_file(certificate_data) if certificate_data else []
    credential = tokens.read_credential(token, certificate=given[0] if given else None, chain=given[1:])
    return add_certificate(credential=credential, agency=agency, user=user, actor=actor, replace=replace)


def _certificate_file(data: bytes) -> list[x509.Certificate]:
    """A certificate file: PEM (the certificate, then its issuers) or DER (the certificate alone)."""
    if data.lstrip().startswith(b"-----BEGIN"):
        with contextlib.suppress(ValueError):
            return x509.load_pem_x509_certificates(data)
    return [certs.read_certificate(data)]


def _deactivate(certificate: Certificate, actor: User | None, now: dt.datetime) -> None:
    certificate.is_active = False
    certificate.deactivated_at = now
    certificate.deactivated_by = actor
    certificate.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])


@transaction.atomic
def deactivate_certificate(
    *, certificate: Certificate, actor: User | None, now: dt.datetime | None = None
) -> Certificate:
    """Stop signing with a certificate (lost token, officer left, renewed); its past signatures stay."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.is_active:
        _deactivate(locked, actor, now or timezone.now())
    return locked


def _root_from(
    certificate: x509.Certificate, *, actor: User | None, note: str, private_key: bytes = b""
) -> TrustedRoot:
    facts = certs.facts(certificate)
    certs.require_authority(certificate)
    if TrustedRoot.objects.filter(fingerprint=facts.fingerprint).exists():
        raise Conflict(_("This root certificate is already in the list."), code="root_already_trusted")
    return TrustedRoot.objects.create(
        name=facts.common_name[:255],
        **_described(facts),
        certificate_pem=certs.to_pem(certificate),
        private_key=private_key,
        note=note,
        added_by=actor,
    )


@transaction.atomic
def add_trusted_root(*, data: bytes, actor: User | None, note: str = "") -> TrustedRoot:
    """Trust signatures under a CA's certificate (PEM or DER), e.g. the government's specialised CA."""
    return _root_from(certs.read_certificate(data), actor=actor, note=note)


@transaction.atomic
def create_development_authority(
    *, name: str, actor: User | None = None, now: dt.datetime | None = None, use_rsa: bool = False
) -> TrustedRoot:
    """Make a CA for development and trust it; it keeps its key to issue test certificates."""
    authority = certs.make_authority(name, now=now or timezone.now(), use_rsa=use_rsa)
    note = _("Development CA made by MotCua: its signatures have no legal value.")
    return _root_from(authority.certificate, actor=actor, note=note, private_key=encrypt_key(authority.key))


def authority_credential(authority: TrustedRoot) -> certs.Credential:
    """The key and certificate of a development CA, to issue certificates (or a TSA's, or a CRL) with."""
    if not authority.private_key:
        raise ValidationFailed(
            _("This root certificate has no key here: only a development CA can issue certificates."),
            code="authority_without_key",
        )
    return certs.Credential(
        key=decrypt_key(authority.private_key),
        certificate=x509.load_pem_x509_certificate(authority.certificate_pem.encode()),
    )


def issue_development_certificate(
    *,
    authority: TrustedRoot,
    agency: Agency | None = None,
    user: User | None = None,
    actor: User | None = None,
    now: dt.datetime | None = None,
    use_rsa: bool = False,
    replace: bool = False,
) -> Certificate:
    """Issue a certificate under a development CA and keep it for `agency` or `user`."""
    issuer = authority_credential(authority)
    now = now or timezone.now()
    _owner_checked(agency, user)
    if agency is not None:
        name, organisation = agency.name.upper(), agency.name
    else:
        name = user.full_name or user.get_username() if user is not None else ""
        organisation = ""
    credential = certs.issue_certificate(
        issuer, common_name=name, organisation=organisation, now=now, use_rsa=use_rsa
    )
    return add_certificate(
        credential=credential, agency=agency, user=user, actor=actor, replace=replace, now=now
    )
