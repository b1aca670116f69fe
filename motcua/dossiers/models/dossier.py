"""The dossier and its applicant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.lifecycle import Status

# The statuses in which a dossier still waits for someone: the work queues read only these.
OPEN = [
    Status.SUBMITTED,
    Status.NEEDS_COMPLETION,
    Status.RECEIVED,
    Status.IN_PROGRESS,
    Status.WAITING_SUPPLEMENT,
    Status.RESULT_READY,
]


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Applicant(models.Model):
    """A person or organisation that files dossiers; found again by ID number at the counter."""

    kind = models.CharField(
        _("kind"), max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    id_number = models.CharField(
        _("ID number"), max_length=20, help_text=_("Personal ID number (12 digits) or organisation tax code.")
    )
    name = models.CharField(_("name"), max_length=255)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applicants",
        verbose_name=_("citizen account"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        constraints = [models.UniqueConstraint(fields=["kind", "id_number"], name="applicant_unique_id")]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_number})"


class Channel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class Delivery(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class Outcome(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=60, unique=True)
    # Printed on the receipt (QR) for the public look-up; never derived from the code.
    lookup_secret = models.CharField(_("look-up secret"), max_length=32)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("procedure"),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("procedure code"),
    )
    receiving_point = models.ForeignKey(
        "org.ServicePoint",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("receiving point"),
        db_index=False,  # dossier_point_queue leads with it
    )
    receiving_agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("receiving agency"),
    )
    lead_agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="led_dossiers",
        verbose_name=_("handling agency"),
        db_index=False,  # dossier_agency_queue leads with it
    )
    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("applicant")
    )
    # What the applicant declared when filing, kept as filed even if the applicant record changes later.
    applicant_snapshot = models.JSONField(_("applicant as filed"), default=dict)
    # The filed name folded (no diacritics, no case, padded with spaces): officers type "nguyen van an"
    # for "Nguyễn Văn An", and `LIKE '% van%'` then matches at word starts only.
    applicant_search = models.CharField(
        _("applicant name for search"), max_length=400, blank=True, default="", db_default="", editable=False
    )
    representative = models.JSONField(_("authorised representative"), default=dict, blank=True)
    form_data = models.JSONField(_("form data"), default=dict, blank=True)
    delivery = models.CharField(_("result delivery"), max_length=10, choices=Delivery.choices)
    delivery_address = models.CharField(_("delivery address"), max_length=500, blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
        verbose_name=_("citizen account"),
    )
    sets = models.PositiveSmallIntegerField(_("number of sets"), default=1)
    fee_due_vnd = models.PositiveIntegerField(_("fees due (VND)"), default=0)
    book_number = models.CharField(_("tracking-book number"), max_length=40, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True, db_index=True)
    postmarked_at = models.DateTimeField(_("postmark"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    # No single-column index on purpose: PostgreSQL would walk it from the oldest date through millions of
    # closed dossiers; queues use the partial indexes on open dossiers below (bench/README.md).
    due_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    # On-time statistics judge against the first promise, even after an apology moved the date.
    original_due_at = models.DateTimeField(_("original appointment"), null=True, blank=True)
    second_due_at = models.DateTimeField(_("second appointment"), null=True, blank=True)
    clock_paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    result_ready_at = models.DateTimeField(_("result ready at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    overdue_marked_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)

    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("received by"),
    )
    # Optimistic lock: every service bumps it, so two officers acting at once cannot both win.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Set by the intake services to their `now` (a postal or backdated intake is created "then").
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["receiving_point", "status", "due_at"], name="dossier_point_queue"),
            models.Index(fields=["lead_agency", "status", "due_at"], name="dossier_agency_queue"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            models.Index(
                fields=["receiving_point", "due_at", "code"],
                condition=Q(status__in=OPEN),
                name="dossier_point_open_due",
            ),
            models.Index(
                fields=["lead_agency", "due_at", "code"],
                condition=Q(status__in=OPEN),
                name="dossier_agency_open_due",
            ),
            # Reports read the dossiers finished in or after a period; open ones have no entry, so an
            # intake writes nothing here (bench/README.md, leaders' reports).
            models.Index(
                fields=["finished_at"], condition=Q(finished_at__isnull=False), name="dossier_finished"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(finished_at__isnull=False), name="dossier_outcome_when_finished"
            ),
            models.CheckConstraint(
                condition=Q(delivery="post", delivery_address__gt="") | ~Q(delivery="post"),
                name="dossier_post_delivery_has_address",
            ),
        ]

    def __str__(self) -> str:
        return self.code
