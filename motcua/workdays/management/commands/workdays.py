"""`manage.py workdays due|import|lunar|holidays`: deadlines, announced days and the lunar calendar."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.workdays.announcements import MAX_YEAR, MIN_YEAR, AnnouncementError
from motcua.workdays.calendar import VIETNAM_TZ, CalendarRangeError
from motcua.workdays.deadlines import CutoffRule, Unit, add_working_time, clock_start, years_spanned
from motcua.workdays.holidays import HolidayKind
from motcua.workdays.lunar import solar_to_lunar
from motcua.workdays.selectors import calendar_for, holidays_in_year
from motcua.workdays.services import import_announcement_file

_AMOUNT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([dh])\s*$", re.IGNORECASE)
_MAX_DAYS = Decimal(2000)


def parse_amount(text: str) -> tuple[Decimal, Unit]:
    """Read "3d", "0.5d", "4h" (comma decimals allowed); CommandError otherwise."""
    match = _AMOUNT.match(text)
    if not match:
        raise CommandError(
            _(
                'Cannot read the time limit "%(value)s": write a number followed by d (days) '
                "or h (hours), e.g. 3d, 0.5d, 4h."
            )
            % {"value": text}
        )
    amount = Decimal(match[1].replace(",", "."))
    unit: Unit = "d" if match[2].lower() == "d" else "h"
    if (amount if unit == "d" else amount / 8) > _MAX_DAYS:
        raise CommandError(_("The time limit is too long (at most %(max)s days).") % {"max": _MAX_DAYS})
    return amount, unit


def parse_moment(text: str) -> datetime:
    """Read an ISO date-time; a time without an offset is taken as Vietnam time (UTC+7)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(
            _('Cannot read the moment "%(value)s": write it as YYYY-MM-DDTHH:MM, e.g. 2025-04-25T09:00.')
            % {"value": text}
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM_TZ)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(
            _('Cannot read the date "%(value)s": write it as YYYY-MM-DD, e.g. 2026-02-17.') % {"value": text}
        ) from exc


class Command(BaseCommand):
    help = "Working-day calendar: due moments, announced days, holidays, lunar dates."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{due,import,lunar,holidays}")
        due = actions.add_parser("due", help="Print when a time limit falls due.")
        due.add_argument(
            "start", help="Receipt moment, e.g. 2025-04-25T09:00 (Vietnam time unless an offset is given)."
        )
        due.add_argument("amount", help="Time limit: 3d, 0.5d, 4h.")
        due.add_argument("--calendar", help="Office calendar code (default calendar if omitted).")
        due.add_argument(
            "--rule",
            default=CutoffRule.NONE.value,
            choices=[r.value for r in CutoffRule],
            help="Cut-off rule: none; online (after 17:00 → next working day); 15h (after 15:00 → next day).",
        )
        imp = actions.add_parser("import", help="Import announced days from a JSON file.")
        imp.add_argument("file")
        imp.add_argument(
            "--calendar", help="Import as this office calendar's own days instead of national ones."
        )
        lunar = actions.add_parser("lunar", help="Print the Vietnamese lunar date of a day.")
        lunar.add_argument("date", help="YYYY-MM-DD")
        hol = actions.add_parser("holidays", help="List a year's days off and make-up working days.")
        hol.add_argument("year", type=int)
        hol.add_argument("--calendar", help="Office calendar code (national days if omitted).")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"_{options['action']}")
        try:
            handler(options)
        except (DomainError, AnnouncementError, CalendarRangeError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc

    def _due(self, options: dict[str, Any]) -> None:
        start = parse_moment(options["start"])
        amount, unit = parse_amount(options["amount"])
        rule = CutoffRule(options["rule"])
        cal = calendar_for(calendar_code=options["calendar"], years=years_spanned(start, amount, unit))
        begins = clock_start(cal, start, rule)
        due = add_working_time(cal, begins, amount, unit)
        self.stdout.write(_("Received:     %(moment)s") % {"moment": _shown(start)})
        self.stdout.write(_("Clock starts: %(moment)s") % {"moment": _shown(begins)})
        self.stdout.write(_("Due:          %(moment)s") % {"moment": _shown(due)})

    def _import(self, options: dict[str, Any]) -> None:
        summary = import_announcement_file(path=options["file"], calendar_code=options["calendar"])
        self.stdout.write(
            _("Year %(year)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "year": summary.year,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            }
        )

    def _lunar(self, options: dict[str, Any]) -> None:
        day = parse_day(options["date"])
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise CommandError(_("Years from %(min)s to %(max)s only.") % {"min": MIN_YEAR, "max": MAX_YEAR})
        self.stdout.write(str(solar_to_lunar(day)))

    def _holidays(self, options: dict[str, Any]) -> None:
        year = options["year"]
        labels = {
            HolidayKind.PUBLIC_HOLIDAY: _("public holiday"),
            HolidayKind.COMPENSATION: _("compensatory day off"),
            HolidayKind.DAY_OFF: _("announced day off"),
            HolidayKind.WORKING_DAY: _("make-up working day"),
        }
        for holiday in holidays_in_year(year=year, calendar_code=options["calendar"]):
            weekday = date_format(holiday.date, "l")
            label = labels[holiday.kind]
            self.stdout.write(f"{holiday.date.isoformat()}  {weekday:<8} {label:<22} {holiday.name}")


def _shown(moment: datetime) -> str:
    local = moment.astimezone(VIETNAM_TZ)
    return f"{local.isoformat(timespec='minutes')}  ({date_format(local, 'l')} {local:%d/%m/%Y %H:%M})"
