"""Certificates MotCua signs with, the CA roots it trusts, and every signature it made or checked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class KeyStorage(models.TextChoices):
    SOFTWARE = "software", _("On the server, encrypted")
    PKCS11 = "pkcs11", _("In a PKCS#11 token or HSM")


class Standing(models.TextChoices):
    """What the CA said of a certificate when the certificate watch last asked it."""

    GOOD = "good", _("Not revoked")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", _("Could not check: the CA did not answer")
    NOT_CHECKED = "not_checked", _("Not checked: names no CRL or OCSP, or no trusted root")


class Certificate(models.Model):
    """A signing certificate of an agency (seal) or an officer, and where its private key is.

    `software`: the key is stored here, only encrypted (PKCS#8, see keys.py); it never leaves the server.
    `pkcs11`: the key stays in a token or HSM (tokens.py), found by its token's label and its own label
    and/or id; `private_key` is then empty, and the module's path and the PINs are settings, never rows.
    """

    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("agency (seal)"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("officer"),
    )
    common_name = models.CharField(_("common name"), max_length=255)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=1000)
    issuer = models.CharField(_("issuer"), max_length=1000)
    serial = models.CharField(_("serial number"), max_length=64)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    key_type = models.CharField(_("key type"), max_length=30)
    valid_from = models.DateTimeField(_("valid from"))
    valid_to = models.DateTimeField(_("valid to"))
    certificate_pem = models.TextField(_("certificate (PEM)"))
    chain_pem = models.TextField(_("issuer chain (PEM)"), blank=True)
    private_key = models.BinaryField(_("encrypted private key"), blank=True, default=b"", editable=False)
    key_storage = models.CharField(
        _("private key held"), max_length=10, choices=KeyStorage.choices, default=KeyStorage.SOFTWARE
    )
    token_label = models.CharField(_("token label"), max_length=32, blank=True)
    key_label = models.CharField(_("key label in the token"), max_length=255, blank=True)
    key_id = models.CharField(_("key id in the token (hex)"), max_length=128, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deactivated by"),
    )
    # The certificate watch (services/watch.py): the certificate's own state now, never its signatures'.
    standing = models.CharField(_("revocation status"), max_length=12, choices=Standing.choices, blank=True)
    standing_checked_at = models.DateTimeField(_("revocation checked at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at (by the CA)"), null=True, blank=True)
    # The tightest expiry warning given, in days before `valid_to` (0: expired): each is given once.
    expiry_warned_days = models.PositiveSmallIntegerField(
        _("expiry warning given (days before)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["valid_to"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, user__isnull=True)
                | Q(agency__isnull=True, user__isnull=False),
                name="certificate_has_one_owner",
            ),
            # One seal per agency and one personal certificate per officer sign at a time.
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(is_active=True, agency__isnull=False),
                name="one_active_seal_per_agency",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_active=True, user__isnull=False),
                name="one_active_certificate_per_officer",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gt=models.F("valid_from")), name="certificate_dates"
            ),
            # A key is either here (encrypted) or in a token, found by label and/or id: never both.
            models.CheckConstraint(
                condition=(
                    Q(key_storage=KeyStorage.SOFTWARE, token_label="", key_label="", key_id="")
                    & ~Q(private_key=b"")
                )
                | (
                    Q(key_storage=KeyStorage.PKCS11, private_key=b"")
                    & ~Q(token_label="")
                    & (~Q(key_label="") | ~Q(key_id=""))
                ),
                name="certificate_key_storage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.common_name} ({self.serial[:16]})"


class TrustedRoot(models.Model):
    """The certificate of a CA whose signatures count as trusted, imported by the administrator.

    `private_key` is empty for every real CA; only a development CA made by MotCua itself (the demo's, or
    `manage.py signing create-ca`) keeps its key here, so that it can issue test certificates.
    """

    name = models.CharField(_("name"), max_length=255)
    subject = models.CharField(_("subject"), max_length=1000)
    serial = models.CharField(_("serial number"), max_length=64)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    valid_from = models.DateTimeField(_("valid from"))
    valid_to = models.DateTimeField(_("valid to"))
    certificate_pem = models.TextField(_("certificate (PEM)"))
    private_key = models.BinaryField(
        _("encrypted key of a development CA"), blank=True, default=b"", editable=False
    )
    is_active = models.BooleanField(_("trusted"), default=True)
    note = models.TextField(_("note"), blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("trusted root certificate")
        verbose_name_plural = _("trusted root certificates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SignaturePurpose(models.TextChoices):
    RESULT = "result", _("Result issued by the agency")
    SCAN = "scan", _("Scan certified by the officer")
    FORM = "form", _("Issued form")
    RECEIPT = "receipt", _("E-receipt of fees collected")


class SignatureOrigin(models.TextChoices):
    SIGNED = "signed", _("Signed in MotCua")
    RECEIVED = "received", _("Signed elsewhere, verified on arrival")


class SignatureStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    UNTRUSTED = "untrusted", _("Not trusted")
    EXPIRED = "expired", _("Certificate expired")
    REVOKED = "revoked", _("Certificate revoked")
    MODIFIED = "modified", _("Document changed after signing")
    INVALID = "invalid", _("Invalid")


class FileSignature(models.Model):
    """One signature found in a stored file, as checked when MotCua made or received the file."""

    file = models.ForeignKey(
        "dossiers.StoredFile", on_delete=models.CASCADE, related_name="signatures", verbose_name=_("file")
    )
    position = models.PositiveSmallIntegerField(_("position in the file"))
    field_name = models.CharField(_("signature field"), max_length=255, blank=True)
    # The file a signed copy was made from: what the citizen or agency sent stays as it was.
    source_file = models.ForeignKey(
        "dossiers.StoredFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signed_copies",
        verbose_name=_("signed copy of"),
    )
    origin = models.CharField(_("origin"), max_length=10, choices=SignatureOrigin.choices)
    purpose = models.CharField(_("purpose"), max_length=10, choices=SignaturePurpose.choices)
    certificate = models.ForeignKey(
        Certificate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("certificate"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed in MotCua by"),
    )
    signer_name = models.CharField(_("signer"), max_length=255)
    signer_organisation = models.CharField(_("signer's organisation"), max_length=255, blank=True)
    signer_fingerprint = models.CharField(_("signer's certificate fingerprint"), max_length=64)
    issuer = models.CharField(_("issuer"), max_length=1000, blank=True)
    signed_at = models.DateTimeField(_("signing time"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SignatureStatus.choices)
    intact = models.BooleanField(_("intact"))
    trusted = models.BooleanField(_("trusted"))
    covers_whole_file = models.BooleanField(_("covers the whole file"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    # Until then the signature's timestamp proves its time, unless an archive timestamp seals it first.
    timestamp_valid_to = models.DateTimeField(
        _("timestamp authority's certificate valid until"), null=True, blank=True
    )
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        verbose_name = _("file signature")
        verbose_name_plural = _("file signatures")
        ordering = ["file", "position"]
        constraints = [
            models.UniqueConstraint(fields=["file", "position"], name="file_signature_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} – {self.file_id}"

    @property
    def level(self) -> str:
        """The PAdES level found when the file was checked: B, B-T, B-LT or B-LTA.

        Checks made before levels were recorded kept only whether the signature was long-term.
        """
        details = self.details or {}
        if details.get("level"):
            return str(details["level"])
        if details.get("long_term"):
            return "B-LT"
        return "B-T" if details.get("timestamp_at") else "B"


class ArchiveTimestamp(models.Model):
    """A document timestamp (PAdES B-LTA) found in a stored file, as checked when MotCua stored the file.

    The latest one of a file must be renewed (a new file with one more) before `authority_valid_to`.
    """

    file = models.ForeignKey(
        "dossiers.StoredFile",
        on_delete=models.CASCADE,
        related_name="archive_timestamps",
        verbose_name=_("file"),
    )
    position = models.PositiveSmallIntegerField(_("position in the file"))
    field_name = models.CharField(_("signature field"), max_length=255, blank=True)
    timestamp_at = models.DateTimeField(_("timestamp time"), null=True, blank=True)
    authority = models.CharField(_("timestamp authority"), max_length=255, blank=True)
    authority_valid_to = models.DateTimeField(
        _("timestamp authority's certificate valid until"), null=True, blank=True
    )
    trusted = models.BooleanField(_("trusted"))
    # Set on the timestamp a renewal added: the file it renewed, which stays stored as it was.
    renews = models.ForeignKey(
        "dossiers.StoredFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="archive_renewals",
        verbose_name=_("renews"),
    )
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        verbose_name = _("archive timestamp")
        verbose_name_plural = _("archive timestamps")
        ordering = ["file", "position"]
        constraints = [
            models.UniqueConstraint(fields=["file", "position"], name="archive_timestamp_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.authority} – {self.file_id}"
