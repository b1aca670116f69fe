"""Working calendars of offices and the days the government announces off or on."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.workdays.calendar import DEFAULT_SESSIONS, parse_sessions, sessions_to_json


def default_sessions() -> dict[str, list[list[str]]]:
    """Return Monday–Friday 07:00–11:00 and 13:00–17:00 as stored JSON."""
    return sessions_to_json(DEFAULT_SESSIONS)


class OfficeCalendar(models.Model):
    """Office hours and deadline settings of a province or office (DOMAIN: set by each province)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    # The administrative unit's code (org app); a plain value so the calendar does not depend on org.
    unit_code = models.CharField(_("administrative unit code"), max_length=50, blank=True, db_index=True)
    is_default = models.BooleanField(_("default calendar"), default=False)
    sessions = models.JSONField(
        _("office hours"),
        default=default_sessions,
        help_text=_(
            'Sessions per weekday, e.g. {"mon": [["07:00", "11:00"], ["13:00", "17:00"]], "sat": []}.'
        ),
    )
    hours_per_day = models.DecimalField(
        _("working hours per day"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(8),
        help_text=_("Used to turn time limits in days into hours (1 day = 8 working hours)."),
    )
    # Decree 118/2025/NĐ-CP: a dossier received after 15:00 is transferred at the start of the next
    # working day; some procedures also start their clock the next day (per-procedure CutoffRule).
    transfer_cutoff = models.TimeField(_("transfer cut-off time"), default=time(15))
    # Decree 297/2025/NĐ-CP art. 3(5): online dossiers received after 17:00 or on a day off count
    # from the start of the next working day.
    online_cutoff = models.TimeField(_("online filing cut-off time"), default=time(17))
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Ho_Chi_Minh")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("office calendar")
        verbose_name_plural = _("office calendars")
        ordering = ("code",)
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="workdays_one_default_calendar"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_day__gt=0, hours_per_day__lte=24), name="workdays_hours_per_day_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            parse_sessions(self.sessions)
        except ValueError as exc:
            errors["sessions"] = _("Invalid office hours: %(problem)s") % {"problem": exc}
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            errors["timezone"] = _("Unknown time zone: %(tz)s") % {"tz": self.timezone}
        if errors:
            raise ValidationError(errors)


class AnnouncedDay(models.Model):
    """A day announced off or on (a swap, the Prime Minister's Tết days): overrides the rules."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off")
        WORKING_DAY = "working_day", _("working day")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    # Empty for a national announcement; set for a province's or office's own days.
    calendar = models.ForeignKey(
        OfficeCalendar,
        verbose_name=_("calendar"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announced_days",
        help_text=_("Leave empty for a day announced nationally."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("announced day")
        verbose_name_plural = _("announced days")
        ordering = ("date",)
        constraints = [
            # NULLs are distinct in a plain unique index, so national days need their own constraint.
            models.UniqueConstraint(
                fields=["date"], condition=Q(calendar__isnull=True), name="workdays_one_national_day_per_date"
            ),
            models.UniqueConstraint(
                fields=["calendar", "date"],
                condition=Q(calendar__isnull=False),
                name="workdays_one_day_per_calendar_date",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["day_off", "working_day"]), name="workdays_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["date"], name="workdays_announced_date")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
