"""Deadlines of dossiers and steps, computed by the working-day calendar of the receiving point."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from motcua.catalog.choices import CutoffRule as CatalogCutoff
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.parts import version_parts
from motcua.dossiers.models import Channel
from motcua.org.models import ServicePoint
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.deadlines import CutoffRule, add_working_time, clock_start, years_spanned
from motcua.workdays.selectors import calendar_for


def calendar_around(
    point: ServicePoint,
    moment: dt.datetime,
    amount: Decimal = Decimal(30),
    *,
    also: dt.datetime | None = None,
) -> WorkCalendar:
    """Return the point's calendar covering `moment` (and `also`) and enough years after for `amount` days."""
    years = set(years_spanned(moment, max(amount, Decimal(30)) * 2, "d"))
    if also is not None:
        years |= set(years_spanned(also, Decimal(60), "d"))
    return calendar_for(calendar_code=point.calendar_code or None, years=range(min(years), max(years) + 1))


def cutoff_rule(version: ProcedureVersion, channel: str) -> CutoffRule:
    """Pick the clock rule: the procedure's 15:00 cut-off, else the online rule for online filings."""
    if version.cutoff_rule == CatalogCutoff.CUTOFF_15H:
        return CutoffRule.CUTOFF_15H
    # Decree 297/2025 art. 3(5): online filings after 17:00 or on a day off count from the next morning.
    if channel == Channel.ONLINE or version.cutoff_rule == CatalogCutoff.ONLINE_17H:
        return CutoffRule.ONLINE_17H if channel == Channel.ONLINE else CutoffRule.NONE
    return CutoffRule.NONE


def dossier_clock(
    *, version: ProcedureVersion, channel: str, point: ServicePoint, received_at: dt.datetime
) -> tuple[dt.datetime, dt.datetime, dt.datetime | None]:
    """Return (clock start, appointment, second appointment) for a complete dossier received now."""
    amount, unit = version_parts(version).time_limit_for(version, channel)
    cal = calendar_around(point, received_at, amount if unit == "d" else Decimal(1))
    start = clock_start(cal, received_at, cutoff_rule(version, channel))
    due = add_working_time(cal, start, amount, unit)  # type: ignore[arg-type]
    second = None
    if version.second_time_limit_amount is not None:
        second = add_working_time(
            cal,
            start,
            version.second_time_limit_amount,
            version.second_time_limit_unit,  # type: ignore[arg-type]
        )
    return start, due, second


def step_due(*, point: ServicePoint, start: dt.datetime, days: Decimal) -> dt.datetime:
    cal = calendar_around(point, start, days)
    return add_working_time(cal, start, days, "d")


def outcome_of(finished_at: dt.datetime, due_at: dt.datetime | None) -> str:
    """Judge a finished dossier or step: early (before the due day), on time, or late (past due)."""
    if due_at is None:
        return "on_time"
    if finished_at > due_at:
        return "late"
    local = timezone.get_default_timezone()
    return "early" if finished_at.astimezone(local).date() < due_at.astimezone(local).date() else "on_time"
