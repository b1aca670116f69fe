"""Moments and dates read as official documents write them, in Vietnam time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from motcua.dossiers.pdf.dates import dated_line, format_day, format_moment, format_stacked


def test_moment_is_shown_in_vietnam_time() -> None:
    assert format_moment(datetime(2025, 4, 25, 1, 30, tzinfo=UTC)) == "08:30, ngày 25/04/2025"


def test_moment_late_in_the_utc_evening_falls_on_the_next_vietnamese_day() -> None:
    assert format_moment(datetime(2025, 4, 24, 17, 5, tzinfo=UTC)) == "00:05, ngày 25/04/2025"
    assert format_day(datetime(2025, 4, 24, 17, 5, tzinfo=UTC)) == "25/04/2025"


def test_stacked_moment_puts_the_time_over_the_date() -> None:
    assert format_stacked(datetime(2025, 4, 25, 9, 0, tzinfo=UTC)) == "16:00\n25/04/2025"


def test_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="múi giờ"):
        format_moment(datetime(2025, 4, 25, 8, 30))


def test_date_line_pads_days_below_ten_and_the_first_two_months() -> None:
    assert dated_line("Hà Tĩnh", date(2026, 2, 5)) == "Hà Tĩnh, ngày 05 tháng 02 năm 2026"
    assert dated_line("Hà Tĩnh", date(2026, 11, 21)) == "Hà Tĩnh, ngày 21 tháng 11 năm 2026"
    assert dated_line("Hà Tĩnh", date(2026, 3, 9)) == "Hà Tĩnh, ngày 09 tháng 3 năm 2026"


def test_date_line_without_a_place_starts_with_a_capital() -> None:
    assert dated_line("", date(2026, 1, 1)) == "Ngày 01 tháng 01 năm 2026"
