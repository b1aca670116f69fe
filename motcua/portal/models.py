"""What the citizen portal keeps: one-time codes, linked identities, filing drafts and submissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OneTimeCode(models.Model):
    """A sign-in code sent to a phone or e-mail; only its keyed hash is stored."""

    identifier = models.CharField(_("phone or e-mail"), max_length=254, db_index=True)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    ip_hash = models.CharField(_("requester (hashed IP)"), max_length=32, blank=True, db_index=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="otp_expires_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.created_at:%Y-%m-%d %H:%M}"


class CitizenIdentity(models.Model):
    """A verified way into a citizen account: an OTP phone/e-mail today, a VNeID subject later."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="citizen_identities",
        verbose_name=_("user"),
    )
    provider = models.CharField(_("identity provider"), max_length=20)
    subject = models.CharField(_("subject at the provider"), max_length=254)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("citizen identity")
        verbose_name_plural = _("citizen identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="citizen_identity_unique_subject")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"


class DraftFile(models.Model):
    """A file uploaded during the online filing wizard, kept until the dossier is submitted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    token = models.CharField(_("token"), max_length=32, unique=True)
    procedure_code = models.CharField(_("procedure code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("document position"))
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    file = models.FileField(_("file"), upload_to="portal/drafts/%Y/%m/")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("draft file")
        verbose_name_plural = _("draft files")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["user", "procedure_code"], name="draft_file_owner")]

    def __str__(self) -> str:
        return self.name


class FilingSubmission(models.Model):
    """One submit of the wizard: its nonce is unique, so a second click finds the first dossier."""

    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    dossier_code = models.CharField(_("dossier code"), max_length=60)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("online filing")
        verbose_name_plural = _("online filings")

    def __str__(self) -> str:
        return self.dossier_code
