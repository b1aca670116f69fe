#!/usr/bin/env python3
"""Check catalog documents (`motcua-catalog/1`) against docs/catalog-format.md, standard library only.

    python3 scripts/check_catalog_data.py                    # every motcua/catalog/data/*.json
    python3 scripts/check_catalog_data.py FILE [FILE ...]

Agency codes and sectors are checked against motcua/org/data/demo_province.json, field codes against
motcua/catalog/data/fields.json plus the document's own `fields`. The internal process of each procedure
must fit its time limit on the critical path: stages run one after another, branches of a stage in
parallel, and only steps that count time are added (a same-day limit, amount 0, allows one working day;
a second time limit, if any, is added to the first). Exit status 1 when any error is found.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "motcua/catalog/data"
ORG = ROOT / "motcua/org/data/demo_province.json"
FORMAT = "motcua-catalog/1"
HOURS_PER_DAY = Decimal(8)

PROCEDURE_KEYS = {
    "code",
    "name",
    "field",
    "levels",
    "version",
    "status",
    "lead_agency",
    "deciding_agencies",
    "implementing_agencies",
    "implementing_text",
    "channels",
    "time_limit",
    "time_limits_by_channel",
    "second_time_limit",
    "cutoff_rule",
    "supplement_rule",
    "online_level",
    "received_at_centre",
    "where_if_not",
    "boundary_free",
    "on_the_spot",
    "fees",
    "documents",
    "conditions",
    "result",
    "legal_basis",
    "applicant_steps",
    "process",
}
VERSION_KEYS = {"effective_from", "decision", "change", "replaces"}
FEE_KEYS = {"kind", "name", "method", "amount_vnd", "unit", "cap_vnd", "channel", "exemption"}
DOCUMENT_KEYS = {"name", "form", "copies", "required", "condition", "template", "note"}
STEP_KEYS = {"stage", "branch", "name", "actor", "role", "days", "counts_time"}
TIME_KEYS = {"amount", "unit", "text"}

LEVELS = {"tinh", "huyen", "xa"}
CHANGES = {"new", "amend", "replace", "abolish"}
STATUSES = {"draft", "published", "unpublished"}
CHANNELS = ["counter", "post", "online"]
UNITS = {"d", "h"}
CUTOFFS = {"none", "online_17h", "cutoff_15h"}
SUPPLEMENTS = {"restart", "pause"}
ONLINE_LEVELS = {"full", "partial", "none"}
FEE_KINDS = {"fee", "charge"}
FEE_METHODS = {"fixed", "per_unit"}
FEE_CHANNELS = {"any", "counter", "online"}
FORMS = {"original", "copy", "certified_copy", "original_or_copy", "shown"}
ROLES = {"counter_officer", "specialist", "unit_leader", "agency_leader"}

CODE_RE = re.compile(r"^\d\.\d{6}(\.[A-Z][0-9]{2}(\.[0-9]{2,3})*)?$")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DECIMAL_RE = re.compile(r"^\d+(\.\d{1,2})?$")


class Checker:
    def __init__(self, agencies: set[str], sectors: set[str], known_fields: dict[str, str]) -> None:
        self.agencies = agencies
        self.sectors = sectors
        self.known_fields = known_fields
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}: {message}")

    # ------------------------------------------------------------ values
    def keys(self, where: str, value: Any, allowed: set[str], required: set[str] | None = None) -> bool:
        if not isinstance(value, dict):
            self.error(where, "must be an object")
            return False
        for key in sorted(set(value) - allowed):
            self.error(f"{where}.{key}", "unknown key")
        for key in sorted((allowed if required is None else required) - set(value)):
            self.error(f"{where}.{key}", "missing")
        return True

    def text(self, where: str, value: Any, *, required: bool = False, max_length: int | None = None) -> None:
        if not isinstance(value, str):
            self.error(where, "must be a string")
        elif required and not value.strip():
            self.error(where, "must not be empty")
        elif max_length is not None and len(value) > max_length:
            self.error(where, f"longer than {max_length} characters ({len(value)})")

    def choice(self, where: str, value: Any, allowed: set[str] | list[str]) -> None:
        if value not in allowed:
            self.error(where, f"must be one of {', '.join(sorted(allowed))} (got {value!r})")

    def boolean(self, where: str, value: Any) -> None:
        if not isinstance(value, bool):
            self.error(where, "must be true or false")

    def decimal(self, where: str, value: Any) -> Decimal | None:
        if not isinstance(value, str) or not DECIMAL_RE.match(value):
            self.error(where, f"must be a decimal string with at most 2 decimals (got {value!r})")
            return None
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the regex already guards this
            self.error(where, "not a decimal")
            return None

    def money(self, where: str, value: Any, *, nullable: bool = False) -> None:
        if value is None and nullable:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(where, "must be a non-negative integer (VND)")

    def iso_date(self, where: str, value: Any) -> None:
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            self.error(where, f"must be an ISO date YYYY-MM-DD (got {value!r})")

    def agency_ref(self, where: str, value: Any, *, actor: bool = False) -> None:
        if not isinstance(value, dict) or len(value) != 1:
            self.error(where, "must be an object with exactly one key")
            return
        ((key, ref),) = value.items()
        if key == "agency":
            if ref not in self.agencies:
                self.error(where, f"unknown agency code {ref!r} (not in demo_province.json)")
        elif key == "local":
            if ref not in self.sectors:
                self.error(where, f"unknown sector {ref!r} (not a sector of demo_province.json)")
        elif actor and key in ("lead", "receiving"):
            if ref is not True:
                self.error(where, f"{key} must be true")
        else:
            allowed = "agency, local, lead, receiving" if actor else "agency, local"
            self.error(where, f"key must be one of {allowed} (got {key!r})")

    def time_limit(self, where: str, value: Any, *, with_text: bool = True) -> Decimal | None:
        """A time limit; only the main one carries the published text (the others are amount + unit)."""
        allowed = TIME_KEYS if with_text else {"amount", "unit"}
        if not self.keys(where, value, allowed, {"amount", "unit"}):
            return None
        amount = self.decimal(f"{where}.amount", value.get("amount"))
        self.choice(f"{where}.unit", value.get("unit"), UNITS)
        if "text" in value:
            self.text(f"{where}.text", value["text"])
        if amount is None:
            return None
        return amount / HOURS_PER_DAY if value.get("unit") == "h" else amount

    # ------------------------------------------------------------ records
    def field(self, where: str, value: Any, seen: set[str]) -> None:
        if not self.keys(where, value, {"code", "name"}):
            return
        code = value.get("code")
        if not isinstance(code, str) or not SLUG_RE.match(code) or len(code) > 80:
            self.error(f"{where}.code", f"must be a slug of at most 80 characters (got {code!r})")
        if code in seen:
            self.error(f"{where}.code", f"duplicate field {code!r}")
        seen.add(code)
        self.text(f"{where}.name", value.get("name"), required=True, max_length=255)
        known = self.known_fields.get(code)
        if known is not None and known != value.get("name"):
            self.error(f"{where}.name", f"differs from fields.json ({known!r})")

    def procedure(self, where: str, p: dict[str, Any], fields: set[str]) -> None:
        version = p.get("version") if isinstance(p, dict) else None
        if isinstance(version, dict) and version.get("change") == "abolish":
            self.keys(where, p, PROCEDURE_KEYS, {"code", "version"})
        elif not self.keys(where, p, PROCEDURE_KEYS):
            return
        code = p.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code):
            self.error(
                f"{where}.code", f"must be d.dddddd, optionally followed by an agency code (got {code!r})"
            )
        self.version(f"{where}.version", version)
        if isinstance(version, dict) and version.get("change") == "abolish":
            return

        self.text(f"{where}.name", p["name"], required=True, max_length=1000)
        if p["field"] not in fields:
            self.error(f"{where}.field", f"unknown field {p['field']!r}")
        levels = p["levels"]
        if not isinstance(levels, list) or not levels:
            self.error(f"{where}.levels", "must be a non-empty list")
        else:
            for i, level in enumerate(levels):
                self.choice(f"{where}.levels[{i}]", level, LEVELS)
            if len(set(levels)) != len(levels):
                self.error(f"{where}.levels", "duplicate level")
        self.choice(f"{where}.status", p["status"], STATUSES)
        self.agency_ref(f"{where}.lead_agency", p["lead_agency"])
        for key in ("deciding_agencies", "implementing_agencies"):
            refs = p[key]
            if not isinstance(refs, list):
                self.error(f"{where}.{key}", "must be a list")
                continue
            for i, ref in enumerate(refs):
                self.agency_ref(f"{where}.{key}[{i}]", ref)
        for key in (
            "implementing_text",
            "where_if_not",
            "conditions",
            "result",
            "legal_basis",
            "applicant_steps",
        ):
            self.text(f"{where}.{key}", p[key])
        channels = p["channels"]
        if not isinstance(channels, list) or len(set(map(str, channels))) != len(channels):
            self.error(f"{where}.channels", "must be a list without duplicates")
            channels = []
        for i, channel in enumerate(channels):
            self.choice(f"{where}.channels[{i}]", channel, CHANNELS)
        if not channels:
            self.warn(f"{where}.channels", "no channel: the procedure cannot be filed anywhere")

        capacity = self.time_limit(f"{where}.time_limit", p["time_limit"])
        by_channel = p["time_limits_by_channel"]
        if not isinstance(by_channel, dict):
            self.error(f"{where}.time_limits_by_channel", "must be an object")
        else:
            for channel, limit in sorted(by_channel.items()):
                self.choice(f"{where}.time_limits_by_channel.{channel}", channel, CHANNELS)
                if channel not in channels:
                    self.error(f"{where}.time_limits_by_channel.{channel}", "channel not offered")
                self.time_limit(f"{where}.time_limits_by_channel.{channel}", limit, with_text=False)
        second = None
        if p["second_time_limit"] is not None:
            second = self.time_limit(f"{where}.second_time_limit", p["second_time_limit"], with_text=False)

        self.choice(f"{where}.cutoff_rule", p["cutoff_rule"], CUTOFFS)
        self.choice(f"{where}.supplement_rule", p["supplement_rule"], SUPPLEMENTS)
        self.choice(f"{where}.online_level", p["online_level"], ONLINE_LEVELS)
        for key in ("received_at_centre", "boundary_free", "on_the_spot"):
            self.boolean(f"{where}.{key}", p[key])
        if p["online_level"] in ("full", "partial") and "online" not in channels:
            self.error(f"{where}.online_level", "an online level needs the online channel")
        if p["online_level"] == "none" and "online" in channels:
            self.error(f"{where}.online_level", "must be full or partial when online is a channel")
        if p["cutoff_rule"] == "online_17h" and "online" not in channels:
            self.warn(f"{where}.cutoff_rule", "online_17h without the online channel")
        if p["on_the_spot"] is True and capacity is not None and capacity > 0:
            self.warn(f"{where}.on_the_spot", "handled on the spot but the time limit is not same-day")
        if p["received_at_centre"] is False and not p["where_if_not"].strip():
            self.error(f"{where}.where_if_not", "must say where the procedure is done")

        self.fees(f"{where}.fees", p["fees"])
        self.documents(f"{where}.documents", p["documents"])
        self.process(f"{where}.process", p["process"], capacity, second)

    def version(self, where: str, v: Any) -> None:
        if not self.keys(where, v, VERSION_KEYS, {"effective_from", "change"}):
            return
        self.iso_date(f"{where}.effective_from", v.get("effective_from"))
        self.choice(f"{where}.change", v.get("change"), CHANGES)
        if "decision" in v:
            self.text(f"{where}.decision", v["decision"])
        replaces = v.get("replaces")
        if v.get("change") == "replace":
            if (
                not isinstance(replaces, list)
                or not replaces
                or not all(isinstance(c, str) and CODE_RE.match(c) for c in replaces)
            ):
                self.error(f"{where}.replaces", "a replacement lists the replaced procedure codes")
        elif replaces:
            self.error(f"{where}.replaces", "only a replacement lists replaced procedures")

    def fees(self, where: str, fees: Any) -> None:
        if not isinstance(fees, list):
            self.error(where, "must be a list")
            return
        for i, fee in enumerate(fees):
            at = f"{where}[{i}]"
            if not self.keys(at, fee, FEE_KEYS):
                continue
            self.choice(f"{at}.kind", fee["kind"], FEE_KINDS)
            self.text(f"{at}.name", fee["name"], required=True, max_length=500)
            self.choice(f"{at}.method", fee["method"], FEE_METHODS)
            self.money(f"{at}.amount_vnd", fee["amount_vnd"])
            self.text(f"{at}.unit", fee["unit"], max_length=100)
            self.money(f"{at}.cap_vnd", fee["cap_vnd"], nullable=True)
            if fee["cap_vnd"] is not None and fee["method"] != "per_unit":
                self.error(f"{at}.cap_vnd", "a cap needs method per_unit")
            if fee["method"] == "per_unit" and not str(fee["unit"]).strip():
                self.error(f"{at}.unit", "a per_unit fee names its unit")
            self.choice(f"{at}.channel", fee["channel"], FEE_CHANNELS)
            self.text(f"{at}.exemption", fee["exemption"])

    def documents(self, where: str, documents: Any) -> None:
        if not isinstance(documents, list):
            self.error(where, "must be a list")
            return
        for i, document in enumerate(documents):
            at = f"{where}[{i}]"
            if not self.keys(at, document, DOCUMENT_KEYS):
                continue
            self.text(f"{at}.name", document["name"], required=True)
            self.choice(f"{at}.form", document["form"], FORMS)
            copies = document["copies"]
            if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
                self.error(f"{at}.copies", "must be a positive integer")
            self.boolean(f"{at}.required", document["required"])
            for key in ("condition", "template", "note"):
                self.text(f"{at}.{key}", document[key])
            if document["required"] is False and not str(document["condition"]).strip():
                self.warn(f"{at}.condition", "an optional document should say when it is needed")

    def process(self, where: str, steps: Any, capacity: Decimal | None, second: Decimal | None) -> None:
        if not isinstance(steps, list):
            self.error(where, "must be a list")
            return
        last_stage = 0
        stage_branches: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for i, step in enumerate(steps):
            at = f"{where}[{i}]"
            if not self.keys(at, step, STEP_KEYS):
                continue
            stage = step["stage"]
            if isinstance(stage, bool) or not isinstance(stage, int) or stage < 1:
                self.error(f"{at}.stage", "must be an integer ≥ 1")
                continue
            if stage < last_stage:
                self.error(
                    f"{at}.stage", f"stages must not decrease in list order ({stage} after {last_stage})"
                )
            last_stage = max(last_stage, stage)
            branch = step["branch"]
            if not isinstance(branch, str) or (branch and (not SLUG_RE.match(branch) or len(branch) > 40)):
                self.error(f"{at}.branch", f"must be empty or a slug (got {branch!r})")
            self.text(f"{at}.name", step["name"], required=True)
            self.agency_ref(f"{at}.actor", step["actor"], actor=True)
            self.choice(f"{at}.role", step["role"], ROLES)
            days = self.decimal(f"{at}.days", step["days"])
            self.boolean(f"{at}.counts_time", step["counts_time"])
            if days is not None and step["counts_time"] is True:
                stage_branches[stage][branch if isinstance(branch, str) else ""] += days
            if step["counts_time"] is False and days:
                self.warn(f"{at}.days", "a step that does not count time has a share of days")
        for stage, branches in stage_branches.items():
            if "" in branches and len(branches) > 1:
                self.error(where, f"stage {stage} mixes the main line with parallel branches")
        if capacity is None or not steps:
            return
        total = sum((max(branches.values()) for branches in stage_branches.values()), Decimal(0))
        limit = max(capacity, Decimal(1)) if capacity == 0 else capacity
        if second is not None:
            limit += second
        if total > limit:
            self.error(where, f"critical path takes {total} working days, more than the time limit ({limit})")


def load_org() -> tuple[set[str], set[str]]:
    org = json.loads(ORG.read_text(encoding="utf-8"))
    agencies = {a["code"] for a in org["agencies"]}
    sectors = {a["sector"] for a in org["agencies"] if a.get("sector")}
    return agencies, sectors


def load_fields() -> dict[str, str]:
    path = DATA / "fields.json"
    if not path.exists():
        return {}
    return {f["code"]: f["name"] for f in json.loads(path.read_text(encoding="utf-8")).get("fields", [])}


def check_document(path: Path, checker: Checker) -> list[str]:
    where = path.name
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        checker.error(where, f"not readable JSON: {exc}")
        return []
    if not checker.keys(where, document, {"format", "fields", "procedures"}, {"format"}):
        return []
    if document["format"] != FORMAT:
        checker.error(f"{where}.format", f"must be {FORMAT!r}")
    seen: set[str] = set()
    for i, field in enumerate(document.get("fields", [])):
        checker.field(
            f"{where}: fields[{i}] ({field.get('code') if isinstance(field, dict) else '?'})", field, seen
        )
    fields = set(checker.known_fields) | seen
    codes: list[str] = []
    for i, procedure in enumerate(document.get("procedures", [])):
        code = procedure.get("code") if isinstance(procedure, dict) else None
        checker.procedure(f"{where}: procedures[{i}] ({code})", procedure, fields)
        codes.append(str(code))
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        checker.error(where, f"procedure {code} appears more than once")
    if codes != sorted(codes):
        checker.warn(where, "procedures are not sorted by code")
    return codes


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(DATA.glob("*.json"))
    agencies, sectors = load_org()
    checker = Checker(agencies, sectors, load_fields())
    owners: dict[str, list[str]] = defaultdict(list)
    counts = []
    for path in paths:
        codes = check_document(path, checker)
        counts.append(f"{path.name}: {len(codes)} procedures")
        for code in codes:
            owners[code].append(path.name)
    for code, files in sorted(owners.items()):
        if len(files) > 1:
            checker.error(code, f"defined in several documents: {', '.join(files)}")
    for line in checker.warnings:
        print(f"warning: {line}")
    for line in checker.errors:
        print(f"error: {line}")
    print("; ".join(counts))
    print(f"{len(checker.errors)} errors, {len(checker.warnings)} warnings")
    return 1 if checker.errors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
