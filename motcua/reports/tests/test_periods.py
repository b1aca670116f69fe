from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.errors import ValidationFailed
from motcua.reports import periods


def test_months_quarters_halves_and_years_cover_their_days():
    assert periods.month(2024, 2) == periods.Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert periods.month(2025, 12).last == dt.date(2025, 12, 31)
    assert periods.quarter(2025, 4) == periods.Period(dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert periods.half(2025, 1) == periods.Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert periods.year(2026).end.isoformat() == "2027-01-01T00:00:00+07:00"


def test_a_run_of_days_may_cover_one_whole_year():
    assert periods.days(dt.date(2024, 1, 1), dt.date(2024, 12, 31)).last == dt.date(2024, 12, 31)
    assert periods.days(dt.date(2024, 2, 29), dt.date(2025, 2, 28)).first == dt.date(2024, 2, 29)


def test_a_period_starts_and_ends_at_midnight_in_viet_nam():
    november = periods.month(2025, 11)

    assert november.start.isoformat() == "2025-11-01T00:00:00+07:00"
    assert november.end.isoformat() == "2025-12-01T00:00:00+07:00"
    assert november.previous() == periods.Period(dt.date(2025, 10, 2), dt.date(2025, 10, 31))


@pytest.mark.parametrize(
    ("kind", "number", "first", "last", "code"),
    [
        ("days", 1, dt.date(2025, 5, 2), dt.date(2025, 5, 1), "invalid_period"),
        ("days", 1, dt.date(2025, 1, 1), dt.date(2026, 1, 1), "period_too_long"),
        ("days", 1, dt.date(2024, 2, 29), dt.date(2025, 3, 1), "period_too_long"),
        ("days", 1, None, None, "invalid_period"),
        ("quarter", 5, None, None, "invalid_period"),
        ("week", 1, None, None, "invalid_period"),
    ],
)
def test_invalid_periods_are_refused_with_a_code(kind, number, first, last, code):
    with pytest.raises(ValidationFailed) as refused:
        periods.build(kind, year_number=2025, number=number, first=first, last=last)

    assert refused.value.code == code


@given(st.sampled_from(["month", "quarter", "half", "year"]), st.integers(2000, 2099), st.integers(1, 12))
def test_consecutive_periods_of_a_kind_leave_no_gap(kind, year, number):
    limit = {"month": 12, "quarter": 4, "half": 2, "year": 1}[kind]
    number = (number - 1) % limit + 1
    period = periods.build(kind, year_number=year, number=number)
    next_year = year + 1 if number == limit else year
    following = periods.build(kind, year_number=next_year, number=number % limit + 1)

    assert period.first <= period.last
    assert following.first == period.last + dt.timedelta(days=1)
    assert period.end == following.start
