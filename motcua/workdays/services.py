"""Writes to the working-day calendar: importing a year's announced days."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.workdays.announcements import Announcement, read_announcement_file
from motcua.workdays.models import AnnouncedDay, OfficeCalendar


@dataclass(frozen=True, slots=True)
class ImportSummary:
    year: int
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def import_announcement(
    *, announcement: Announcement, calendar: OfficeCalendar | None = None
) -> ImportSummary:
    """Upsert a year's announced days (national when calendar is None); re-importing changes nothing.

    Days already stored for that year but absent from the announcement are kept: an announcement
    adds or corrects days, and removing one is a deliberate act in the admin.
    """
    existing = {
        day.date: day
        for day in AnnouncedDay.objects.select_for_update().filter(
            calendar=calendar, date__year=announcement.year
        )
    }
    created = updated = unchanged = 0
    for entry in announcement.entries:
        row = existing.get(entry.date)
        if row is None:
            AnnouncedDay.objects.create(
                date=entry.date, kind=entry.kind.value, name=entry.name, calendar=calendar
            )
            created += 1
        elif row.kind != entry.kind.value or row.name != entry.name:
            row.kind, row.name = entry.kind.value, entry.name
            row.save(update_fields=["kind", "name", "updated_at"])
            updated += 1
        else:
            unchanged += 1
    return ImportSummary(year=announcement.year, created=created, updated=updated, unchanged=unchanged)


def import_announcement_file(*, path: Path | str, calendar_code: str | None = None) -> ImportSummary:
    """Import an announcement JSON file into the national days or into one calendar's own days."""
    announcement = read_announcement_file(path)
    calendar = None
    if calendar_code:
        calendar = OfficeCalendar.objects.filter(code=calendar_code).first()
        if calendar is None:
            raise NotFound(_("No office calendar has the code %(code)s.") % {"code": calendar_code})
    return import_announcement(announcement=announcement, calendar=calendar)
