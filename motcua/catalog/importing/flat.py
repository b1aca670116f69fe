"""Import the flat CSV: each row updates or adds the flat part of a version, keeping the rest.

A row becomes an ordinary exchange record (documents, fees and process copied from the version it
updates or follows) and goes through the same checks and writes as a JSON document.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from motcua.catalog.choices import Change
from motcua.catalog.exporting import CSV_COLUMNS, LIST_SEPARATOR, LOCAL_PREFIX
from motcua.catalog.importing.pipeline import ImportReport, run_import
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import CONTENT_PREFETCH, read_content

_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}
# Where a checked key comes from in a row.
_COLUMN_OF = {
    "time_limit.amount": "time_limit_amount",
    "time_limit.unit": "time_limit_unit",
    "time_limit.text": "time_limit_text",
    "lead_agency.agency": "lead_agency",
    "lead_agency.local": "lead_agency",
}


def column_of(path: str) -> str:
    """Name the CSV column behind an error path of the exchange record."""
    if path.startswith("version."):
        return "effective_from"
    if path in _COLUMN_OF:
        return _COLUMN_OF[path]
    return re.sub(r"\[\d+\]$", "", path)


def _flag(raw: str) -> bool | str:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return raw  # left as text so that the check reports it


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(LIST_SEPARATOR) if item.strip()]


def _lead(raw: str) -> dict[str, str]:
    raw = raw.strip()
    return {"local": raw.removeprefix(LOCAL_PREFIX)} if raw.startswith(LOCAL_PREFIX) else {"agency": raw}


def _base_versions(codes: set[str]) -> dict[str, list[ProcedureVersion]]:
    found: dict[str, list[ProcedureVersion]] = {}
    versions = (
        ProcedureVersion.objects.filter(procedure__code__in=codes)
        .select_related("procedure", "field", "lead_agency")
        .prefetch_related(*CONTENT_PREFETCH)
        .order_by("effective_from")
    )
    for version in versions:
        found.setdefault(version.procedure.code, []).append(version)
    return found


def _record(row: dict[str, str], history: list[ProcedureVersion]) -> dict[str, Any]:
    """Build the exchange record for a row from the version it updates or follows."""
    try:
        day: dt.date | None = dt.date.fromisoformat(row["effective_from"].strip())
    except ValueError:
        day = None
    same = next((v for v in history if v.effective_from == day), None)
    before = [v for v in history if day is not None and v.effective_from < day]
    base = same or (before[-1] if before else None)
    record: dict[str, Any] = read_content(base).as_exchange() if base else {}
    if same is not None:
        replaces = sorted(p.code for p in same.replaces.all())
        version = {
            "decision": same.decision,
            "change": same.change,
            **({"replaces": replaces} if replaces else {}),
        }
    else:
        version = {"decision": "", "change": Change.AMEND if history else Change.NEW}
    channels = _list(row["channels"])
    record.update(
        code=row["code"].strip(),
        name=row["name"],
        field=row["field"].strip(),
        levels=_list(row["levels"]),
        version={"effective_from": row["effective_from"].strip(), **version},
        status=row["status"].strip(),
        lead_agency=_lead(row["lead_agency"]),
        channels=channels,
        time_limit={
            "amount": row["time_limit_amount"].strip(),
            "unit": row["time_limit_unit"].strip(),
            "text": row["time_limit_text"],
        },
        cutoff_rule=row["cutoff_rule"].strip(),
        online_level=row["online_level"].strip(),
        received_at_centre=_flag(row["received_at_centre"]),
        boundary_free=_flag(row["boundary_free"]),
        on_the_spot=_flag(row["on_the_spot"]),
    )
    # A channel dropped from the row takes its own time limit with it.
    limits = record.get("time_limits_by_channel") or {}
    record["time_limits_by_channel"] = {k: v for k, v in limits.items() if k in channels}
    return record


def import_catalog_csv(text: str, *, dry_run: bool = False) -> ImportReport:
    """Import the flat CSV; documents, fees and processes of existing versions are kept."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in CSV_COLUMNS if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        errors = [f"header: missing column {c!r}" for c in missing]
        errors += [f"header: unknown column {c!r}" for c in unknown]
        return ImportReport(dry_run=dry_run, errors=errors)
    rows = list(reader)
    history = _base_versions({row["code"].strip() for row in rows if row.get("code")})
    records = []
    for line, row in enumerate(rows, start=2):
        if None in row or any(value is None for value in row.values()):
            return ImportReport(dry_run=dry_run, errors=[f"row {line}: wrong number of columns"])
        code = row["code"].strip()
        records.append((f"row {line} ({code})", _record(row, history.get(code, []))))
    return run_import(fields=[], procedures=records, dry_run=dry_run, path_map=column_of)
