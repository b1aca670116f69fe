"""Export the catalog as a `motcua-catalog/1` document or as the flat CSV (docs/catalog-format.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from motcua.catalog.choices import Channel, RefKind
from motcua.catalog.fees import compute_fees
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.selectors import CONTENT_PREFETCH, as_local_date, in_force_q, read_content
from motcua.catalog.spec import FORMAT, decimal_str

CSV_COLUMNS = [
    "code",
    "name",
    "field",
    "levels",
    "lead_agency",
    "channels",
    "time_limit_amount",
    "time_limit_unit",
    "time_limit_text",
    "cutoff_rule",
    "online_level",
    "received_at_centre",
    "boundary_free",
    "on_the_spot",
    "fee_total_vnd",
    "effective_from",
    "status",
]
LIST_SEPARATOR = "|"
LOCAL_PREFIX = "local:"


def _versions(*, at: dt.date | None, codes: Iterable[str] | None) -> QuerySet[ProcedureVersion]:
    versions = ProcedureVersion.objects.select_related("procedure", "field", "lead_agency").prefetch_related(
        *CONTENT_PREFETCH
    )
    if at is not None:
        versions = versions.filter(in_force_q(at))
    if codes is not None:
        versions = versions.filter(procedure__code__in=list(codes))
    return versions.order_by("procedure__code", "effective_from", "number")


def version_record(version: ProcedureVersion) -> dict[str, Any]:
    """Return the exchange record of one version."""
    content = read_content(version).as_exchange()
    meta: dict[str, Any] = {
        "effective_from": version.effective_from.isoformat(),
        "decision": version.decision,
        "change": version.change,
    }
    replaces = sorted(p.code for p in version.replaces.all())
    if replaces:
        meta["replaces"] = replaces
    head = {"code": version.procedure.code, "name": content.pop("name"), "field": content.pop("field")}
    head["levels"] = content.pop("levels")
    return {**head, "version": meta, "status": version.status, **content}


def abolition_record(procedure: Procedure) -> dict[str, Any]:
    assert procedure.abolished_on is not None
    return {
        "code": procedure.code,
        "version": {
            "effective_from": procedure.abolished_on.isoformat(),
            "decision": procedure.abolition_decision,
            "change": "abolish",
        },
    }


def export_catalog(*, at: dt.date | None = None, codes: Iterable[str] | None = None) -> dict[str, Any]:
    """Export every version with abolitions (the full history), or with `at` the versions in force then.

    Importing the result into an empty catalog and exporting again gives the same document.
    """
    records: list[dict[str, Any]] = []
    last: Procedure | None = None
    for version in _versions(at=at, codes=codes):
        if last is not None and last.pk != version.procedure_id and at is None:
            records.extend(_abolition_of(last))
        records.append(version_record(version))
        last = version.procedure
    if last is not None and at is None:
        records.extend(_abolition_of(last))
    fields = Field.objects.order_by("code")
    if at is not None or codes is not None:
        fields = fields.filter(code__in={record["field"] for record in records if "field" in record})
    return {
        "format": FORMAT,
        "fields": [{"code": f.code, "name": f.name} for f in fields],
        "procedures": records,
    }


def _abolition_of(procedure: Procedure) -> list[dict[str, Any]]:
    # A replaced procedure's end is stated by the record of the procedure replacing it.
    if procedure.abolished_on is None or procedure.replaced_by_id is not None:
        return []
    return [abolition_record(procedure)]


def flat_row(version: ProcedureVersion) -> dict[str, str]:
    """Return the CSV columns of one version."""
    if version.lead_kind == RefKind.FIXED and version.lead_agency is not None:
        lead = version.lead_agency.code
    else:
        lead = f"{LOCAL_PREFIX}{version.lead_sector}"
    levels = sorted(version.levels.all(), key=lambda lv: (lv.rank, lv.code))
    return {
        "code": version.procedure.code,
        "name": version.name,
        "field": version.field.code,
        "levels": LIST_SEPARATOR.join(lv.code for lv in levels),
        "lead_agency": lead,
        "channels": LIST_SEPARATOR.join(version.channels),
        "time_limit_amount": decimal_str(version.time_limit_amount),
        "time_limit_unit": version.time_limit_unit,
        "time_limit_text": version.time_limit_text,
        "cutoff_rule": version.cutoff_rule,
        "online_level": version.online_level,
        "received_at_centre": _flag(version.received_at_centre),
        "boundary_free": _flag(version.boundary_free),
        "on_the_spot": _flag(version.on_the_spot),
        # Paper filing, one unit, no exemption: a reference figure, ignored on import.
        "fee_total_vnd": str(compute_fees(version.fees.all(), channel=Channel.COUNTER)),
        "effective_from": version.effective_from.isoformat(),
        "status": version.status,
    }


def _flag(value: bool) -> str:
    return "true" if value else "false"


def export_catalog_csv(*, at: dt.date | dt.datetime | None = None) -> str:
    """Export one CSV row per version in force on `at` (default today)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for version in _versions(at=as_local_date(at), codes=None):
        writer.writerow(flat_row(version))
    return out.getvalue()
