from __future__ import annotations

import time as timer
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workdays.announcements import read_announcement_file
from motcua.workdays.calendar import (
    DEFAULT_SESSIONS,
    VIETNAM_TZ,
    CalendarRangeError,
    WorkCalendar,
    office_hours_on,
    split_holidays,
)
from motcua.workdays.deadlines import (
    CutoffRule,
    add_working_time,
    clock_start,
    is_working_day,
    next_working_moment,
    transfer_moment,
    working_time_between,
)
from motcua.workdays.holidays import holidays_for_year

DATA = Path(__file__).resolve().parents[1] / "data" / "announced"


def build_calendar(years: range, **options) -> WorkCalendar:
    holidays = []
    for year in years:
        path = DATA / f"{year}.json"
        announced = read_announcement_file(path).entries if path.exists() else ()
        holidays += holidays_for_year(year, announced)
    days_off, working_days = split_holidays(holidays)
    return WorkCalendar(
        days_off=days_off,
        working_days=working_days,
        first_day=date(years.start, 1, 1),
        last_day=date(years.stop - 1, 12, 31),
        **options,
    )


CAL = build_calendar(range(2024, 2029))
_MORNING = ((time(7, 30), time(11, 30)),)
SATURDAY_CAL = build_calendar(range(2024, 2029), sessions_by_weekday=(*DEFAULT_SESSIONS[:5], _MORNING, ()))


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM_TZ)


def test_made_up_saturday_is_worked_and_the_swapped_friday_is_not():
    assert is_working_day(CAL, date(2025, 4, 26))
    assert not is_working_day(CAL, date(2025, 5, 2))
    assert not is_working_day(CAL, date(2025, 4, 27))
    assert is_working_day(CAL, date(2025, 4, 28))


def test_a_made_up_saturday_keeps_weekday_hours():
    assert office_hours_on(CAL, date(2025, 4, 26)) == DEFAULT_SESSIONS[0]


def test_three_days_from_friday_25_april_2025_count_the_made_up_saturday():
    # Fri 09–17 = 6 h, Sat 26/4 (made-up) 8 h, Mon 28/4 8 h, Tue 29/4 07:00 + 2 h.
    assert add_working_time(CAL, vn(2025, 4, 25, 9), Decimal(3), "d") == vn(2025, 4, 29, 9)


def test_three_days_from_monday_28_april_2025_skip_the_holidays_and_the_weekend():
    # 30/4, 1/5 holidays, 2/5 swapped off, 3–4/5 weekend.
    assert add_working_time(CAL, vn(2025, 4, 28, 9), Decimal(3), "d") == vn(2025, 5, 6, 9)


def test_zero_days_means_the_end_of_the_same_working_day():
    assert add_working_time(CAL, vn(2025, 4, 25, 9), Decimal(0), "d") == vn(2025, 4, 25, 17)
    assert add_working_time(CAL, vn(2025, 4, 27, 10), Decimal(0), "d") == vn(2025, 4, 28, 17)


def test_zero_hours_is_the_next_working_moment():
    assert add_working_time(CAL, vn(2025, 4, 25, 12), Decimal(0), "h") == vn(2025, 4, 25, 13)


def test_a_due_moment_exactly_at_a_session_end_stays_there():
    assert add_working_time(CAL, vn(2025, 4, 25, 7), Decimal(4), "h") == vn(2025, 4, 25, 11)
    assert add_working_time(CAL, vn(2025, 4, 25, 7), Decimal(1), "d") == vn(2025, 4, 25, 17)


def test_hours_skip_the_lunch_break():
    assert add_working_time(CAL, vn(2025, 4, 25, 9), Decimal(4), "h") == vn(2025, 4, 25, 15)


@pytest.mark.parametrize(
    ("amount", "due"),
    [
        ("0.25", vn(2025, 6, 2, 9)),
        ("0.5", vn(2025, 6, 2, 11)),
        ("1.5", vn(2025, 6, 3, 11)),
        ("0.125", vn(2025, 6, 2, 8)),
    ],
)
def test_fractions_of_a_day_are_eight_hour_shares(amount, due):
    assert add_working_time(CAL, vn(2025, 6, 2, 7), Decimal(amount), "d") == due


def test_hours_per_day_of_the_calendar_converts_days():
    seven = build_calendar(range(2025, 2026), hours_per_day=Decimal(7))

    assert add_working_time(seven, vn(2025, 6, 2, 7), Decimal(1), "d") == vn(2025, 6, 2, 16)


def test_a_moment_given_in_utc_gives_the_same_due_moment_in_vietnam_time():
    due = add_working_time(CAL, datetime(2025, 4, 25, 2, tzinfo=UTC), Decimal(3), "d")

    assert due == vn(2025, 4, 29, 9)
    assert due.utcoffset() == timedelta(hours=7)


def test_received_at_15_00_sharp_counts_the_same_day_under_the_15h_rule():
    assert clock_start(CAL, vn(2025, 4, 24, 15), CutoffRule.CUTOFF_15H) == vn(2025, 4, 24, 15)


def test_received_after_15_00_counts_from_the_next_working_day_under_the_15h_rule():
    assert clock_start(CAL, vn(2025, 4, 24, 15, 1), CutoffRule.CUTOFF_15H) == vn(2025, 4, 25, 7)
    # The next working day after Friday 25/4/2025 is the made-up Saturday.
    assert clock_start(CAL, vn(2025, 4, 25, 16), CutoffRule.CUTOFF_15H) == vn(2025, 4, 26, 7)


def test_the_15h_rule_does_not_apply_without_it():
    assert clock_start(CAL, vn(2025, 4, 24, 16), CutoffRule.NONE) == vn(2025, 4, 24, 16)


def test_online_dossier_after_17_00_counts_from_the_next_working_day():
    # Tuesday 29/4/2025 evening: 30/4–4/5 are all days off.
    assert clock_start(CAL, vn(2025, 4, 29, 17, 30), CutoffRule.ONLINE_17H) == vn(2025, 5, 5, 7)


def test_online_dossier_on_a_sunday_counts_from_monday_morning():
    assert clock_start(CAL, vn(2025, 4, 27, 10), CutoffRule.ONLINE_17H) == vn(2025, 4, 28, 7)


def test_online_dossier_before_office_hours_counts_from_the_opening():
    assert clock_start(CAL, vn(2025, 4, 28, 6, 15), CutoffRule.ONLINE_17H) == vn(2025, 4, 28, 7)


def test_online_dossier_during_office_hours_counts_at_once():
    assert clock_start(CAL, vn(2025, 4, 28, 16, 30), CutoffRule.ONLINE_17H) == vn(2025, 4, 28, 16, 30)


def test_online_cutoff_is_a_calendar_setting():
    early = build_calendar(range(2025, 2026), online_cutoff=time(16))

    assert clock_start(early, vn(2025, 4, 28, 16, 30), CutoffRule.ONLINE_17H) == vn(2025, 4, 29, 7)


def test_a_dossier_received_at_lunch_counts_from_the_afternoon_session():
    assert clock_start(CAL, vn(2025, 4, 28, 12), CutoffRule.NONE) == vn(2025, 4, 28, 13)


def test_transfer_after_15_00_happens_the_next_working_day():
    assert transfer_moment(CAL, vn(2025, 4, 28, 15, 30)) == vn(2025, 4, 29, 7)
    assert transfer_moment(CAL, vn(2025, 4, 28, 10)) == vn(2025, 4, 28, 10)


def test_next_working_moment_keeps_a_moment_inside_office_hours():
    assert next_working_moment(CAL, vn(2025, 4, 28, 10, 5)) == vn(2025, 4, 28, 10, 5)
    assert next_working_moment(CAL, vn(2025, 4, 28, 17)) == vn(2025, 4, 29, 7)


def test_working_time_between_counts_office_time_only_and_is_signed():
    a, b = vn(2025, 4, 25, 9), vn(2025, 4, 29, 9)

    assert working_time_between(CAL, a, b) == timedelta(hours=24)
    assert working_time_between(CAL, b, a) == -timedelta(hours=24)
    assert working_time_between(CAL, vn(2025, 4, 27, 8), vn(2025, 4, 27, 20)) == timedelta(0)


def test_a_saturday_morning_office_counts_its_saturday_session():
    assert add_working_time(SATURDAY_CAL, vn(2025, 6, 6, 13), Decimal(8), "h") == vn(2025, 6, 7, 11, 30)


def test_a_saturday_morning_office_stays_closed_on_tet_days_falling_on_saturday():
    # The PM moved the paid Tết days to weekdays, but mùng 1 (10/2/2024) and mùng 4 (1/2/2025) are
    # still Tết; the Saturday before the 2025 break (25/1, 26 tháng Chạp) is an ordinary Saturday.
    assert not is_working_day(SATURDAY_CAL, date(2024, 2, 10))
    assert not is_working_day(SATURDAY_CAL, date(2025, 2, 1))
    assert is_working_day(SATURDAY_CAL, date(2025, 1, 25))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        add_working_time(CAL, datetime(2025, 4, 25, 9), Decimal(1), "d")


@pytest.mark.parametrize(("amount", "unit"), [(Decimal(-1), "d"), (Decimal("NaN"), "h"), (Decimal(1), "w")])
def test_negative_or_unknown_amounts_are_refused(amount, unit):
    with pytest.raises(ValueError):
        add_working_time(CAL, vn(2025, 4, 25, 9), amount, unit)


def test_arithmetic_past_the_calendar_years_fails_loudly():
    short = build_calendar(range(2025, 2026))

    with pytest.raises(CalendarRangeError):
        add_working_time(short, vn(2025, 12, 30, 9), Decimal(5), "d")


def test_adding_ten_days_takes_microseconds_not_milliseconds():
    start = vn(2025, 4, 25, 9)
    began = timer.perf_counter()
    for _ in range(1000):
        add_working_time(CAL, start, Decimal(10), "d")
    assert timer.perf_counter() - began < 0.5  # measured ~10 ms; generous for slow CI machines


# Property-based tests: moments in 2024–2027 at minute resolution, in Vietnam time or UTC.
moments = st.builds(
    lambda day, minute, tz: datetime.combine(day, time(), tzinfo=tz) + timedelta(minutes=minute),
    st.dates(min_value=date(2024, 1, 2), max_value=date(2027, 6, 30)),
    st.integers(0, 24 * 60 - 1),
    st.sampled_from([VIETNAM_TZ, UTC]),
)
quarter_hours = st.integers(1, 40 * 8 * 4).map(lambda q: Decimal(q) / 4)
eighth_days = st.integers(1, 30 * 8).map(lambda e: Decimal(e) / 8)
calendars = st.sampled_from([CAL, SATURDAY_CAL])
PROPERTY = settings(deadline=None, max_examples=150)


def inside_office_hours(cal: WorkCalendar, moment: datetime) -> bool:
    local = moment.astimezone(cal.tz)
    sessions = office_hours_on(cal, local.date())
    return any(start <= local.time() <= end for start, end in sessions) and is_working_day(cal, local.date())


@PROPERTY
@given(calendars, moments, quarter_hours)
def test_measuring_the_time_to_the_due_moment_gives_back_the_amount(cal, start, hours):
    due = add_working_time(cal, start, hours, "h")

    assert working_time_between(cal, start, due) == timedelta(hours=float(hours))


@PROPERTY
@given(calendars, moments, eighth_days)
def test_the_due_moment_is_inside_office_hours_and_never_on_a_day_off(cal, start, days):
    due = add_working_time(cal, start, days, "d")

    assert inside_office_hours(cal, due)
    assert due.astimezone(cal.tz).date() not in cal.days_off


@PROPERTY
@given(calendars, moments, moments, quarter_hours)
def test_a_later_start_never_gives_an_earlier_due_moment(cal, a, b, hours):
    early, late = sorted([a, b])

    assert add_working_time(cal, early, hours, "h") <= add_working_time(cal, late, hours, "h")


@PROPERTY
@given(calendars, moments, quarter_hours, quarter_hours)
def test_a_larger_amount_never_gives_an_earlier_due_moment(cal, start, x, y):
    small, large = sorted([x, y])

    assert add_working_time(cal, start, small, "h") <= add_working_time(cal, start, large, "h")


@PROPERTY
@given(calendars, moments, eighth_days, eighth_days)
def test_adding_a_then_b_equals_adding_a_plus_b(cal, start, a, b):
    assert add_working_time(cal, add_working_time(cal, start, a, "d"), b, "d") == add_working_time(
        cal, start, a + b, "d"
    )


@PROPERTY
@given(calendars, moments, st.sampled_from(list(CutoffRule)))
def test_the_clock_never_starts_before_receipt_nor_outside_office_hours(cal, received, rule):
    begins = clock_start(cal, received, rule)

    assert begins >= received
    assert inside_office_hours(cal, begins)


@PROPERTY
@given(calendars, moments, moments)
def test_working_time_between_is_antisymmetric(cal, a, b):
    assert working_time_between(cal, a, b) == -working_time_between(cal, b, a)
