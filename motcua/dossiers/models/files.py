"""Documents of a dossier: the checklist against the procedure, and stored files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models.dossier import Dossier


class DossierDocument(models.Model):
    """One item of the procedure's document list as received (or not) for this dossier."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="documents", verbose_name=_("dossier")
    )
    requirement = models.ForeignKey(
        "catalog.RequiredDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("required document"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.TextField(_("name"))
    form = models.CharField(_("form"), max_length=20, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    provided = models.BooleanField(_("provided"), default=False)

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        ordering = ["dossier", "position"]

    def __str__(self) -> str:
        return self.name


class FileKind(models.TextChoices):
    SCAN = "scan", _("Scan or file of the dossier")
    SUPPLEMENT = "supplement", _("Supplement")
    RESULT = "result", _("Result")
    FORM = "form", _("Issued form")
    # A valid electronic copy from an earlier dossier of the applicant, not asked for again (Decree
    # 45/2020 art. 16–17): its own kind keeps it out of the scans the officer signs and of the results.
    REUSED = "reused", _("Digitised document reused")
    # A payment's e-receipt, sealed by the collecting agency (payments/services/receipt_signing.py).
    RECEIPT = "receipt", _("E-receipt")


def _upload_to(instance: StoredFile, filename: str) -> str:
    # The stored name is the content hash: originals keep their name in a column, never in a path.
    return f"dossiers/{instance.sha256[:2]}/{instance.sha256}"


class StoredFile(models.Model):
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="files", verbose_name=_("dossier")
    )
    document = models.ForeignKey(
        DossierDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="files",
        verbose_name=_("document"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FileKind.choices, default=FileKind.SCAN)
    file = models.FileField(_("file"), upload_to=_upload_to)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The file of an earlier dossier this one reuses: same stored content (no bytes copied), new row.
    reused_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reuses",
        verbose_name=_("reused from"),
    )

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["dossier", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
