from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from motcua.workdays.announcements import read_announcement_file
from motcua.workdays.holidays import (
    AnnouncedEntry,
    Holiday,
    HolidayKind,
    holidays_for_year,
    statutory_holidays,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "announced"
OFF, WORK = HolidayKind.DAY_OFF, HolidayKind.WORKING_DAY


def days_off(holidays: list[Holiday]) -> list[date]:
    return [h.date for h in holidays if h.is_day_off]


def shipped(year: int) -> list[Holiday]:
    return holidays_for_year(year, read_announcement_file(DATA / f"{year}.json").entries)


def test_statutory_holidays_of_2024_follow_labour_code_article_112():
    assert [(h.date, h.kind) for h in statutory_holidays(2024)] == [
        (date(2024, 1, 1), HolidayKind.PUBLIC_HOLIDAY),
        # Tết Giáp Thìn: eve (Friday 9/2) and days 1–4; Saturday and Sunday give two compensation days.
        (date(2024, 2, 9), HolidayKind.PUBLIC_HOLIDAY),
        (date(2024, 2, 10), HolidayKind.PUBLIC_HOLIDAY),
        (date(2024, 2, 11), HolidayKind.PUBLIC_HOLIDAY),
        (date(2024, 2, 12), HolidayKind.PUBLIC_HOLIDAY),
        (date(2024, 2, 13), HolidayKind.PUBLIC_HOLIDAY),
        (date(2024, 2, 14), HolidayKind.COMPENSATION),
        (date(2024, 2, 15), HolidayKind.COMPENSATION),
        (date(2024, 4, 18), HolidayKind.PUBLIC_HOLIDAY),
        (date(2024, 4, 30), HolidayKind.PUBLIC_HOLIDAY),
        (date(2024, 5, 1), HolidayKind.PUBLIC_HOLIDAY),
        (date(2024, 9, 2), HolidayKind.PUBLIC_HOLIDAY),
        (date(2024, 9, 3), HolidayKind.PUBLIC_HOLIDAY),
    ]


def test_holidays_on_a_weekend_give_compensation_days_on_the_next_free_working_days():
    # 2023: Hùng Kings Saturday 29/4, Victory Day Sunday 30/4, Labour Day Monday 1/5 → off until 3/5.
    holidays = statutory_holidays(2023)
    compensation = [h.date for h in holidays if h.kind == HolidayKind.COMPENSATION]

    assert date(2023, 5, 2) in compensation and date(2023, 5, 3) in compensation
    assert date(2023, 1, 2) in compensation  # New Year on Sunday 1/1/2023
    assert date(2023, 9, 4) in compensation  # National Day on Saturday 2/9/2023


def test_hung_kings_day_on_a_sunday_gives_monday_off():
    assert Holiday(date(2022, 4, 11), HolidayKind.COMPENSATION, "") in [
        Holiday(h.date, h.kind, "") for h in statutory_holidays(2022)
    ]


@pytest.mark.parametrize(
    ("year", "adjacent"),
    [
        (2021, date(2021, 9, 3)),
        (2022, date(2022, 9, 1)),
        (2023, date(2023, 9, 1)),
        (2024, date(2024, 9, 3)),
        (2025, date(2025, 9, 1)),
        (2026, date(2026, 9, 1)),
    ],
)
def test_the_default_day_next_to_national_day_matches_the_announced_one(year, adjacent):
    national_day = [h.date for h in statutory_holidays(year) if h.date.month == 9 and h.date.day in (1, 2, 3)]

    assert national_day == sorted([adjacent, date(year, 9, 2)])


def test_national_day_was_a_single_day_before_the_2019_labour_code():
    assert [d for d in days_off(statutory_holidays(2020)) if d.month == 9] == [date(2020, 9, 2)]


def test_an_announced_working_day_cancels_a_generated_day_off():
    holidays = holidays_for_year(2024, [AnnouncedEntry(date(2024, 2, 15), WORK, "back to work")])

    assert date(2024, 2, 15) not in days_off(holidays)
    assert Holiday(date(2024, 2, 15), WORK, "back to work") in holidays


def test_announced_tet_days_replace_the_generated_tet_weekdays_and_their_compensation():
    announced = [AnnouncedEntry(date(2025, 1, d), OFF, "Tết") for d in range(27, 32)]

    holidays = [
        h for h in holidays_for_year(2025, announced) if date(2025, 1, 20) <= h.date <= date(2025, 2, 10)
    ]

    assert [(h.date, h.kind) for h in holidays] == [
        *[(date(2025, 1, d), OFF) for d in range(27, 32)],
        # Mùng 4 Tết on Saturday stays a holiday (for offices open on Saturday) without compensation.
        (date(2025, 2, 1), HolidayKind.PUBLIC_HOLIDAY),
    ]


def test_an_announced_swap_day_adds_to_the_rules():
    holidays = holidays_for_year(2025, [AnnouncedEntry(date(2025, 5, 2), OFF, "swap")])

    assert days_off(holidays)[-4:] == [date(2025, 5, 1), date(2025, 5, 2), date(2025, 9, 1), date(2025, 9, 2)]


def test_announced_days_of_another_year_are_ignored():
    holidays = holidays_for_year(2025, [AnnouncedEntry(date(2024, 5, 2), OFF, "other year")])

    assert holidays == statutory_holidays(2025)


def test_an_announced_day_must_be_a_day_off_or_a_working_day():
    with pytest.raises(ValueError, match="day off or a working day"):
        AnnouncedEntry(date(2025, 1, 1), HolidayKind.PUBLIC_HOLIDAY, "x")


def _weekdays_off(holidays: list[Holiday], first: date, last: date) -> list[date]:
    off = set(days_off(holidays))
    return [
        first + timedelta(days=i)
        for i in range((last - first).days + 1)
        if (first + timedelta(days=i)) in off or (first + timedelta(days=i)).weekday() >= 5
    ]


def test_2025_as_announced_has_nine_days_of_tet_and_a_swapped_may_holiday():
    holidays = shipped(2025)
    off = set(days_off(holidays))

    assert all(
        d in off or d.weekday() >= 5 for d in (date(2025, 1, 25) + timedelta(days=i) for i in range(9))
    )
    assert date(2025, 2, 3) not in off
    assert {date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2), date(2025, 9, 1), date(2025, 9, 2)} <= off
    assert Holiday(date(2025, 4, 26), WORK, "Làm bù cho ngày nghỉ thứ Sáu 02/5/2025") in holidays


def test_2026_as_announced_has_nine_days_of_tet_and_five_for_national_day():
    holidays = shipped(2026)
    off = set(days_off(holidays))
    working = {h.date for h in holidays if not h.is_day_off}

    assert _weekdays_off(holidays, date(2026, 2, 14), date(2026, 2, 22)) == [
        date(2026, 2, 14) + timedelta(days=i) for i in range(9)
    ]
    assert date(2026, 2, 23) not in off
    assert {date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2), date(2026, 4, 27)} <= off
    assert date(2026, 9, 3) not in off
    assert working == {date(2026, 1, 10), date(2026, 8, 22)}


def test_2024_as_announced_moves_tet_to_29_chap_and_swaps_29_april():
    off = set(days_off(shipped(2024)))

    assert {date(2024, 2, 8), date(2024, 2, 9), date(2024, 2, 14), date(2024, 4, 29)} <= off
    assert date(2024, 2, 15) not in off
