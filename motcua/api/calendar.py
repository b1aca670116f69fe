"""/api/v1/calendar: days off of a year, due moments of time limits, lunar dates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from motcua.api.errors import ErrorOut
from motcua.core.errors import ValidationFailed
from motcua.workdays.announcements import MAX_YEAR, MIN_YEAR
from motcua.workdays.calendar import VIETNAM_TZ
from motcua.workdays.deadlines import CutoffRule, add_working_time, clock_start, years_spanned
from motcua.workdays.holidays import HolidayKind
from motcua.workdays.lunar import solar_to_lunar
from motcua.workdays.selectors import calendar_for, holidays_in_year

router = Router()


class CalendarDayOut(Schema):
    date: date
    weekday: int = Field(description="ISO weekday: 1 = Monday … 7 = Sunday")
    kind: HolidayKind
    is_day_off: bool
    name: str


class CalendarYearOut(Schema):
    year: int
    calendar: str | None
    days: list[CalendarDayOut]


class DueIn(Schema):
    start: datetime = Field(
        description="Receipt moment, ISO 8601; without an offset it is Vietnam time (UTC+7)."
    )
    amount: Decimal = Field(ge=0, le=2000, description="Time limit, e.g. 3, 0.5")
    unit: Literal["d", "h"] = Field("d", description="d = working days, h = working hours")
    rule: CutoffRule = Field(CutoffRule.NONE, description="Cut-off rule of the procedure")
    calendar: str | None = Field(
        None, max_length=50, description="Office calendar code; the default if omitted"
    )


class DueOut(Schema):
    start: datetime
    clock_start: datetime
    due: datetime
    amount: Decimal
    unit: Literal["d", "h"]
    rule: CutoffRule
    calendar: str | None


class LunarIn(Schema):
    date: date


class LunarOut(Schema):
    date: date
    day: int
    month: int
    year: int
    is_leap: bool
    year_name: str
    text: str


@router.get(
    "/due", response={200: DueOut, 404: ErrorOut, 422: ErrorOut}, summary="When a time limit falls due"
)
def due(request: HttpRequest, params: Query[DueIn]) -> DueOut:
    """Return when the clock starts and when the time limit falls due (times in Asia/Ho_Chi_Minh)."""
    start = params.start if params.start.tzinfo else params.start.replace(tzinfo=VIETNAM_TZ)
    cal = calendar_for(calendar_code=params.calendar, years=years_spanned(start, params.amount, params.unit))
    begins = clock_start(cal, start, params.rule)
    due_at = add_working_time(cal, begins, params.amount, params.unit)
    return DueOut(
        start=start.astimezone(VIETNAM_TZ),
        clock_start=begins.astimezone(VIETNAM_TZ),
        due=due_at.astimezone(VIETNAM_TZ),
        amount=params.amount,
        unit=params.unit,
        rule=params.rule,
        calendar=params.calendar,
    )


@router.get("/lunar", response={200: LunarOut, 422: ErrorOut}, summary="Vietnamese lunar date of a day")
def lunar(request: HttpRequest, params: Query[LunarIn]) -> LunarOut:
    """Return the Vietnamese lunar date (UTC+7) of a Gregorian date."""
    if not MIN_YEAR <= params.date.year <= MAX_YEAR:
        raise ValidationFailed(
            _("Only the years %(first)s–%(last)s are supported.") % {"first": MIN_YEAR, "last": MAX_YEAR},
            fields={"date": [f"year {MIN_YEAR}–{MAX_YEAR}"]},
        )
    value = solar_to_lunar(params.date)
    return LunarOut(
        date=params.date,
        day=value.day,
        month=value.month,
        year=value.year,
        is_leap=value.is_leap,
        year_name=value.year_name,
        text=str(value),
    )


@router.get(
    "/{year}", response={200: CalendarYearOut, 404: ErrorOut, 422: ErrorOut}, summary="Days off of a year"
)
def year_calendar(
    request: HttpRequest,
    year: int = Path(..., ge=MIN_YEAR, le=MAX_YEAR),
    calendar: str | None = Query(None, max_length=50),
) -> CalendarYearOut:
    """List the year's days off (holidays, compensation days, announced days) and make-up working days."""
    days = [
        CalendarDayOut(
            date=h.date, weekday=h.date.isoweekday(), kind=h.kind, is_day_off=h.is_day_off, name=str(h.name)
        )
        for h in holidays_in_year(year=year, calendar_code=calendar)
    ]
    return CalendarYearOut(year=year, calendar=calendar, days=days)
