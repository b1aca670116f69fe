"""The Vietnamese lunisolar calendar (âm lịch), computed astronomically for UTC+7.

Rules of the calendar (the same as the Chinese one, but for Vietnam's meridian, UTC+7 since 1968):
- a month begins on the local day of a new moon;
- month 11 is the month containing the winter solstice (Sun at 270°);
- a year between two months 11 holding 13 months has one leap month: the first month after month 11
  that contains no major solar term (trung khí, Sun at a multiple of 30°); it repeats the number of
  the month before it.
Because days are counted at UTC+7, new moons between 16:00 and 17:00 UTC fall one day earlier than in
China (UTC+8), and Tết moves with them (1968, 1969, 1985, 2007…).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from motcua.workdays.astronomy import date_of_jdn, jdn, lunation_near, new_moon_ut, sun_longitude

TZ_HOURS = 7.0

_STEMS = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_BRANCHES = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")


@dataclass(frozen=True, slots=True)
class LunarDate:
    """A day of the Vietnamese lunar calendar."""

    day: int
    month: int
    year: int
    is_leap: bool = False

    @property
    def year_name(self) -> str:
        """Return the sexagenary (can chi) name of the lunar year, e.g. "Bính Ngọ"."""
        return year_name(self.year)

    def __str__(self) -> str:
        leap = " nhuận" if self.is_leap else ""
        return f"{self.day}/{self.month}{leap}/{self.year} ({self.year_name})"


def year_name(lunar_year: int) -> str:
    """Return the can chi name of a lunar year (1984 and 2044 are Giáp Tý)."""
    return f"{_STEMS[(lunar_year + 6) % 10]} {_BRANCHES[(lunar_year + 8) % 12]}"


@lru_cache(maxsize=8192)
def _month_start(k: int, tz: float) -> int:
    """Return the JDN of the local day (UTC+tz hours) on which lunation k begins."""
    return int(new_moon_ut(k) + 0.5 + tz / 24)


def _term_sector(day_number: int, tz: float) -> int:
    """Return which 30° sector the Sun is in at local midnight starting that day (0–11)."""
    midnight_ut = day_number - 0.5 - tz / 24
    return int(sun_longitude(midnight_ut) // 30)


def _has_major_term(k: int, tz: float) -> bool:
    # A month holds a major term iff the Sun changes 30° sector between its first day and the next
    # month's first day (both taken at local midnight).
    return _term_sector(_month_start(k, tz), tz) != _term_sector(_month_start(k + 1, tz), tz)


def _lunation_containing(day_number: int, tz: float) -> int:
    k = lunation_near(day_number + 0.5 - tz / 24)
    while _month_start(k + 1, tz) <= day_number:
        k += 1
    while _month_start(k, tz) > day_number:
        k -= 1
    return k


@lru_cache(maxsize=1024)
def _month11(gregorian_year: int, tz: float) -> int:
    """Return the lunation that is month 11: the one containing the winter solstice of that year."""
    dec31 = jdn(date(gregorian_year, 12, 31))
    k = _lunation_containing(dec31, tz)
    # If the Sun is already past 270° when this month begins, the solstice fell in the month before.
    if _term_sector(_month_start(k, tz), tz) >= 9:
        k -= 1
    return k


@lru_cache(maxsize=1024)
def _leap_offset(gregorian_year: int, tz: float) -> int | None:
    """Return the leap month's offset after month 11 of that year, or None for a 12-month year."""
    first = _month11(gregorian_year, tz)
    if _month11(gregorian_year + 1, tz) - first != 13:
        return None
    for offset in range(1, 13):
        if not _has_major_term(first + offset, tz):
            return offset
    raise AssertionError("a 13-month year always has a month without a major term")


def solar_to_lunar(d: date, *, tz_hours: float = TZ_HOURS) -> LunarDate:
    """Return the Vietnamese lunar date of a Gregorian date (tz_hours=8 gives the Chinese one)."""
    tz = float(tz_hours)
    day_number = jdn(d)
    k = _lunation_containing(day_number, tz)
    anchor_year = d.year if k >= _month11(d.year, tz) else d.year - 1
    offset = k - _month11(anchor_year, tz)
    leap_offset = _leap_offset(anchor_year, tz)
    is_leap = leap_offset is not None and offset == leap_offset
    if leap_offset is not None and offset >= leap_offset:
        offset -= 1
    month = (offset + 10) % 12 + 1  # offset 0 → 11, 1 → 12, 2 → 1, …
    year = anchor_year if month >= 11 else anchor_year + 1
    return LunarDate(day=day_number - _month_start(k, tz) + 1, month=month, year=year, is_leap=is_leap)


def lunar_to_solar(
    day: int, month: int, year: int, leap: bool = False, *, tz_hours: float = TZ_HOURS
) -> date:
    """Return the Gregorian date of a Vietnamese lunar date; ValueError if it does not exist."""
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"no lunar date {day}/{month}/{year}")
    tz = float(tz_hours)
    anchor_year = year if month >= 11 else year - 1
    offset = (month - 11) % 12
    leap_offset = _leap_offset(anchor_year, tz)
    if leap:
        if leap_offset != offset + 1:
            raise ValueError(f"lunar year {year} has no leap month {month}")
        offset += 1
    elif leap_offset is not None and offset >= leap_offset:
        offset += 1
    k = _month11(anchor_year, tz) + offset
    length = _month_start(k + 1, tz) - _month_start(k, tz)
    if day > length:
        raise ValueError(f"lunar month {month}/{year} has only {length} days")
    return date_of_jdn(_month_start(k, tz) + day - 1)


def lunar_new_year(year: int, *, tz_hours: float = TZ_HOURS) -> date:
    """Return the Gregorian date of Tết (1/1 of that lunar year)."""
    return lunar_to_solar(1, 1, year, tz_hours=tz_hours)


def month_length(month: int, year: int, leap: bool = False) -> int:
    """Return the number of days (29 or 30) of a lunar month."""
    first = jdn(lunar_to_solar(1, month, year, leap))
    k = _lunation_containing(first, TZ_HOURS)
    return _month_start(k + 1, TZ_HOURS) - first
