"""Fields, procedures (identity across versions) and procedure versions (what was in force when)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import (
    AgencyRole,
    Change,
    Channel,
    CutoffRule,
    OnlineLevel,
    RefKind,
    Status,
    SupplementRule,
    TimeUnit,
)


class Field(models.Model):
    """A field of administration (lĩnh vực), e.g. civil status, land, residence."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        # By code, not name: collations order "Đ" differently on SQLite and PostgreSQL.
        ordering = ["code"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """A procedure's identity: its national code, stable while its content changes by version."""

    code = models.CharField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("National code d.dddddd, optionally followed by the agency code."),
    )
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced",
        verbose_name=_("replaced by"),
    )
    abolished_on = models.DateField(
        _("abolished on"),
        null=True,
        blank=True,
        help_text=_("First day the procedure is no longer in force."),
    )
    abolition_decision = models.TextField(_("abolition decision"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        constraints = [
            models.CheckConstraint(
                condition=~Q(replaced_by=models.F("id")), name="procedure_not_replaced_by_itself"
            ),
            models.CheckConstraint(
                condition=Q(replaced_by__isnull=True) | Q(abolished_on__isnull=False),
                name="replaced_procedure_is_abolished",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ProcedureVersion(models.Model):
    """The content of a procedure from one date; immutable once published (amendments add versions)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name=_("procedure")
    )
    number = models.PositiveIntegerField(_("version number"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective to"), null=True, blank=True, help_text=_("Last day in force; empty while open-ended.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    change = models.CharField(_("change"), max_length=10, choices=Change.choices, default=Change.NEW)
    decision = models.TextField(_("publishing decision"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    replaces = models.ManyToManyField(
        Procedure, blank=True, related_name="replacing_versions", verbose_name=_("replaces procedures")
    )

    name = models.CharField(_("name"), max_length=1000)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="versions", verbose_name=_("field")
    )
    levels = models.ManyToManyField(
        "org.UnitLevel", related_name="procedure_versions", verbose_name=_("implementing levels")
    )
    lead_kind = models.CharField(_("lead agency kind"), max_length=10, choices=RefKind.choices)
    lead_agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_procedure_versions",
        verbose_name=_("lead agency"),
    )
    lead_sector = models.SlugField(_("lead agency sector"), max_length=40, blank=True)
    implementing_text = models.TextField(_("implementing agency (as published)"), blank=True)

    channel_counter = models.BooleanField(_("received at the counter"), default=True)
    channel_post = models.BooleanField(_("received by post"), default=False)
    channel_online = models.BooleanField(_("received online"), default=False)
    time_limit_amount = models.DecimalField(_("time limit"), max_digits=7, decimal_places=2)
    time_limit_unit = models.CharField(
        _("time limit unit"), max_length=1, choices=TimeUnit.choices, default=TimeUnit.DAYS
    )
    time_limit_text = models.TextField(_("time limit (as published)"), blank=True)
    second_time_limit_amount = models.DecimalField(
        _("second time limit"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    second_time_limit_unit = models.CharField(
        _("second time limit unit"), max_length=1, choices=TimeUnit.choices, blank=True
    )
    cutoff_rule = models.CharField(
        _("cut-off rule"), max_length=12, choices=CutoffRule.choices, default=CutoffRule.NONE
    )
    supplement_rule = models.CharField(
        _("supplement rule"), max_length=10, choices=SupplementRule.choices, default=SupplementRule.RESTART
    )
    online_level = models.CharField(
        _("online level"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    received_at_centre = models.BooleanField(_("received at the centre"), default=True)
    where_if_not = models.TextField(_("where it is done otherwise"), blank=True)
    boundary_free = models.BooleanField(_("boundary-free"), default=False)
    on_the_spot = models.BooleanField(_("handled on the spot"), default=False)
    conditions = models.TextField(_("conditions"), blank=True)
    result = models.TextField(_("result"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    applicant_steps = models.TextField(_("steps for the applicant"), blank=True)

    # Derived by the service that writes the version. No B-tree index on purpose: LIKE '%word%' cannot
    # use one, and PostgreSQL refuses B-tree entries over ~2.7 kB; a scan of 5,000 rows takes a few ms.
    search_name = models.TextField(_("folded name"), blank=True, editable=False)
    search_text = models.TextField(_("folded search text"), blank=True, editable=False)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["procedure", "effective_from", "number"]
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        indexes = [models.Index(fields=["status", "effective_from"], name="version_status_from_idx")]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.UniqueConstraint(fields=["procedure", "effective_from"], name="version_date_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="version_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(time_limit_amount__gte=0), name="version_time_limit_gte_0"),
            models.CheckConstraint(
                condition=(
                    Q(second_time_limit_amount__isnull=True, second_time_limit_unit="")
                    | Q(second_time_limit_amount__gte=0, second_time_limit_unit__in=TimeUnit.values)
                ),
                name="version_second_limit_complete",
            ),
            models.CheckConstraint(
                condition=(
                    Q(lead_kind=RefKind.FIXED, lead_agency__isnull=False, lead_sector="")
                    | (Q(lead_kind=RefKind.LOCAL, lead_agency__isnull=True) & ~Q(lead_sector=""))
                ),
                name="version_lead_agency_complete",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(published_at__isnull=False),
                name="version_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} ({self.effective_from:%d/%m/%Y})"

    @property
    def is_editable(self) -> bool:
        """Only drafts change in place; a dossier may already point at anything published."""
        return self.status == Status.DRAFT

    @property
    def channels(self) -> list[str]:
        flags = {
            Channel.COUNTER: self.channel_counter,
            Channel.POST: self.channel_post,
            Channel.ONLINE: self.channel_online,
        }
        return [str(channel) for channel, offered in flags.items() if offered]

    def time_limit_for(self, channel: str) -> tuple[Decimal, str]:
        """Return the (amount, unit) time limit for a filing channel, per-channel overrides first."""
        # Iterate rather than filter so that a prefetched list is used without a query.
        for override in self.channel_time_limits.all():
            if override.channel == channel:
                return override.amount, override.unit
        return self.time_limit_amount, self.time_limit_unit


class ChannelTimeLimit(models.Model):
    """A time limit that differs for one channel (online filings are often shorter)."""

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="channel_time_limits",
        verbose_name=_("procedure version"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    amount = models.DecimalField(_("time limit"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=1, choices=TimeUnit.choices)

    class Meta:
        ordering = ["version", "channel"]
        verbose_name = _("time limit for a channel")
        verbose_name_plural = _("time limits for channels")
        constraints = [
            models.UniqueConstraint(fields=["version", "channel"], name="channel_limit_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="channel_limit_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.amount} {self.unit}"


class VersionAgency(models.Model):
    """A deciding or implementing agency of a version: fixed, or the local agency of a sector."""

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="agency_refs",
        verbose_name=_("procedure version"),
    )
    role = models.CharField(_("role"), max_length=12, choices=AgencyRole.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=RefKind.choices)
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedure_version_refs",
        verbose_name=_("agency"),
    )
    sector = models.SlugField(_("sector"), max_length=40, blank=True)

    class Meta:
        ordering = ["version", "role", "position"]
        verbose_name = _("deciding or implementing agency")
        verbose_name_plural = _("deciding and implementing agencies")
        constraints = [
            models.UniqueConstraint(fields=["version", "role", "position"], name="version_agency_unique"),
            models.CheckConstraint(
                condition=(
                    Q(kind=RefKind.FIXED, agency__isnull=False, sector="")
                    | (Q(kind=RefKind.LOCAL, agency__isnull=True) & ~Q(sector=""))
                ),
                name="version_agency_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.sector if self.kind == RefKind.LOCAL else str(self.agency)
