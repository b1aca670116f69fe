"""Reporting periods: a month, a quarter, a half-year, a year or any run of days, in Việt Nam time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed

KINDS = ("month", "quarter", "half", "year", "days")


@dataclass(frozen=True)
class Period:
    """Whole days from `first` to `last`, both included."""

    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        """The first moment of the period (00:00 of its first day, Việt Nam time)."""
        return _midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period."""
        return _midnight(self.last + dt.timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.first:%d/%m/%Y} – {self.last:%d/%m/%Y}"

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        length = self.last - self.first
        last = self.first - dt.timedelta(days=1)
        return Period(last - length, last)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=timezone.get_default_timezone())


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return dt.date(day.year + 1, 3, 1)


def month(year: int, number: int) -> Period:
    first = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return Period(first, following - dt.timedelta(days=1))


def quarter(year: int, number: int) -> Period:
    first_month = 3 * (number - 1) + 1
    return Period(month(year, first_month).first, month(year, first_month + 2).last)


def half(year: int, number: int) -> Period:
    return Period(month(year, 6 * (number - 1) + 1).first, month(year, 6 * number).last)


def year(number: int) -> Period:
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31))


def days(first: dt.date, last: dt.date) -> Period:
    """Any run of days; refused when it is empty or longer than a year."""
    if last < first:
        raise ValidationFailed(
            _("The period ends before it starts."), code="invalid_period", fields={"to": "before_from"}
        )
    # Longer periods would make one page read years of rows; a province reports by year at most.
    if last >= _a_year_after(first):
        raise ValidationFailed(
            _("A report covers at most one year."), code="period_too_long", fields={"to": "too_long"}
        )
    return Period(first, last)


def build(kind: str, *, year_number: int, number: int = 1, first: dt.date | None = None,
          last: dt.date | None = None) -> Period:  # fmt: skip
    """Return the period a report form or API call names (`kind` in KINDS)."""
    limits = {"month": 12, "quarter": 4, "half": 2, "year": 1}
    if kind == "days":
        if first is None or last is None:
            raise ValidationFailed(
                _("Give the first and the last day."), code="invalid_period", fields={"from": "required"}
            )
        return days(first, last)
    if kind not in limits or not 1 <= number <= limits[kind] or not 2000 <= year_number <= 2100:
        raise ValidationFailed(
            _("The period is not valid."), code="invalid_period", fields={"period": kind, "number": number}
        )
    if kind == "month":
        return month(year_number, number)
    if kind == "quarter":
        return quarter(year_number, number)
    if kind == "half":
        return half(year_number, number)
    return year(year_number)
