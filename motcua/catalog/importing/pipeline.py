"""Parse, plan and write an import; shared by the JSON document and the CSV flat file."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from pydantic import ValidationError as PydanticError

from motcua.catalog.choices import ABOLISH, Status
from motcua.catalog.importing.plan import Action, Entry, Planner, Problems, check_content, load_known
from motcua.catalog.importing.schema import AbolitionIn, FieldIn, ProcedureIn, shape_errors
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.services import (
    abolish_procedure,
    amend_procedure,
    create_procedure,
    publish_version,
    replace_procedure,
    save_field,
    unpublish_version,
    update_draft,
)
from motcua.catalog.spec import FORMAT, version_hash
from motcua.core.errors import DomainError

SECTIONS = ("fields", "procedures")


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do), by section."""

    dry_run: bool = False
    created: Tally[str] = field(default_factory=Tally)
    updated: Tally[str] = field(default_factory=Tally)
    unchanged: Tally[str] = field(default_factory=Tally)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        parts = []
        for section in SECTIONS:
            c, u, n = self.created[section], self.updated[section], self.unchanged[section]
            if c or u or n:
                parts.append(f"{section}: {c} created, {u} updated, {n} unchanged")
        text = "; ".join(parts) or "nothing to import"
        return f"{text} (dry run: nothing written)" if self.dry_run else text


class _DryRun(Exception):
    """Raised to roll back a dry run after every write has been tried."""


def _label(section: str, position: int, raw: Any) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    return f"{section}[{position}] ({code})" if isinstance(code, str) else f"{section}[{position}]"


def parse_entry(position: int, label: str, raw: Any, problems: Problems) -> Entry | None:
    """Check one procedure record's shape; return it as an Entry, or None after reporting errors."""
    version = raw.get("version") if isinstance(raw, dict) else None
    abolition = isinstance(version, dict) and version.get("change") == ABOLISH
    try:
        record = (AbolitionIn if abolition else ProcedureIn).model_validate(raw)
    except PydanticError as exc:
        for path, message in shape_errors(exc):
            problems.error(label, path, message)
        return None
    meta = record.version
    if meta.change != "replace" and meta.replaces:
        problems.error(label, "version.replaces", 'only for change "replace"')
    if meta.change == "replace" and not meta.replaces:
        problems.error(label, "version.replaces", 'required for change "replace"')
    if isinstance(record, AbolitionIn):
        return Entry(position, label, record.code, meta.effective_from, ABOLISH, meta.decision)
    content = record.content()
    return Entry(
        position=position,
        label=label,
        code=record.code,
        effective_from=meta.effective_from,
        change=meta.change,
        decision=meta.decision,
        replaces=tuple(meta.replaces),
        status=record.status,
        content=content,
        hash=version_hash(content, decision=meta.decision, change=meta.change, replaces=list(meta.replaces)),
    )


def _parse_fields(records: list[tuple[str, Any]], problems: Problems) -> list[FieldIn]:
    fields, seen = [], set()
    for label, raw in records:
        try:
            record = FieldIn.model_validate(raw)
        except PydanticError as exc:
            for path, message in shape_errors(exc):
                problems.error(label, path, message)
            continue
        if record.code in seen:
            problems.error(label, "code", f"field {record.code!r} listed twice")
        seen.add(record.code)
        fields.append(record)
    return fields


def _parse_entries(records: list[tuple[str, Any]], problems: Problems) -> list[Entry]:
    entries: list[Entry] = []
    seen: dict[tuple[str, Any], str] = {}
    for position, (label, raw) in enumerate(records):
        entry = parse_entry(position, label, raw, problems)
        if entry is None:
            continue
        key = (entry.code, entry.effective_from) if entry.change != ABOLISH else (entry.code, ABOLISH)
        if key in seen:
            problems.error(label, "version.effective_from", f"the same version is also at {seen[key]}")
            continue
        seen[key] = label
        entries.append(entry)
    return entries


def _procedure(code: str) -> Procedure:
    return Procedure.objects.get(code=code)


def _version(entry: Entry) -> ProcedureVersion:
    return ProcedureVersion.objects.select_related("procedure").get(
        procedure__code=entry.code, effective_from=entry.effective_from
    )


def _apply(action: Action) -> None:
    entry, kind = action.entry, action.kind
    content = entry.content
    day, decision, status = entry.effective_from, entry.decision, entry.status
    if kind == "abolish":
        abolish_procedure(procedure=_procedure(entry.code), on=day, decision=decision)
    elif kind == "publish":
        publish_version(version=_version(entry))
    elif kind == "unpublish":
        unpublish_version(version=_version(entry))
    elif content is None or kind == "unchanged":
        return
    elif kind == "create":
        create_procedure(
            code=entry.code, content=content, effective_from=day, decision=decision, status=status
        )
    elif kind == "amend":
        amend_procedure(
            procedure=_procedure(entry.code),
            content=content,
            effective_from=day,
            decision=decision,
            status=status,
        )
    elif kind == "replace":
        replaced = [_procedure(code) for code in entry.replaces]
        replace_procedure(
            replaced=replaced,
            code=entry.code,
            content=content,
            effective_from=day,
            decision=decision,
            status=status,
        )
    elif kind == "update":
        version = update_draft(version=_version(entry), content=content, decision=entry.decision)
        if entry.status == Status.PUBLISHED:
            publish_version(version=version)


def _write(fields: list[FieldIn], actions: list[Action], report: ImportReport) -> None:
    try:
        with transaction.atomic():
            for record in fields:
                _, outcome = save_field(code=record.code, name=record.name)
                getattr(report, outcome)["fields"] += 1
            for action in actions:
                try:
                    _apply(action)
                except DomainError as exc:
                    report.errors.append(f"{action.entry.label}: {exc.message} ({exc.code})")
                    raise
                getattr(report, action.outcome)["procedures"] += 1
            if report.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except DomainError:
        # Nothing was written: the counts would describe a rolled-back transaction.
        for tally in (report.created, report.updated, report.unchanged):
            tally.clear()


def run_import(
    *,
    fields: list[tuple[str, Any]],
    procedures: list[tuple[str, Any]],
    dry_run: bool = False,
    path_map: Callable[[str], str] = str,
    problems: Problems | None = None,
) -> ImportReport:
    """Check labelled field and procedure records, then write them all or nothing."""
    problems = problems or Problems(path_map=path_map)
    report = ImportReport(dry_run=dry_run, errors=problems.errors, warnings=problems.warnings)
    parsed_fields = _parse_fields(fields, problems)
    entries = _parse_entries(procedures, problems)
    known = load_known(entries, {f.code for f in parsed_fields})
    for entry in entries:
        if entry.content is not None:
            check_content(entry, known, problems)
    actions = Planner(entries, problems).plan()
    if not report.errors:
        _write(parsed_fields, actions, report)
    return report


def import_catalog(data: Any, *, dry_run: bool = False) -> ImportReport:
    """Import a catalog document: check everything, then write it in one transaction (or nothing)."""
    problems = Problems()
    if not isinstance(data, dict):
        problems.errors.append("document: must be a JSON object")
        return ImportReport(dry_run=dry_run, errors=problems.errors)
    if data.get("format") != FORMAT:
        problems.errors.append(f"format: must be {FORMAT!r}; got {data.get('format')!r}")
    for key in sorted(set(data) - {"format", *SECTIONS}):
        problems.errors.append(f"{key}: unknown key")
    sections: dict[str, list[tuple[str, Any]]] = {}
    for section in SECTIONS:
        records = data.get(section, [])
        if not isinstance(records, list):
            problems.errors.append(f"{section}: must be a list")
            records = []
        sections[section] = [(_label(section, i, raw), raw) for i, raw in enumerate(records)]
    return run_import(
        fields=sections["fields"], procedures=sections["procedures"], dry_run=dry_run, problems=problems
    )
