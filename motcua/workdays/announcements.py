"""Read a year's announced days from JSON: {"year", "days_off": [...], "working_days": [...]}."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from motcua.workdays.holidays import AnnouncedEntry, HolidayKind

MIN_YEAR, MAX_YEAR = 1900, 2199
_NAME_MAX = 200
_LISTS = {"days_off": HolidayKind.DAY_OFF, "working_days": HolidayKind.WORKING_DAY}


class AnnouncementError(ValueError):
    """The announcement file is malformed; the message names the offending entry."""


@dataclass(frozen=True, slots=True)
class Announcement:
    year: int
    entries: tuple[AnnouncedEntry, ...]


def read_announcement_file(path: Path | str) -> Announcement:
    """Parse an announcement file; AnnouncementError on unreadable or invalid content."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise AnnouncementError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnnouncementError(
            _("%(path)s is not valid JSON (line %(line)s, column %(col)s): %(msg)s")
            % {"path": path, "line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from exc
    return parse_announcement(data)


def parse_announcement(data: Any) -> Announcement:
    """Validate announcement data; AnnouncementError names the first bad entry."""
    if not isinstance(data, dict):
        raise AnnouncementError(
            _('Expected a JSON object {"year": …, "days_off": […], "working_days": […]}.')
        )
    unknown = set(data) - {"year", *_LISTS}
    if unknown:
        raise AnnouncementError(_("Unknown key(s): %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise AnnouncementError(
            _('"year" must be a whole number from %(min)s to %(max)s, not %(value)s.')
            % {"min": MIN_YEAR, "max": MAX_YEAR, "value": json.dumps(year)}
        )
    entries: list[AnnouncedEntry] = []
    seen: dict[date, str] = {}
    for key, kind in _LISTS.items():
        items = data.get(key, [])
        if not isinstance(items, list):
            raise AnnouncementError(_('"%(key)s" must be a list.') % {"key": key})
        for index, item in enumerate(items):
            where = f"{key}[{index}]"
            entry = _parse_entry(where, item, kind, year)
            if entry.date in seen:
                raise AnnouncementError(
                    _("%(where)s: %(date)s is already listed at %(other)s.")
                    % {"where": where, "date": entry.date.isoformat(), "other": seen[entry.date]}
                )
            seen[entry.date] = where
            entries.append(entry)
    return Announcement(year=year, entries=tuple(entries))


def _parse_entry(where: str, item: Any, kind: HolidayKind, year: int) -> AnnouncedEntry:
    if not isinstance(item, dict) or set(item) != {"date", "name"}:
        raise AnnouncementError(
            _('%(where)s: expected {"date": "YYYY-MM-DD", "name": "…"}, got %(item)s.')
            % {"where": where, "item": json.dumps(item, ensure_ascii=False)}
        )
    raw_date, name = item["date"], item["name"]
    try:
        day = date.fromisoformat(raw_date) if isinstance(raw_date, str) and len(raw_date) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise AnnouncementError(
            _("%(where)s: %(value)s is not a date YYYY-MM-DD.")
            % {"where": where, "value": json.dumps(raw_date, ensure_ascii=False)}
        )
    if day.year != year:
        raise AnnouncementError(
            _("%(where)s: %(date)s is not in %(year)s.") % {"where": where, "date": raw_date, "year": year}
        )
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > _NAME_MAX:
        raise AnnouncementError(
            _("%(where)s (%(date)s): the name must be text of 1 to %(max)s characters.")
            % {"where": where, "date": raw_date, "max": _NAME_MAX}
        )
    return AnnouncedEntry(date=day, kind=kind, name=name.strip())
