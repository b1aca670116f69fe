"""An office's working calendar as plain data: weekly sessions, days off, make-up working days."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, tzinfo
from decimal import Decimal
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from motcua.workdays.holidays import Holiday

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Session = tuple[time, time]
WeekSessions = tuple[tuple[Session, ...], ...]

_DAY = (time(7), time(11)), (time(13), time(17))
# A common provincial pattern: 07:00–11:00 and 13:00–17:00, Monday to Friday (a 40-hour week).
DEFAULT_SESSIONS: WeekSessions = (_DAY, _DAY, _DAY, _DAY, _DAY, (), ())
_HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class CalendarRangeError(ValueError):
    """Arithmetic reached a day outside the years the calendar was built for."""


def _us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _checked_bounds(day: tuple[Session, ...]) -> tuple[tuple[int, int], ...]:
    bounds = tuple((_us(s), _us(e)) for s, e in day)
    if any(s >= e for s, e in bounds) or any(a[1] > b[0] for a, b in pairwise(bounds)):
        raise ValueError("sessions must be ordered, non-empty and not overlap")
    return bounds


@dataclass(frozen=True)
class WorkCalendar:
    """Office hours and the days that depart from them, over a known span of dates.

    `working_days` are announced make-up days (usually Saturdays); they use `makeup_sessions`,
    which default to Monday's. Dates outside [first_day, last_day] raise CalendarRangeError, so a
    calendar built for too few years fails loudly instead of missing a holiday.
    """

    sessions_by_weekday: WeekSessions = DEFAULT_SESSIONS
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    tz: tzinfo = VIETNAM_TZ
    hours_per_day: Decimal = Decimal(8)
    # Decree 118/2025: a dossier received after 15:00 goes to the handling agency next working day.
    transfer_cutoff: time = time(15)
    # Decree 297/2025 art. 3(5): online dossiers received after 17:00 count from the next working day.
    online_cutoff: time = time(17)
    first_day: date = date.min
    last_day: date = date.max
    makeup_sessions: tuple[Session, ...] | None = None
    _bounds: tuple[tuple[tuple[int, int], ...], ...] = field(init=False, repr=False, compare=False)
    _makeup: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.sessions_by_weekday) != 7:
            raise ValueError("sessions_by_weekday needs 7 entries, Monday first")
        bounds = tuple(_checked_bounds(day) for day in self.sessions_by_weekday)
        if not any(bounds):
            raise ValueError("a calendar needs at least one weekday with office hours")
        if self.days_off & self.working_days:
            raise ValueError("a date cannot be both a day off and a working day")
        if self.hours_per_day <= 0:
            raise ValueError("hours_per_day must be positive")
        makeup = self.makeup_sessions
        if makeup is None:
            makeup = next(day for day in self.sessions_by_weekday if day)
        object.__setattr__(self, "_bounds", bounds)
        object.__setattr__(self, "_makeup", _checked_bounds(makeup))

    def bounds_on(self, d: date) -> tuple[tuple[int, int], ...]:
        """Return the day's sessions as (start, end) microseconds after local midnight."""
        if d < self.first_day or d > self.last_day:
            raise CalendarRangeError(f"{d} is outside the calendar ({self.first_day} – {self.last_day})")
        if d in self.working_days:
            return self._makeup
        if d in self.days_off:
            return ()
        return self._bounds[d.weekday()]


def is_working_day(cal: WorkCalendar, d: date) -> bool:
    """Tell whether the office is open on that date."""
    return bool(cal.bounds_on(d))


def office_hours_on(cal: WorkCalendar, d: date) -> tuple[Session, ...]:
    """Return the sessions of that date (empty on a day off)."""
    if d in cal.working_days:
        return cal.makeup_sessions or next(day for day in cal.sessions_by_weekday if day)
    return cal.sessions_by_weekday[d.weekday()] if is_working_day(cal, d) else ()


def parse_sessions(data: Mapping[str, Any]) -> WeekSessions:
    """Turn {"mon": [["07:00", "11:00"], …], …} into sessions; ValueError names what is wrong."""
    if not isinstance(data, Mapping):
        raise ValueError('expected an object such as {"mon": [["07:00", "11:00"]]}')
    unknown = set(data) - set(WEEKDAY_KEYS)
    if unknown:
        raise ValueError(
            f"unknown weekday key(s): {', '.join(sorted(unknown))}; use {', '.join(WEEKDAY_KEYS)}"
        )
    week: list[tuple[Session, ...]] = []
    for key in WEEKDAY_KEYS:
        raw = data.get(key) or []
        if not isinstance(raw, list):
            raise ValueError(f"{key}: expected a list of [start, end] pairs")
        day: list[Session] = []
        for i, pair in enumerate(raw):
            if not (isinstance(pair, list | tuple) and len(pair) == 2):
                raise ValueError(f"{key}[{i}]: expected [start, end]")
            start, end = (_parse_hh_mm(f"{key}[{i}]", v) for v in pair)
            if start >= end:
                raise ValueError(f"{key}[{i}]: {pair[0]} is not before {pair[1]}")
            if day and day[-1][1] > start:
                raise ValueError(f"{key}[{i}]: overlaps or precedes the session before it")
            day.append((start, end))
        week.append(tuple(day))
    if not any(week):
        raise ValueError("at least one weekday needs office hours")
    return tuple(week)


def _parse_hh_mm(where: str, value: Any) -> time:
    match = _HH_MM.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{where}: {value!r} is not a time HH:MM")
    return time(int(match[1]), int(match[2]))


def sessions_to_json(week: WeekSessions) -> dict[str, list[list[str]]]:
    """Turn sessions back into the JSON stored on OfficeCalendar."""
    return {
        key: [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in day]
        for key, day in zip(WEEKDAY_KEYS, week, strict=True)
    }


def split_holidays(holidays: Iterable[Holiday]) -> tuple[frozenset[date], frozenset[date]]:
    """Return (days_off, working_days) from a list of holidays."""
    items = list(holidays)
    return (
        frozenset(h.date for h in items if h.is_day_off),
        frozenset(h.date for h in items if not h.is_day_off),
    )
