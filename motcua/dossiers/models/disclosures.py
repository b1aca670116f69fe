"""Who was shown an applicant's personal data or digitised documents at the counter, and when.

A counter officer finds a returning applicant by ID number (her name, address and phone are filled in)
and lists her digitised documents; counter software does the same through the API. Officers are trusted
with this, the applicant standing at the desk, but nothing stops a look-up without her: each one that
shows something is recorded, for the centre's inspector to read (admin, read only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models.dossier import Applicant


class DisclosurePurpose(models.TextChoices):
    LOOKUP = "lookup", _("Returning applicant found by ID number")
    DOCUMENTS = "documents", _("Digitised documents listed")


class ApplicantDisclosure(models.Model):
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("shown to")
    )
    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="disclosures", verbose_name=_("applicant")
    )
    purpose = models.CharField(_("what was shown"), max_length=12, choices=DisclosurePurpose.choices)
    through_api = models.BooleanField(_("through the API"), default=False)
    listed = models.PositiveIntegerField(_("documents listed"), default=0)

    class Meta:
        verbose_name = _("applicant data shown")
        verbose_name_plural = _("applicant data shown")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_purpose_display()}"
