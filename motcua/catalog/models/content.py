"""What a procedure version lists: required documents, fees and charges, internal process steps."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import (
    ActorKind,
    DocumentForm,
    FeeChannel,
    FeeKind,
    FeeMethod,
    StepRole,
)
from motcua.catalog.models.procedures import ProcedureVersion


class RequiredDocument(models.Model):
    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("procedure version"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.TextField(_("name"))
    form = models.CharField(_("form"), max_length=20, choices=DocumentForm.choices)
    copies = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    required = models.BooleanField(_("required"), default=True)
    condition = models.TextField(_("when needed"), blank=True)
    template = models.TextField(_("blank form"), blank=True)
    template_file = models.FileField(_("blank form file"), upload_to="catalog/forms/%Y/", blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="document_position_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class FeeRule(models.Model):
    """One fee or charge; `per_unit` rules multiply by a quantity (pages, copies) up to a cap."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="fees", verbose_name=_("procedure version")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=FeeKind.choices)
    name = models.CharField(_("name"), max_length=500)
    method = models.CharField(_("method"), max_length=10, choices=FeeMethod.choices, default=FeeMethod.FIXED)
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    cap_vnd = models.BigIntegerField(_("cap (VND)"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=FeeChannel.choices, default=FeeChannel.ANY
    )
    exemption = models.TextField(_("exemption"), blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("fee or charge")
        verbose_name_plural = _("fees and charges")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="fee_position_unique"),
            models.CheckConstraint(condition=Q(amount_vnd__gte=0), name="fee_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(cap_vnd__isnull=True) | Q(cap_vnd__gte=0), name="fee_cap_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(method=FeeMethod.PER_UNIT) | Q(cap_vnd__isnull=True),
                name="fee_cap_only_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    """A step of the internal process: who handles it and its share of the time limit."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="steps", verbose_name=_("procedure version")
    )
    stage = models.PositiveSmallIntegerField(_("stage"))
    branch = models.SlugField(
        _("branch"), max_length=40, blank=True, help_text=_("Empty: the main line. Branches run in parallel.")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.TextField(_("name"))
    actor_kind = models.CharField(_("handled by"), max_length=10, choices=ActorKind.choices)
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedure_steps",
        verbose_name=_("agency"),
    )
    sector = models.SlugField(_("sector"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=StepRole.choices)
    days = models.DecimalField(_("working days"), max_digits=6, decimal_places=2)
    counts_time = models.BooleanField(_("counts towards the time limit"), default=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="step_position_unique"),
            models.CheckConstraint(condition=Q(days__gte=0), name="step_days_gte_0"),
            models.CheckConstraint(condition=Q(stage__gte=1), name="step_stage_gte_1"),
            models.CheckConstraint(
                condition=(
                    Q(actor_kind=ActorKind.FIXED, agency__isnull=False, sector="")
                    | (Q(actor_kind=ActorKind.LOCAL, agency__isnull=True) & ~Q(sector=""))
                    | Q(actor_kind__in=[ActorKind.LEAD, ActorKind.RECEIVING], agency__isnull=True, sector="")
                ),
                name="step_actor_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name
