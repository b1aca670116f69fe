"""Reads of the working-day calendar: build a WorkCalendar or a year's holidays from the database."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections, router
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, ValidationFailed
from motcua.workdays.announcements import MAX_YEAR, MIN_YEAR
from motcua.workdays.calendar import DEFAULT_SESSIONS, VIETNAM_TZ, WorkCalendar, parse_sessions
from motcua.workdays.holidays import AnnouncedEntry, Holiday, HolidayKind, holidays_for_year
from motcua.workdays.models import AnnouncedDay, OfficeCalendar

# Built calendars per process, keyed by (calendar code, years). Each entry remembers the fingerprint
# of the calendar tables it was built from; a change anywhere (admin, import, another process) changes
# the fingerprint and the next call rebuilds. One cheap aggregate query per call buys that.
_cache: dict[tuple[str | None, int, int], tuple[tuple[Any, ...], WorkCalendar]] = {}
_cache_lock = threading.Lock()
_CACHE_MAX = 256


# Inside `calendar_checked_once()`: the fingerprint per database alias, read once for the whole block.
_checked: ContextVar[dict[str, tuple[Any, ...]] | None] = ContextVar("calendar_checked", default=None)


@contextmanager
def calendar_checked_once() -> Iterator[None]:
    """Check the calendar tables once for the whole block (one service call that does not edit them)."""
    if _checked.get() is not None:  # an outer block already holds the check
        yield
        return
    token = _checked.set({})
    try:
        yield
    finally:
        _checked.reset(token)


def clear_calendar_cache() -> None:
    """Forget every built calendar (tests; the fingerprint check makes it unnecessary otherwise)."""
    with _cache_lock:
        _cache.clear()


def _fingerprint() -> tuple[Any, ...]:
    """Return row counts and last-change times of both calendar tables, once per checked block."""
    alias = router.db_for_read(AnnouncedDay)
    checked = _checked.get()
    if checked is None:
        return _read_fingerprint(alias)
    if alias not in checked:
        checked[alias] = _read_fingerprint(alias)
    return checked[alias]


def _read_fingerprint(alias: str) -> tuple[Any, ...]:
    """Return row counts and last-change times of both calendar tables, in one query."""
    days, calendars = AnnouncedDay._meta.db_table, OfficeCalendar._meta.db_table
    connection = connections[alias]
    quote = connection.ops.quote_name
    parts = [
        f"(SELECT {f} FROM {quote(t)})" for t in (days, calendars) for f in ("COUNT(*)", "MAX(updated_at)")
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone() or ())


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


def calendar_for(*, calendar_code: str | None = None, years: Iterable[int]) -> WorkCalendar:
    """Return the working calendar of an office over the given years (gaps between them included).

    With no code, the default OfficeCalendar, or built-in Monday–Friday 07:00–11:00, 13:00–17:00 when
    none is marked default. Unknown code → NotFound. Cached per process until the tables change.
    """
    first, last = _year_span(years)
    key = (calendar_code, first, last)
    fingerprint = _fingerprint()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]
    cal = _build(office_calendar(calendar_code), first, last)
    with _cache_lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[key] = (fingerprint, cal)
    return cal


def holidays_in_year(*, year: int, calendar_code: str | None = None) -> list[Holiday]:
    """Return a year's days off and make-up working days for an office (national when no code)."""
    _year_span([year])
    announced = _announced(office_calendar(calendar_code), year, year)
    return holidays_for_year(year, announced.get(year, ()))
