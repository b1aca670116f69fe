"""How moments and dates read on the forms: shown in Vietnam time, in the wording of official documents."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local(moment: datetime) -> datetime:
    """Return `moment` in Vietnam time; a naive datetime is refused, as its zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Thời điểm phải có múi giờ: {moment.isoformat()}")
    return moment.astimezone(VIETNAM)


def day_of(value: date) -> date:
    """Return the calendar day of a date, or of an aware datetime in Vietnam."""
    return local(value).date() if isinstance(value, datetime) else value


def format_moment(moment: datetime) -> str:
    """Format as "08:30, ngày 25/04/2025"."""
    at = local(moment)
    return f"{at:%H:%M}, ngày {at:%d/%m/%Y}"


def format_stacked(moment: datetime) -> str:
    """Format as "08:30" over "25/04/2025", for narrow table cells."""
    at = local(moment)
    return f"{at:%H:%M}\n{at:%d/%m/%Y}"


def format_day(value: date) -> str:
    """Format as "25/04/2025"."""
    return f"{day_of(value):%d/%m/%Y}"


def dated_line(place: str, value: date) -> str:
    """Write the place and date line: "Hà Tĩnh, ngày 05 tháng 02 năm 2026"."""
    d = day_of(value)
    # Decree 30/2020, appendix I: days below 10 and the months 1 and 2 take a leading zero.
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    text = f"ngày {d.day:02d} tháng {month} năm {d.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]
