"""A province's organisation: administrative units, agencies, service points, counters and staff roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.Model):
    """A level of local government; levels are data because old deployments still have districts."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 = highest (province)."))

    class Meta:
        ordering = ["rank"]
        verbose_name = _("unit level")
        verbose_name_plural = _("unit levels")

    def __str__(self) -> str:
        return self.name


class AdministrativeUnit(models.Model):
    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("National administrative unit code.")
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.ForeignKey(
        UnitLevel, on_delete=models.PROTECT, related_name="units", verbose_name=_("level")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    class Meta:
        ordering = ["level__rank", "name"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Department (Sở)")
    DIVISION = "division", _("Division of an agency (phòng)")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
    VERTICAL = "vertical", _("Vertical agency (police, tax, social insurance, treasury…)")
    SERVICE_CENTRE = "service_centre", _("Public administration service centre")
    OTHER = "other", _("Other")


class Agency(models.Model):
    """A body that receives or decides dossiers, identified by its electronic code (Decision 20/2020)."""

    code = models.CharField(
        _("identifier code"),
        max_length=35,
        unique=True,
        help_text=_("Electronic identifier, dot-separated groups, highest level first, e.g. H29.10."),
    )
    legacy_code = models.CharField(
        _("lowest-level-first code"),
        max_length=35,
        blank=True,
        help_text=_("The Circular 01/2018 layout, e.g. 000.10.00.H29; used by older dossier codes."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    sector = models.SlugField(
        _("sector"),
        max_length=40,
        blank=True,
        help_text=_(
            "What it does, as a short slug (committee, justice, police, tax, social_insurance, land…); "
            "procedures name local agencies by sector, found in the receiving point's unit."
        ),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("administrative unit"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    merged_on = models.DateField(_("merged on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="agency_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(is_active=False), name="merged_agency_inactive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServicePointKind(models.TextChoices):
    PROVINCIAL_CENTRE = "provincial_centre", _("Provincial public administration service centre")
    BRANCH = "branch", _("Branch of the provincial centre")
    COMMUNE_CENTRE = "commune_centre", _("Commune public administration service centre")
    DESK = "desk", _("One-stop desk of an agency")


class ServicePoint(models.Model):
    """A place where citizens file dossiers: the provincial centre, its branches, commune centres, desks."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=30, choices=ServicePointKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
        verbose_name=_("parent"),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="service_points",
        verbose_name=_("administrative unit"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="own_service_points",
        verbose_name=_("receiving agency"),
        help_text=_("Its identifier code starts the codes of dossiers received here."),
    )
    served_agencies = models.ManyToManyField(
        Agency,
        blank=True,
        related_name="service_points",
        verbose_name=_("agencies whose procedures are received here"),
    )
    calendar_code = models.CharField(
        _("office calendar"),
        max_length=40,
        blank=True,
        help_text=_("Empty: the province's default calendar."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="counters", verbose_name=_("service point")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="counters",
        verbose_name=_("seconding agency"),
    )
    fields = models.ManyToManyField(
        "catalog.Field", blank=True, related_name="counters", verbose_name=_("fields served")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["service_point", "number"]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        constraints = [
            models.UniqueConstraint(
                fields=["service_point", "number"], name="counter_number_unique_per_point"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_point.name} – {self.name}"


class Role(models.TextChoices):
    COUNTER_OFFICER = "counter_officer", _("Counter officer")
    SPECIALIST = "specialist", _("Specialist")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
    CENTRE_DIRECTOR = "centre_director", _("Centre director")
    PROVINCE_ADMIN = "province_admin", _("Province administrator")


# Which scope column each role must carry: counter staff and directors work at a service point,
# agency staff in an agency (or one of its divisions), administrators over a province.
ROLE_SCOPE = {
    Role.COUNTER_OFFICER: "service_point",
    Role.CENTRE_DIRECTOR: "service_point",
    Role.SPECIALIST: "agency",
    Role.UNIT_LEADER: "agency",
    Role.AGENCY_LEADER: "agency",
    Role.PROVINCE_ADMIN: "admin_unit",
}


class StaffRole(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    service_point = models.ForeignKey(
        ServicePoint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_roles",
        verbose_name=_("service point"),
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_roles",
        verbose_name=_("agency"),
    )
    admin_unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_roles",
        verbose_name=_("administrative unit"),
    )
    counter = models.ForeignKey(
        Counter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_roles",
        verbose_name=_("counter"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[Role.COUNTER_OFFICER, Role.CENTRE_DIRECTOR],
                        service_point__isnull=False,
                        agency__isnull=True,
                        admin_unit__isnull=True,
                    )
                    | Q(
                        role__in=[Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER],
                        agency__isnull=False,
                        service_point__isnull=True,
                        admin_unit__isnull=True,
                    )
                    | Q(
                        role=Role.PROVINCE_ADMIN,
                        admin_unit__isnull=False,
                        service_point__isnull=True,
                        agency__isnull=True,
                    )
                ),
                name="staff_role_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "service_point"],
                condition=Q(service_point__isnull=False),
                name="staff_role_unique_per_point",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="staff_role_unique_per_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "admin_unit"],
                condition=Q(admin_unit__isnull=False),
                name="staff_role_unique_per_unit",
            ),
        ]

    def __str__(self) -> str:
        scope = self.service_point or self.agency or self.admin_unit
        return f"{self.user} – {self.get_role_display()} – {scope}"
