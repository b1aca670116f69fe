from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workdays.lunar import (
    LunarDate,
    lunar_new_year,
    lunar_to_solar,
    month_length,
    solar_to_lunar,
    year_name,
)

# Tết (1/1 lunar) as celebrated in Vietnam since the North adopted UTC+7 for the calendar in 1968.
VIETNAMESE_TET = {
    1968: (1, 29), 1969: (2, 16), 1970: (2, 6), 1971: (1, 27), 1972: (2, 15), 1973: (2, 3),
    1974: (1, 23), 1975: (2, 11), 1976: (1, 31), 1977: (2, 18), 1978: (2, 7), 1979: (1, 28),
    1980: (2, 16), 1981: (2, 5), 1982: (1, 25), 1983: (2, 13), 1984: (2, 2), 1985: (1, 21),
    1986: (2, 9), 1987: (1, 29), 1988: (2, 17), 1989: (2, 6), 1990: (1, 27), 1991: (2, 15),
    1992: (2, 4), 1993: (1, 23), 1994: (2, 10), 1995: (1, 31), 1996: (2, 19), 1997: (2, 7),
    1998: (1, 28), 1999: (2, 16), 2000: (2, 5), 2001: (1, 24), 2002: (2, 12), 2003: (2, 1),
    2004: (1, 22), 2005: (2, 9), 2006: (1, 29), 2007: (2, 17), 2008: (2, 7), 2009: (1, 26),
    2010: (2, 14), 2011: (2, 3), 2012: (1, 23), 2013: (2, 10), 2014: (1, 31), 2015: (2, 19),
    2016: (2, 8), 2017: (1, 28), 2018: (2, 16), 2019: (2, 5), 2020: (1, 25), 2021: (2, 12),
    2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 6),
    2028: (1, 26), 2029: (2, 13), 2030: (2, 2), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31),
    2034: (2, 19), 2035: (2, 8), 2036: (1, 28), 2037: (2, 15), 2038: (2, 4), 2039: (1, 24),
    2040: (2, 12), 2041: (2, 1), 2042: (1, 22), 2043: (2, 10), 2044: (1, 30), 2045: (2, 17),
    2046: (2, 6), 2047: (1, 26), 2048: (2, 14), 2049: (2, 2), 2050: (1, 23), 2053: (2, 18),
}  # fmt: skip

# Years where Vietnam (UTC+7) and China (UTC+8) celebrate Tết on different days: a new moon between
# 16:00 and 17:00 UTC, or (1985) a winter solstice that moves month 11 and so the whole year.
DIVERGENT_YEARS = {
    1968: (date(1968, 1, 29), date(1968, 1, 30)),
    1969: (date(1969, 2, 16), date(1969, 2, 17)),
    1985: (date(1985, 1, 21), date(1985, 2, 20)),
    2007: (date(2007, 2, 17), date(2007, 2, 18)),
    2030: (date(2030, 2, 2), date(2030, 2, 3)),
    2053: (date(2053, 2, 18), date(2053, 2, 19)),
}

HUNG_KINGS_DAY = [
    date(2018, 4, 25),
    date(2019, 4, 14),
    date(2020, 4, 2),
    date(2021, 4, 21),
    date(2022, 4, 10),
    date(2023, 4, 29),
    date(2024, 4, 18),
    date(2025, 4, 7),
    date(2026, 4, 26),
]


@pytest.mark.parametrize(("year", "month_day"), sorted(VIETNAMESE_TET.items()))
def test_tet_falls_on_the_published_vietnamese_date(year, month_day):
    tet = date(year, *month_day)

    assert lunar_new_year(year) == tet
    assert solar_to_lunar(tet) == LunarDate(1, 1, year)
    assert solar_to_lunar(tet - timedelta(days=1)).month == 12


def test_the_tet_table_covers_more_than_eighty_years():
    assert len(VIETNAMESE_TET) >= 80


@pytest.mark.parametrize(("year", "dates"), sorted(DIVERGENT_YEARS.items()))
def test_vietnamese_tet_differs_from_the_chinese_one_in_known_years(year, dates):
    vietnam, china = dates

    assert lunar_new_year(year) == vietnam
    assert lunar_new_year(year, tz_hours=8) == china


def test_the_same_algorithm_at_utc_plus_8_agrees_with_vietnam_in_every_other_year():
    same = [y for y in VIETNAMESE_TET if y not in DIVERGENT_YEARS]

    assert [y for y in same if lunar_new_year(y, tz_hours=8) != date(y, *VIETNAMESE_TET[y])] == []


@pytest.mark.parametrize("day", HUNG_KINGS_DAY, ids=str)
def test_hung_kings_day_is_the_tenth_of_the_third_lunar_month(day):
    assert lunar_to_solar(10, 3, day.year) == day
    assert solar_to_lunar(day) == LunarDate(10, 3, day.year)


@pytest.mark.parametrize(
    ("first_day", "month", "year"),
    [(date(2020, 5, 23), 4, 2020), (date(2023, 3, 22), 2, 2023), (date(2025, 7, 25), 6, 2025)],
)
def test_leap_months_start_on_their_published_days(first_day, month, year):
    assert solar_to_lunar(first_day) == LunarDate(1, month, year, is_leap=True)
    assert lunar_to_solar(1, month, year, leap=True) == first_day
    assert lunar_to_solar(1, month, year) < first_day


def test_no_year_from_2025_to_2032_has_a_thirtieth_of_the_twelfth_month():
    # Reported by the Vietnam Space Centre: after 30 Tết Quý Mão (9/2/2024) the next is 30/1/2033.
    assert month_length(12, 2023) == 30
    assert [month_length(12, y) for y in range(2024, 2032)] == [29] * 8
    assert lunar_to_solar(30, 12, 2032) == date(2033, 1, 30)


def test_mid_autumn_festival_falls_on_known_days():
    assert lunar_to_solar(15, 8, 2024) == date(2024, 9, 17)
    assert lunar_to_solar(15, 8, 2025) == date(2025, 10, 6)


def test_lunar_date_reads_with_the_can_chi_year_name():
    assert str(solar_to_lunar(date(2026, 2, 17))) == "1/1/2026 (Bính Ngọ)"
    assert str(solar_to_lunar(date(2025, 7, 25))) == "1/6 nhuận/2025 (Ất Tỵ)"


@pytest.mark.parametrize(
    ("year", "name"),
    [(1984, "Giáp Tý"), (2024, "Giáp Thìn"), (2025, "Ất Tỵ"), (2026, "Bính Ngọ"), (1985, "Ất Sửu")],
)
def test_year_names_follow_the_sixty_year_cycle(year, name):
    assert year_name(year) == name


def test_a_thirtieth_day_in_a_short_month_is_refused():
    with pytest.raises(ValueError, match="only 29 days"):
        lunar_to_solar(30, 12, 2025)


def test_a_leap_month_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="no leap month 5"):
        lunar_to_solar(1, 5, 2025, leap=True)


@pytest.mark.parametrize(("day", "month"), [(0, 1), (31, 1), (1, 0), (1, 13)])
def test_impossible_lunar_dates_are_refused(day, month):
    with pytest.raises(ValueError):
        lunar_to_solar(day, month, 2025)


@settings(deadline=None, max_examples=300)
@given(st.dates(min_value=date(1900, 2, 1), max_value=date(2199, 12, 1)))
def test_solar_to_lunar_and_back_gives_the_same_day(d):
    value = solar_to_lunar(d)

    assert lunar_to_solar(value.day, value.month, value.year, value.is_leap) == d


@settings(deadline=None, max_examples=300)
@given(st.integers(1901, 2198), st.integers(1, 12), st.integers(1, 29))
def test_lunar_to_solar_and_back_gives_the_same_lunar_date(year, month, day):
    assert solar_to_lunar(lunar_to_solar(day, month, year)) == LunarDate(day, month, year)


@settings(deadline=None, max_examples=300)
@given(st.dates(min_value=date(1900, 2, 1), max_value=date(2199, 12, 1)))
def test_consecutive_days_advance_the_lunar_day_by_one_or_start_a_month(d):
    today, tomorrow = solar_to_lunar(d), solar_to_lunar(d + timedelta(days=1))

    if tomorrow.day == 1:
        assert today.day in (29, 30)
    else:
        assert (tomorrow.day, tomorrow.month, tomorrow.year, tomorrow.is_leap) == (
            today.day + 1,
            today.month,
            today.year,
            today.is_leap,
        )
