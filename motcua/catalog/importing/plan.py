"""Decide what an import will do, record by record, before anything is written.

The catalog's rules are simulated on the records in date order (a document may carry a procedure's
whole history), so that every refusal is found and reported together, naming record and field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from motcua.catalog.choices import ABOLISH, ActorKind, Change, FeeMethod, OnlineLevel, Status
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.process import process_warnings
from motcua.catalog.spec import AgencyRef, VersionContent
from motcua.org.models import Agency, UnitLevel

# Beyond this many codes, load every procedure instead of a long IN (…) list.
_IN_LIMIT = 500


@dataclass
class Problems:
    """Errors and warnings, each written as `record.path: message`."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    path_map: Callable[[str], str] = str

    def _line(self, record: str, path: str, message: str) -> str:
        path = self.path_map(path)
        return f"{record}.{path}: {message}" if path else f"{record}: {message}"

    def error(self, record: str, path: str, message: str) -> None:
        self.errors.append(self._line(record, path, message))

    def warn(self, record: str, path: str, message: str) -> None:
        self.warnings.append(self._line(record, path, message))


@dataclass(frozen=True)
class Entry:
    """A procedure record that has the documented shape."""

    position: int
    label: str
    code: str
    effective_from: dt.date
    change: str
    decision: str
    replaces: tuple[str, ...] = ()
    status: str = ""
    content: VersionContent | None = None
    hash: str = ""


@dataclass(frozen=True)
class Action:
    """What to do for one entry: create, amend, replace, update, publish, unpublish, abolish, unchanged."""

    kind: str
    entry: Entry

    @property
    def outcome(self) -> str:
        if self.kind == "unchanged":
            return "unchanged"
        return "created" if self.kind in ("create", "amend", "replace") else "updated"


@dataclass
class _VersionState:
    status: str
    hash: str


@dataclass
class _ProcedureState:
    exists: bool = False
    versions: dict[dt.date, _VersionState] = field(default_factory=dict)
    abolished_on: dt.date | None = None
    replaced_by: str | None = None

    def latest_published(self, *, before: dt.date | None = None) -> dt.date | None:
        days = [d for d, v in self.versions.items() if v.status == Status.PUBLISHED and d != before]
        return max(days, default=None)


def _load_states(codes: set[str]) -> dict[str, _ProcedureState]:
    procedures = Procedure.objects.select_related("replaced_by")
    versions = ProcedureVersion.objects.values_list(
        "procedure__code", "effective_from", "status", "content_hash"
    )
    if len(codes) <= _IN_LIMIT:
        procedures = procedures.filter(code__in=codes)
        versions = versions.filter(procedure__code__in=codes)
    states: dict[str, _ProcedureState] = {}
    for procedure in procedures:
        states[procedure.code] = _ProcedureState(
            exists=True,
            abolished_on=procedure.abolished_on,
            replaced_by=procedure.replaced_by.code if procedure.replaced_by else None,
        )
    for code, day, status, content_hash in versions:
        states[code].versions[day] = _VersionState(status=status, hash=content_hash)
    return states


@dataclass
class Known:
    fields: set[str]
    levels: set[str]
    agencies: dict[str, tuple[bool, str | None]]  # code → (active, merged into)


def load_known(entries: list[Entry], new_fields: set[str]) -> Known:
    codes: set[str] = set()
    for entry in entries:
        if entry.content is not None:
            codes |= entry.content.agency_codes()
    agencies = Agency.objects.values_list("code", "is_active", "merged_into__code")
    if len(codes) <= _IN_LIMIT:
        agencies = agencies.filter(code__in=codes)
    return Known(
        fields=set(Field.objects.values_list("code", flat=True)) | new_fields,
        levels=set(UnitLevel.objects.values_list("code", flat=True)),
        agencies={code: (active, merged) for code, active, merged in agencies},
    )


def _check_agency(ref: AgencyRef, path: str, entry: Entry, known: Known, problems: Problems) -> None:
    if ref.kind != ActorKind.FIXED:
        return
    if ref.agency not in known.agencies:
        problems.error(entry.label, f"{path}.agency", f"unknown agency {ref.agency!r}")
        return
    active, merged_into = known.agencies[ref.agency]
    if merged_into:
        problems.warn(entry.label, f"{path}.agency", f"agency {ref.agency} was merged into {merged_into}")
    elif not active:
        problems.warn(entry.label, f"{path}.agency", f"agency {ref.agency} is not active")


def check_content(entry: Entry, known: Known, problems: Problems) -> None:
    """Check what the shape cannot: references, consistency between keys, the process plan."""
    content = entry.content
    assert content is not None
    label = entry.label
    if content.field not in known.fields:
        problems.error(label, "field", f"unknown field {content.field!r}")
    for i, level in enumerate(content.levels):
        if level not in known.levels:
            problems.error(label, f"levels[{i}]", f"unknown level {level!r}")
        elif level in content.levels[:i]:
            problems.error(label, f"levels[{i}]", f"{level!r} listed twice")
    for i, channel in enumerate(content.channels):
        if channel in content.channels[:i]:
            problems.error(label, f"channels[{i}]", f"{channel!r} listed twice")
    for channel in content.time_limits_by_channel:
        if channel not in content.channels:
            problems.error(label, f"time_limits_by_channel.{channel}", "channel not listed in channels")
    online = "online" in content.channels
    if content.online_level != OnlineLevel.NONE and not online:
        problems.error(label, "online_level", f"{content.online_level!r} needs 'online' among channels")
    if content.online_level == OnlineLevel.NONE and online:
        problems.error(label, "online_level", "must be 'full' or 'partial' when 'online' is a channel")
    if not content.received_at_centre and not content.where_if_not.strip():
        problems.warn(label, "where_if_not", "empty although the procedure is not received at the centre")
    for i, fee in enumerate(content.fees):
        if fee.method == FeeMethod.PER_UNIT and not fee.unit.strip():
            problems.error(label, f"fees[{i}].unit", "required when method is 'per_unit'")
        if fee.method == FeeMethod.FIXED and fee.cap_vnd is not None:
            problems.error(label, f"fees[{i}].cap_vnd", "only a 'per_unit' fee has a cap")
    _check_agency(content.lead, "lead_agency", entry, known, problems)
    for key, refs in (
        ("deciding_agencies", content.deciding),
        ("implementing_agencies", content.implementing),
    ):
        for i, ref in enumerate(refs):
            _check_agency(ref, f"{key}[{i}]", entry, known, problems)
    for i, step in enumerate(content.process):
        _check_agency(step.actor, f"process[{i}].actor", entry, known, problems)
    for warning in process_warnings(
        content.process, amount=content.time_limit.amount, unit=content.time_limit.unit
    ):
        problems.warn(label, "process", warning)


class Planner:
    """Walk the entries in date order against the catalog as it is, as if each were applied."""

    def __init__(self, entries: list[Entry], problems: Problems):
        self.entries = sorted(entries, key=lambda e: (e.effective_from, e.position))
        self.problems = problems
        codes = {e.code for e in entries} | {c for e in entries for c in e.replaces}
        self.states = _load_states(codes)

    def state(self, code: str) -> _ProcedureState:
        return self.states.setdefault(code, _ProcedureState())

    def plan(self) -> list[Action]:
        actions = []
        for entry in self.entries:
            action = self._abolition(entry) if entry.change == ABOLISH else self._version(entry)
            if action is not None:
                actions.append(action)
        return actions

    def _fail(self, entry: Entry, path: str, message: str) -> Action | None:
        """Report an error; no action follows, so callers may `return self._fail(…)`."""
        self.problems.error(entry.label, path, message)
        return None

    def _abolition(self, entry: Entry) -> Action | None:
        state, day = self.state(entry.code), entry.effective_from
        if not state.exists:
            return self._fail(entry, "code", "unknown procedure: nothing to abolish")
        if state.abolished_on == day and state.replaced_by is None:
            return Action("unchanged", entry)
        if state.abolished_on is not None:
            return self._fail(entry, "version.effective_from", f"already abolished on {state.abolished_on}")
        latest = state.latest_published()
        if latest is not None and latest >= day:
            return self._fail(entry, "version.effective_from", f"must be after {latest}, the latest version")
        state.abolished_on = day
        return Action("abolish", entry)

    def _version(self, entry: Entry) -> Action | None:
        state, day = self.state(entry.code), entry.effective_from
        if state.abolished_on is not None and day >= state.abolished_on:
            return self._fail(
                entry, "version.effective_from", f"the procedure is abolished from {state.abolished_on}"
            )
        existing = state.versions.get(day)
        if existing is not None:
            return self._existing(entry, state, existing)
        if entry.change == Change.NEW and state.exists:
            return self._fail(entry, "version.change", 'the procedure exists: use "amend" for a new version')
        if entry.change == Change.AMEND and not state.exists:
            return self._fail(entry, "version.change", 'unknown procedure: its first version must be "new"')
        latest = state.latest_published()
        if latest is not None and day <= latest:
            return self._fail(
                entry, "version.effective_from", f"must be after {latest}, the latest published version"
            )
        if entry.change == Change.REPLACE and not self._replaces_ok(entry):
            return None
        state.exists = True
        state.versions[day] = _VersionState(status=entry.status, hash=entry.hash)
        if entry.status == Status.PUBLISHED:
            self._retire_replaced(entry)
        return Action({"new": "create"}.get(entry.change, entry.change), entry)

    def _existing(self, entry: Entry, state: _ProcedureState, existing: _VersionState) -> Action | None:
        before, after = existing.status, entry.status
        if existing.hash != entry.hash and before != Status.DRAFT:
            return self._fail(
                entry,
                "version.effective_from",
                f"the version of {entry.effective_from} is {before} and cannot change; "
                "publish an amendment with a later effective_from",
            )
        if after == Status.DRAFT and before != Status.DRAFT:
            return self._fail(entry, "status", f"a {before} version cannot return to draft")
        if after == Status.UNPUBLISHED and before == Status.DRAFT:
            return self._fail(entry, "status", "a draft cannot be unpublished: publish it first")
        if after == Status.PUBLISHED and before != Status.PUBLISHED:
            latest = state.latest_published(before=entry.effective_from)
            if latest is not None and latest >= entry.effective_from:
                return self._fail(entry, "status", f"a later version ({latest}) is already published")
            if entry.change == Change.REPLACE and not self._replaces_ok(entry):
                return None
            self._retire_replaced(entry)
        if after == Status.UNPUBLISHED and before == Status.PUBLISHED:
            for code in entry.replaces:
                replaced = self.state(code)
                if replaced.replaced_by == entry.code and replaced.abolished_on == entry.effective_from:
                    replaced.abolished_on = replaced.replaced_by = None
        existing.status = after
        if existing.hash != entry.hash:
            existing.hash = entry.hash
            return Action("update", entry)
        if before == after:
            return Action("unchanged", entry)
        return Action("publish" if after == Status.PUBLISHED else "unpublish", entry)

    def _replaces_ok(self, entry: Entry) -> bool:
        ok = True
        for i, code in enumerate(entry.replaces):
            replaced = self.state(code)
            path = f"version.replaces[{i}]"
            if code == entry.code:
                self._fail(entry, path, "a procedure cannot replace itself")
            elif not replaced.exists:
                self._fail(entry, path, f"unknown procedure {code!r}")
            elif entry.status != Status.PUBLISHED:
                continue
            elif replaced.abolished_on is not None and not (
                replaced.abolished_on == entry.effective_from and replaced.replaced_by == entry.code
            ):
                self._fail(entry, path, f"{code} is already abolished from {replaced.abolished_on}")
            elif (latest := replaced.latest_published()) is not None and latest >= entry.effective_from:
                self._fail(entry, path, f"{code} has a version from {latest}, not before this one")
            else:
                continue
            ok = False
        return ok

    def _retire_replaced(self, entry: Entry) -> None:
        for code in entry.replaces:
            replaced = self.state(code)
            replaced.abolished_on, replaced.replaced_by = entry.effective_from, entry.code
