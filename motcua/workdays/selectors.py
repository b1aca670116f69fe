"""Reads of the working-day calendar: build a WorkCalendar or a year's holidays from the database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import router
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.core import refcache
from motcua.core.errors import NotFound, ValidationFailed
from motcua.workdays.announcements import MAX_YEAR, MIN_YEAR
from motcua.workdays.calendar import DEFAULT_SESSIONS, VIETNAM_TZ, WorkCalendar, parse_sessions
from motcua.workdays.holidays import AnnouncedEntry, Holiday, HolidayKind, holidays_for_year
from motcua.workdays.models import AnnouncedDay, OfficeCalendar


def _year_span(years: Iterable[int]) -> tuple[int, int]:
    chosen = list(years)
    if not chosen:
        raise ValidationFailed(_("At least one year is needed."), fields={"years": ["empty"]})
    first, last = min(chosen), max(chosen)
    if first < MIN_YEAR or last > MAX_YEAR:
        raise ValidationFailed(
            _("Years must lie between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            fields={"years": [f"{first}–{last}"]},
        )
    return first, last


def office_calendar(calendar_code: str | None = None) -> OfficeCalendar | None:
    """Return the calendar with that code (NotFound if none), or the default one, or None."""
    if calendar_code is None:
        return OfficeCalendar.objects.filter(is_default=True).first()
    office = OfficeCalendar.objects.filter(code=calendar_code).first()
    if office is None:
        raise NotFound(_("No office calendar has the code %(code)s.") % {"code": calendar_code})
    return office


def _announced(office: OfficeCalendar | None, first: int, last: int) -> dict[int, list[AnnouncedEntry]]:
    """Return announced days by year; the office's own days override national ones on a date."""
    scope = Q(calendar__isnull=True) | Q(calendar=office) if office else Q(calendar__isnull=True)
    rows = AnnouncedDay.objects.filter(scope, date__gte=date(first, 1, 1), date__lte=date(last, 12, 31))
    by_date: dict[date, AnnouncedEntry] = {}
    for row in sorted(rows, key=lambda r: r.calendar_id is not None):
        by_date[row.date] = AnnouncedEntry(row.date, HolidayKind(row.kind), row.name)
    by_year: dict[int, list[AnnouncedEntry]] = {}
    for entry in by_date.values():
        by_year.setdefault(entry.date.year, []).append(entry)
    return by_year


def _build(office: OfficeCalendar | None, first: int, last: int) -> WorkCalendar:
    announced = _announced(office, first, last)
    days_off: set[date] = set()
    working: set[date] = set()
    for year in range(first, last + 1):
        for holiday in holidays_for_year(year, announced.get(year, ())):
            (days_off if holiday.is_day_off else working).add(holiday.date)
    settings: dict[str, Any] = {}
    if office is not None:
        settings = {
            "sessions_by_weekday": parse_sessions(office.sessions),
            "tz": ZoneInfo(office.timezone),
            "hours_per_day": Decimal(office.hours_per_day),
            "transfer_cutoff": office.transfer_cutoff,
            "online_cutoff": office.online_cutoff,
        }
    return WorkCalendar(
        **{"sessions_by_weekday": DEFAULT_SESSIONS, "tz": VIETNAM_TZ, **settings},
        days_off=frozenset(days_off),
        working_days=frozenset(working),
        first_day=date(first, 1, 1),
        last_day=date(last, 12, 31),
    )


def _load_calendar(key: tuple[str | None, int, int]) -> WorkCalendar:
    calendar_code, first, last = key
    return _build(office_calendar(calendar_code), first, last)


# Built calendars, keyed by (calendar code, first year, last year). Both calendar tables are reference
# data (core/refcache.py): their triggers renew the token, so a change anywhere (admin, import, another
# process) is seen by the next call. A WorkCalendar is frozen, so sharing it between threads is safe.
_calendars: refcache.ReferenceCache[tuple[str | None, int, int], WorkCalendar] = refcache.ReferenceCache(
    _load_calendar, size=256
)


def calendar_for(*, calendar_code: str | None = None, years: Iterable[int]) -> WorkCalendar:
    """Return the working calendar of an office over the given years (gaps between them included).

    With no code, the default OfficeCalendar, or built-in Monday–Friday 07:00–11:00, 13:00–17:00 when
    none is marked default. Unknown code → NotFound. Cached per process while the reference token holds.
    """
    first, last = _year_span(years)
    return _calendars.get((calendar_code, first, last), router.db_for_read(AnnouncedDay))


def holidays_in_year(*, year: int, calendar_code: str | None = None) -> list[Holiday]:
    """Return a year's days off and make-up working days for an office (national when no code)."""
    _year_span([year])
    announced = _announced(office_calendar(calendar_code), year, year)
    return holidays_for_year(year, announced.get(year, ()))
