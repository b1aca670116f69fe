"""Public holidays of Vietnam for any year: statutory rules, compensation days and announced days.

Labour Code 2019 (Law 45/2019/QH14), art. 112(1): New Year 1 day; Lunar New Year (Tết) 5 days; Hùng
Kings' Commemoration (10/3 lunar) 1 day; Victory Day 30 April 1 day; International Labour Day 1 May
1 day; National Day 2 days (2 September plus the day before or after). The Prime Minister fixes the
exact Tết days and the adjacent National Day each year (art. 112(3)); a holiday on a weekly rest day
gives a compensatory day on the next working day (art. 111(3), applied to civil servants by the 2025
Law on Cadres and Civil Servants). The government also announces swaps: an extra day off paid back
by a working Saturday. Those announcements are data (`AnnouncedEntry`); they override the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.utils.translation import gettext

from motcua.workdays.lunar import lunar_new_year, lunar_to_solar

# Weekly rest days of the civil service (Monday=0): Saturday and Sunday (40-hour week, Decision
# 188/1999/QĐ-TTg). Compensation days are reckoned against these, whatever an office's own hours.
WEEKEND: frozenset[int] = frozenset({5, 6})

# Labour Code 2019 (in force 1 January 2021) added the second National Day holiday.
_TWO_DAY_NATIONAL_DAY_FROM = 2021

_ONE_DAY = timedelta(days=1)


class HolidayKind(StrEnum):
    PUBLIC_HOLIDAY = "public_holiday"
    COMPENSATION = "compensation"
    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


@dataclass(frozen=True, slots=True)
class Holiday:
    """A day that departs from the weekly pattern: a day off, or a make-up working day."""

    date: date
    kind: HolidayKind
    name: str

    @property
    def is_day_off(self) -> bool:
        return self.kind != HolidayKind.WORKING_DAY


@dataclass(frozen=True, slots=True)
class AnnouncedEntry:
    """A day announced by the government (or a province): kind is DAY_OFF or WORKING_DAY."""

    date: date
    kind: HolidayKind
    name: str

    def __post_init__(self) -> None:
        if self.kind not in (HolidayKind.DAY_OFF, HolidayKind.WORKING_DAY):
            raise ValueError(f"an announced day is a day off or a working day, not {self.kind}")


@dataclass(frozen=True, slots=True)
class _Rule:
    date: date
    name: str
    group: str
    movable: bool  # the Prime Minister may place this day elsewhere (art. 112(3))


def _national_day_adjacent(year: int, rest: frozenset[int]) -> date:
    """Return the default day next to 2 September; an announcement overrides it.

    Neither the Code nor a standing rule picks between 1 and 3 September; the announcements of
    2021–2026 all chose the working day that joins the holiday to the weekend (2021: 3 Sept,
    2022: 1, 2023: 1, 2024: 3, 2025: 1, 2026: 1). So: prefer a working day next to a rest day,
    then any working day, 1 September first.
    """
    before, after = date(year, 9, 1), date(year, 9, 3)

    def working(d: date) -> bool:
        return d.weekday() not in rest

    def bridges(d: date) -> bool:
        return working(d) and ((d - _ONE_DAY).weekday() in rest or (d + _ONE_DAY).weekday() in rest)

    for test in (bridges, working):
        for candidate in (before, after):
            if test(candidate):
                return candidate
    return before


def _rules(year: int, rest: frozenset[int]) -> list[_Rule]:
    tet = lunar_new_year(year)
    tet_name = gettext("Lunar New Year (Tết)")
    rules = [
        _Rule(date(year, 1, 1), gettext("New Year's Day"), "new_year", False),
        # Default Tết: the last day of the 12th lunar month (New Year's Eve) and days 1–4 of the 1st.
        *(_Rule(tet + timedelta(days=i), tet_name, "tet", True) for i in range(-1, 4)),
        _Rule(lunar_to_solar(10, 3, year), gettext("Hùng Kings' Commemoration Day"), "hung_kings", False),
        _Rule(date(year, 4, 30), gettext("Victory Day (Reunification Day)"), "victory", False),
        _Rule(date(year, 5, 1), gettext("International Labour Day"), "labour", False),
        _Rule(date(year, 9, 2), gettext("National Day"), "national_day", False),
    ]
    if year >= _TWO_DAY_NATIONAL_DAY_FROM:
        rules.append(_Rule(_national_day_adjacent(year, rest), gettext("National Day"), "national_day", True))
    return sorted(rules, key=lambda r: r.date)


def _windows(year: int) -> dict[str, tuple[date, date]]:
    """Return, per movable group, the dates where an announced day off means the PM moved it."""
    tet = lunar_new_year(year)
    return {
        "tet": (tet - timedelta(days=10), tet + timedelta(days=10)),
        "national_day": (date(year, 8, 27), date(year, 9, 7)),
    }


def _compensation(rules: list[_Rule], rest: frozenset[int]) -> list[Holiday]:
    """Give each holiday on a weekly rest day a day off on the next free working day (art. 111(3))."""
    taken = {r.date for r in rules}
    result: list[Holiday] = []
    for rule in rules:
        if rule.date.weekday() not in rest:
            continue
        day = rule.date + _ONE_DAY
        while day.weekday() in rest or day in taken:
            day += _ONE_DAY
        taken.add(day)
        name = gettext("Compensatory day off for %(holiday)s") % {"holiday": rule.name}
        result.append(Holiday(day, HolidayKind.COMPENSATION, name))
    return result


def statutory_holidays(year: int, *, rest_weekdays: frozenset[int] = WEEKEND) -> list[Holiday]:
    """Return the holidays the rules give for a year, compensation days included, no announcements."""
    return holidays_for_year(year, (), rest_weekdays=rest_weekdays)


def holidays_for_year(
    year: int, announced: Iterable[AnnouncedEntry] = (), *, rest_weekdays: frozenset[int] = WEEKEND
) -> list[Holiday]:
    """Return the year's days off and make-up working days, sorted by date.

    Announced days override the rules: an announced working day cancels any day off on that date,
    and an announced day off inside the Tết or National Day window means the Prime Minister fixed
    that holiday's movable days, so the generated weekdays (and all compensation) are dropped.
    """
    entries = [e for e in announced if e.date.year == year]
    announced_off = {e.date for e in entries if e.kind == HolidayKind.DAY_OFF}
    moved = {
        group
        for group, (first, last) in _windows(year).items()
        if any(first <= d <= last for d in announced_off)
    }
    rules = _rules(year, rest_weekdays)
    kept = [r for r in rules if not (r.movable and r.group in moved)]
    # A moved holiday's own days that fall on a weekly rest day (mùng 1 Tết on a Saturday) stay
    # closed for offices open at weekends, but earn no compensation: the PM's schedule placed the rest.
    closed = kept + [r for r in rules if r.movable and r.group in moved and r.date.weekday() in rest_weekdays]
    by_date: dict[date, Holiday] = {}
    for rule in sorted(closed, key=lambda r: r.date):
        by_date.setdefault(rule.date, Holiday(rule.date, HolidayKind.PUBLIC_HOLIDAY, rule.name))
    for holiday in _compensation(kept, rest_weekdays):
        by_date[holiday.date] = holiday
    for entry in entries:
        by_date[entry.date] = Holiday(entry.date, entry.kind, entry.name)
    return sorted(by_date.values(), key=lambda h: h.date)
