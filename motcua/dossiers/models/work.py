"""What happens to a dossier: steps, events, supplement requests, apologies, and the code sequence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models.dossier import Dossier, Outcome


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("In progress")
    DONE = "done", _("Done")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


class DossierStep(models.Model):
    """One step of the dossier's process, held by an agency, with its own due moment and outcome."""

    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("dossier"),
        db_index=False,  # step_identity_unique leads with it
    )
    template = models.ForeignKey(
        "catalog.ProcessStep",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("process step"),
    )
    stage = models.PositiveSmallIntegerField(_("stage"))
    branch = models.CharField(_("branch"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("position"))
    # A returned step runs again as a new row: the first try's outcome stays in the record.
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    name = models.TextField(_("name"))
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="dossier_steps",
        verbose_name=_("agency"),
        db_index=False,  # step_agency_queue leads with it
    )
    role = models.CharField(_("role"), max_length=20)
    days = models.DecimalField(_("working days"), max_digits=6, decimal_places=2)
    counts_time = models.BooleanField(_("counts towards the time limit"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_steps",
        verbose_name=_("assigned to"),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="completed_steps",
        verbose_name=_("completed by"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")
        ordering = ["dossier", "stage", "branch", "position", "attempt"]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="step_agency_queue"),
            # The deadline watch reads only open steps; finished ones pile up by the million.
            models.Index(fields=["due_at"], condition=Q(status="active"), name="step_active_due"),
        ]
        constraints = [
            # One open step per branch: a branch is a line of work, never two things at once.
            models.UniqueConstraint(
                fields=["dossier", "branch"], condition=Q(status="active"), name="one_active_step_per_branch"
            ),
            models.UniqueConstraint(
                fields=["dossier", "stage", "branch", "position", "attempt"], name="step_identity_unique"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(status="done"), name="step_outcome_only_when_done"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.name}"


class DossierEvent(models.Model):
    """An append-only record of every action: audit trail, timeline and process control sheet."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="events", verbose_name=_("dossier")
    )
    at = models.DateTimeField(_("at"), db_index=True)
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_events",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=255, blank=True)
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    step = models.ForeignKey(
        DossierStep,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("step"),
    )
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # Shown on the public look-up; internal notes are not.
    public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class RequestStage(models.TextChoices):
    INTAKE = "intake", _("Before acceptance")
    PROCESSING = "processing", _("During processing")


class SupplementRequest(models.Model):
    """The one request to complete or supplement a dossier, listing every item and its reason."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="supplement_requests", verbose_name=_("dossier")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=RequestStage.choices)
    step = models.ForeignKey(
        DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("step")
    )
    items = models.JSONField(_("items"), help_text=_("[{document, name, reason}]"))
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    deadline = models.DateTimeField(_("supplement deadline"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # For the "pause" rule: office time left on the clock when it stopped.
    remaining_seconds = models.BigIntegerField(_("remaining working seconds"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        constraints = [
            # Decree 118: an officer may ask for corrections only once per stage.
            models.UniqueConstraint(fields=["dossier", "stage"], name="one_supplement_request_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.requested_at:%d/%m/%Y})"


class Apology(models.Model):
    """The agency at fault apologises and sets a new appointment; allowed once per dossier."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="apology", verbose_name=_("dossier")
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    reason = models.TextField(_("reason"))
    previous_due_at = models.DateTimeField(_("previous appointment"))
    new_due_at = models.DateTimeField(_("new appointment"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    signer_name = models.CharField(_("signed by"), max_length=255, blank=True)
    signer_title = models.CharField(_("title of the signer"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("apology")
        verbose_name_plural = _("apologies")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_at__gt=models.F("previous_due_at")), name="apology_moves_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.new_due_at:%d/%m/%Y}"


class CodeSequence(models.Model):
    """The last sequence number handed out for one agency prefix on one day."""

    prefix = models.CharField(_("prefix"), max_length=60)
    day = models.DateField(_("day"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("code sequence")
        verbose_name_plural = _("code sequences")
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="code_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day}: {self.last}"
