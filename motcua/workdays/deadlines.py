"""Deadline arithmetic in office time: when the clock starts, when a time limit falls due.

All functions take and return aware datetimes (any zone in; the calendar's zone out) and compute on
the office's wall clock. Time limits are counted in working days or hours (DOMAIN: "1 day = 8 working
hours" where a province says so: `WorkCalendar.hours_per_day`); 0 days means "the same day".
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from motcua.workdays.calendar import VIETNAM_TZ, WorkCalendar, is_working_day

Unit = Literal["d", "h"]

_ONE_DAY = timedelta(days=1)
_US_PER_HOUR = 3_600_000_000
_DAY_US = 24 * _US_PER_HOUR
# Ten years without a single open day means the calendar data is broken, not that we should loop.
_MAX_DAYS_SCANNED = 3660

__all__ = [
    "CutoffRule",
    "Unit",
    "add_working_time",
    "clock_start",
    "is_working_day",
    "next_working_moment",
    "transfer_moment",
    "working_time_between",
    "years_spanned",
]


class CutoffRule(StrEnum):
    """When a dossier received late in the day starts its clock; a per-procedure setting."""

    # The clock starts at receipt (or the next moment the office is open).
    NONE = "none"
    # Decree 297/2025 art. 3(5), applied under Decree 118/2025: online dossiers received after 17:00
    # or on a day off count from the start of the next working day.
    ONLINE_17H = "online"
    # Procedures such as certification or the birth–residence–health-insurance bundle: received after
    # 15:00 → counted from the next working day.
    CUTOFF_15H = "15h"


def _local(cal: WorkCalendar, moment: datetime) -> tuple[date, int]:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    local = moment.astimezone(cal.tz)
    us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
    return local.date(), us


def _moment(cal: WorkCalendar, day: date, us: int) -> datetime:
    seconds, micro = divmod(us, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=cal.tz)


def _seek(cal: WorkCalendar, day: date, us: int) -> tuple[date, int]:
    """Return the first local (day, microsecond) at or after the given one inside office hours."""
    for _ in range(_MAX_DAYS_SCANNED):
        for start, end in cal.bounds_on(day):
            if us < end:
                return day, max(us, start)
        day += _ONE_DAY
        us = 0
    raise ValueError(f"no office hours within {_MAX_DAYS_SCANNED} days of {day}")


def next_working_moment(cal: WorkCalendar, moment: datetime) -> datetime:
    """Return the moment itself if the office is open then, else when it next opens."""
    return _moment(cal, *_seek(cal, *_local(cal, moment)))


def _start_of_next_working_day(cal: WorkCalendar, day: date) -> datetime:
    return _moment(cal, *_seek(cal, day + _ONE_DAY, 0))


def clock_start(cal: WorkCalendar, received_at: datetime, rule: CutoffRule) -> datetime:
    """Return the moment a time limit starts counting for a dossier received at `received_at`."""
    day, us = _local(cal, received_at)
    cutoff: time | None = {
        CutoffRule.ONLINE_17H: cal.online_cutoff,
        CutoffRule.CUTOFF_15H: cal.transfer_cutoff,
    }.get(rule)
    if cutoff is not None:
        cutoff_us = ((cutoff.hour * 60 + cutoff.minute) * 60 + cutoff.second) * 1_000_000
        # "Received after 17:00 (15:00) or on a day off → from the start of the next working day."
        if us > cutoff_us or not is_working_day(cal, day):
            return _start_of_next_working_day(cal, day)
    return _moment(cal, *_seek(cal, day, us))


def transfer_moment(cal: WorkCalendar, received_at: datetime) -> datetime:
    """Return when a dossier must reach the handling agency (Decree 118/2025: after 15:00 → next day)."""
    return clock_start(cal, received_at, CutoffRule.CUTOFF_15H)


def _amount_us(cal: WorkCalendar, amount: Decimal | int, unit: Unit) -> int:
    value = Decimal(amount)
    if not value.is_finite() or value < 0:
        raise ValueError(f"the amount must be a finite number ≥ 0, not {amount}")
    if unit == "d":
        hours = value * cal.hours_per_day
    elif unit == "h":
        hours = value
    else:
        raise ValueError(f"unit must be 'd' or 'h', not {unit!r}")
    # Round up: the due moment is the first at which *at least* that much office time has passed.
    return math.ceil(hours * _US_PER_HOUR)


def add_working_time(cal: WorkCalendar, start: datetime, amount: Decimal | int, unit: Unit) -> datetime:
    """Return the earliest moment at which `amount` of office time has elapsed since `start`.

    Days are working hours × hours_per_day (0.25 d = 2 h at 8 h a day). The result lies inside office
    hours on a working day; one that lands exactly on a session's end stays there (11:00, 17:00).
    0 days means the same day: the end of office hours of the working day the count starts on.
    """
    need = _amount_us(cal, amount, unit)
    day, us = _seek(cal, *_local(cal, start))
    if need == 0 and unit == "d":
        return _moment(cal, day, cal.bounds_on(day)[-1][1])
    for _ in range(_MAX_DAYS_SCANNED * 100):
        for begin, end in cal.bounds_on(day):
            if us >= end:
                continue
            us = max(us, begin)
            if need <= end - us:
                return _moment(cal, day, us + need)
            need -= end - us
        day += _ONE_DAY
        us = 0
    raise ValueError("the amount is too large for this calendar")


def working_time_between(cal: WorkCalendar, a: datetime, b: datetime) -> timedelta:
    """Return the office time from a to b (negative when b is before a)."""
    if b < a:
        return -working_time_between(cal, b, a)
    first, from_us = _local(cal, a)
    last, to_us = _local(cal, b)
    total = 0
    day = first
    while day <= last:
        low = from_us if day == first else 0
        high = to_us if day == last else _DAY_US
        for begin, end in cal.bounds_on(day):
            overlap = min(end, high) - max(begin, low)
            if overlap > 0:
                total += overlap
        day += _ONE_DAY
    return timedelta(microseconds=total)


def years_spanned(start: datetime, amount: Decimal | int, unit: Unit) -> range:
    """Return the calendar years a deadline from `start` may reach, generously (for calendar_for)."""
    days = Decimal(amount) if unit == "d" else Decimal(amount) / 4  # ≥ 4 office hours a working day
    years = {start.year, start.astimezone(VIETNAM_TZ).year} if start.tzinfo else {start.year}
    # A year holds at least 200 working days even with Saturdays off and every holiday.
    return range(min(years), max(years) + 2 + int(days) // 200)
