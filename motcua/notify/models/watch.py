"""What the deadline watch has already said: one row per warning, so no warning is ever given twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningKind(models.TextChoices):
    STEP_DUE_SOON = "step_due_soon", _("Step due soon")
    STEP_LATE = "step_late", _("Step late: escalated")
    APOLOGY_DUE = "apology_due", _("Apology due")
    DOSSIER_OVERDUE = "dossier_overdue", _("Dossier marked overdue")
    FEEDBACK_DUE_SOON = "feedback_due_soon", _("Feedback due soon")
    FEEDBACK_LATE = "feedback_late", _("Feedback late")


class DeadlineWarning(models.Model):
    # "<step|dossier|feedback>:<id>:<kind>:<threshold>:<due moment>": a step whose due moment moves (a
    # supplement restarts the clock) may be warned again about its new moment, never twice about one.
    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=WarningKind.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_warnings",
        verbose_name=_("dossier"),
    )
    feedback = models.ForeignKey(
        "feedback.Feedback",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_warnings",
        verbose_name=_("feedback"),
    )
    step = models.ForeignKey(
        "dossiers.DossierStep",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_warnings",
        verbose_name=_("step"),
    )
    threshold = models.CharField(_("threshold"), max_length=10, blank=True)
    due_at = models.DateTimeField(_("due at"))
    created_at = models.DateTimeField(_("warned at"))
    messages = models.PositiveSmallIntegerField(_("messages queued"), default=0)

    class Meta:
        verbose_name = _("deadline warning")
        verbose_name_plural = _("deadline warnings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dossier__isnull=False) | models.Q(feedback__isnull=False),
                name="warning_about_something",
            )
        ]

    def __str__(self) -> str:
        return self.key
