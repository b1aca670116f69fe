"""A synthetic province for the dossier benchmarks: the demo organisation and catalog, then N dossiers.

`load_province()` goes through the real import services (`import_org`, `import_catalog`), adding one
counter officer per service point and one specialist per agency so every desk can be queried.
`generate(n)` writes dossiers straight into the tables with raw SQL (executemany on SQLite, COPY on
PostgreSQL): going through the services would take hours for a million dossiers, and the queries under
test only need realistic rows, not a realistic history.

What a generated dossier has (the choices that keep 1,000,000 dossiers within minutes):
- every dossier: a code in the 2025 layout, a look-up secret, a status drawn from STATUSES, one of the 5
  service points (weighted), a procedure the point really receives and its lead agency (as routing
  would pick it), an applicant (two dossiers per applicant on average), receipt and due dates spread
  over two years ending at END, in id order as a real table fills (open dossiers among the last 60
  days' ones);
- open dossiers that were received (about 5 %): three steps (receive done, handling by the lead agency,
  return at the desk) and two events (receive, transfer); closed dossiers have neither.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction

import motcua
from motcua.catalog.text import padded

ROOT = Path(motcua.__file__).resolve().parent
END = dt.datetime(2026, 6, 30, 10, 0)  # naive UTC: the synthetic "today"
DAYS = 730
LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
BATCH = 20_000

# status -> share of all dossiers; open statuses are about 6 %, of which 5 % are past intake.
STATUSES: dict[str, float] = {
    "returned": 0.880,
    "refused": 0.025,
    "withdrawn": 0.010,
    "stopped": 0.015,
    "abandoned": 0.010,
    "submitted": 0.008,
    "needs_completion": 0.002,
    "received": 0.002,
    "in_progress": 0.038,
    "waiting_supplement": 0.005,
    "result_ready": 0.005,
}
OPEN_STATUSES = [
    "submitted", "needs_completion", "received", "in_progress", "waiting_supplement", "result_ready",
]  # fmt: skip
OPEN = {s: share for s, share in STATUSES.items() if s in OPEN_STATUSES}
CLOSED = {s: share for s, share in STATUSES.items() if s not in OPEN_STATUSES}
RECENT = 60  # days: open dossiers are among those received in the last RECENT days
OPEN_WHEN_RECENT = min(1.0, sum(OPEN.values()) * DAYS / RECENT)
LOOKUP_SAMPLE = 5000  # (code, secret) pairs kept for the look-up benchmark, spread over all dossiers
WITH_STEPS = {"received", "in_progress", "waiting_supplement", "result_ready"}
NOT_RECEIVED = {"submitted", "needs_completion"}
POINT_WEIGHTS = {
    "ttpvhcc-tinh": 0.40,
    "ttpvhcc-tinh-cn-honglinh": 0.10,
    "ttpvhcc-thanhsen": 0.20,
    "ttpvhcc-thachha": 0.15,
    "ttpvhcc-bachonglinh": 0.15,
}
# Applicants' names: family × middle × given, 14 × 10 × 40 = 5,600 names, the common ones most often
# (Nguyễn is about one person in three), so a name search finds what it would in a real province.
FAMILY = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 3 + ["Phạm", "Hoàng", "Võ", "Phan", "Đặng", "Bùi", "Đỗ"]
FAMILY += ["Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Xuân", "Thanh"]
GIVEN = [
    "An", "Bình", "Cường", "Dung", "Đức", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan",
    "Linh", "Long", "Mai", "Nam", "Nga", "Ngân", "Nhung", "Phong", "Phúc", "Phương", "Quân", "Quyên", "Sơn",
    "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tú", "Tuấn", "Vân", "Việt", "Vinh", "Xuân", "Yến", "Hòa",
]  # fmt: skip


def person_name(i: int) -> str:
    """Return applicant i's name: the same i always gets the same name."""
    family, rest = FAMILY[i % len(FAMILY)], i // len(FAMILY)
    return f"{family} {MIDDLE[rest % len(MIDDLE)]} {GIVEN[(rest // len(MIDDLE)) % len(GIVEN)]}"


def scale() -> float:
    """Return BENCH_SCALE, the multiplier of every benchmark's default count."""
    return float(os.environ.get("BENCH_SCALE", "1"))


def timing_row(name: str, samples_ms: Sequence[float], **extra: Any) -> dict[str, Any]:
    """Summarise per-operation times (ms) as a table row: count, throughput, median and p99."""
    total_s = sum(samples_ms) / 1000
    p99 = statistics.quantiles(samples_ms, n=100)[98] if len(samples_ms) > 1 else samples_ms[0]
    return {
        "name": name,
        "n": len(samples_ms),
        "per_s": len(samples_ms) / total_s if total_s else None,
        "ms_median": statistics.median(samples_ms),
        "ms_p99": p99,
        **extra,
    }


class QueryCounter:
    """Count the SQL statements sent through Django (savepoints included; BEGIN and COMMIT are not)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)

    def take(self) -> int:
        """Return the count since the last call, and start again from zero."""
        count, self.count = self.count, 0
        return count


def _read(name: str) -> dict[str, Any]:
    return json.loads((ROOT / name).read_text(encoding="utf-8"))


def bench_staff(org: dict[str, Any]) -> list[dict[str, Any]]:
    """One counter officer per service point and one specialist per agency, so any desk can be queried."""
    desks = [
        {
            "username": f"bench.desk.{p['code']}",
            "roles": [{"role": "counter_officer", "service_point": p["code"]}],
        }
        for p in org["service_points"]
    ]
    specialists = [
        {"username": f"bench.cv.{a['code']}", "roles": [{"role": "specialist", "agency": a["code"]}]}
        for a in org["agencies"]
        if a.get("is_active", True)
    ]
    return desks + specialists


def load_province(extra_procedures: Sequence[dict[str, Any]] = ()) -> None:
    """Import the demo province, its staff plus the bench staff, and the demo catalog (idempotent)."""
    from motcua.catalog.importing import import_catalog
    from motcua.org.importing import import_org

    fields = import_catalog(_read("catalog/data/fields.json"))
    if not fields.ok:
        raise RuntimeError(f"fields: {fields.errors}")
    org = _read("org/data/demo_province.json")
    org["staff"] = org["staff"] + bench_staff(org)
    import_org(org)
    catalog = _read("catalog/data/demo_procedures.json")
    catalog["procedures"] += list(extra_procedures)
    report = import_catalog(catalog)
    if not report.ok:
        raise RuntimeError(f"catalog: {report.errors}")


def _dossier_tables() -> list[str]:
    """The dossiers app's tables and every table that points at them, referencing tables first."""
    from django.apps import apps

    everything = apps.get_models(include_auto_created=True)
    found = set(apps.get_app_config("dossiers").get_models(include_auto_created=True))
    while grown := {m for m in everything if m not in found and _points_at(m, found)}:
        found |= grown  # e.g. the notification outbox and watches, which refer to dossiers
    ordered = []
    while found:
        free = {m for m in found if not any(_points_at(other, {m}) for other in found - {m})}
        if not free:
            raise RuntimeError(f"circular references between {found}")
        ordered += sorted(m._meta.db_table for m in free)
        found -= free
    return ordered


def _points_at(model: Any, targets: set[Any]) -> bool:
    return any(f.related_model in targets for f in model._meta.concrete_fields if f.is_relation)


def clear_dossiers() -> None:
    """Empty the dossier tables, so each benchmark starts from the same state whatever ran before."""
    tables = _dossier_tables()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # seconds instead of minutes after a million dossiers
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def database_size() -> int:
    """Return the size of the whole database in bytes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA page_count")
        pages = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA page_size")
        return pages * int(cursor.fetchone()[0])


@dataclass(frozen=True)
class Route:
    """One procedure as received at one point: where its dossiers go."""

    point_id: int
    point_agency_id: int
    point_agency_code: str
    version_id: int
    procedure_id: int
    lead_id: int
    days: int


def routes() -> dict[str, list[Route]]:
    """For each service point, the procedures it receives and their lead agency, as intake would check."""
    from motcua.catalog.models import ProcedureVersion
    from motcua.core.errors import NotFound
    from motcua.dossiers.routing import lead_agency_for
    from motcua.org.models import ServicePoint

    versions = list(ProcedureVersion.objects.filter(received_at_centre=True).select_related("procedure"))
    found: dict[str, list[Route]] = {}
    for point in ServicePoint.objects.filter(code__in=POINT_WEIGHTS).select_related("agency", "unit"):
        served = set(point.served_agencies.values_list("pk", flat=True)) | {point.agency_id}
        for version in versions:
            try:
                lead = lead_agency_for(version, point)
            except NotFound:
                continue
            if version.boundary_free or lead.pk in served:
                days = max(1, int(version.time_limit_amount or 1))
                found.setdefault(point.code, []).append(
                    Route(
                        point.pk,
                        point.agency_id,
                        point.agency.code,
                        version.pk,
                        version.procedure_id,
                        lead.pk,
                        days,
                    )
                )
    return found


@dataclass
class Generated:
    """What `generate` wrote, and a sample the queries draw their random codes from."""

    dossiers: int
    applicants: int
    steps: int
    events: int
    seconds: float
    lookups: list[tuple[str, str]] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)


def _ts(moment: dt.datetime | None, postgres: bool) -> str | None:
    """Format a naive UTC moment as each backend stores an aware datetime (text, UTC)."""
    if moment is None:
        return None
    return moment.isoformat(" ") + ("+00:00" if postgres else "")


def _write(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Bulk rows into one table: COPY on PostgreSQL (several times faster), executemany on SQLite."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # the psycopg cursor
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


DOSSIER_COLUMNS = [
    "id", "code", "lookup_secret", "status", "channel", "procedure_version_id", "procedure_id",
    "receiving_point_id", "receiving_agency_id", "lead_agency_id", "applicant_id", "applicant_snapshot",
    "applicant_search", "representative", "form_data", "delivery", "delivery_address", "sets", "fee_due_vnd",
    "book_number",
    "submitted_at", "received_at", "clock_started_at", "transferred_at", "due_at", "original_due_at",
    "result_ready_at", "finished_at", "outcome", "version", "created_at", "updated_at",
]  # fmt: skip
STEP_COLUMNS = [
    "dossier_id", "stage", "branch", "position", "attempt", "name", "agency_id", "role", "days",
    "counts_time", "status", "started_at", "due_at", "completed_at", "outcome", "comment",
]  # fmt: skip
EVENT_COLUMNS = [
    "dossier_id", "at", "action", "actor_name", "agency_id", "from_status", "to_status", "comment",
    "data", "public",
]  # fmt: skip
APPLICANT_COLUMNS = ["id", "kind", "id_number", "name", "address", "phone", "email", "updated_at"]


class _Batch:
    """The rows of one batch of dossiers: the dossiers, and the steps and events of the open ones."""

    def __init__(self, rng: random.Random, routes: dict[str, list[Route]], n: int, n_applicants: int) -> None:
        self.rng, self.routes, self.n, self.n_applicants = rng, routes, n, n_applicants
        self.postgres = connection.vendor == "postgresql"
        self.sequence: Counter[tuple[str, str]] = Counter()  # (agency, day) -> last number, as CodeSequence
        self.dossiers: list[tuple[Any, ...]] = []
        self.steps: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []

    def build(self, first_id: int, count: int, out: Generated) -> None:
        rng = self.rng
        self.dossiers, self.steps, self.events = [], [], []
        points = rng.choices(list(POINT_WEIGHTS), weights=list(POINT_WEIGHTS.values()), k=count)
        closed = rng.choices(list(CLOSED), weights=list(CLOSED.values()), k=count)
        for offset, (point, status) in enumerate(zip(points, closed, strict=True)):
            pk, route = first_id + offset, rng.choice(self.routes[point])
            # Ids follow time, as in a real table (it matters for the heap's locality and the planner);
            # the open dossiers are among the last RECENT days' ones.
            age = DAYS * (self.n - pk) / self.n
            if age < RECENT and rng.random() < OPEN_WHEN_RECENT:
                status = rng.choices(list(OPEN), weights=list(OPEN.values()))[0]
            received = END - dt.timedelta(days=int(age), hours=rng.randrange(9), minutes=rng.randrange(60))
            due = received + dt.timedelta(days=route.days + route.days * 2 // 5)  # working days ≈ 1.4 days
            self.dossiers.append(self._dossier(pk, route, status, received, due))
            if rng.random() < LOOKUP_SAMPLE / self.n:
                out.lookups.append(self.dossiers[-1][1:3])  # (code, secret)
            out.statuses[status] += 1
            if status in WITH_STEPS:
                self._work(pk, route, status, received, due)

    def _code(self, route: Route, received: dt.datetime) -> str:
        day = (received + dt.timedelta(hours=7)).strftime("%y%m%d")  # the code's day is Vietnam's
        self.sequence[(route.point_agency_code, day)] += 1
        return f"{route.point_agency_code}-{day}-01{self.sequence[(route.point_agency_code, day)]:04d}"

    def _dossier(
        self, pk: int, route: Route, status: str, received: dt.datetime, due: dt.datetime
    ) -> tuple[Any, ...]:
        rng, pg = self.rng, self.postgres
        code, secret = self._code(route, received), "".join(rng.choices(LOOKUP_ALPHABET, k=10))
        is_open, got = status in OPEN_STATUSES, status not in NOT_RECEIVED
        finished = None if is_open else received + dt.timedelta(days=rng.randrange(1, route.days + 3))
        outcome = ("early" if finished <= due else "late") if status == "returned" and finished else ""
        channel = "online" if not got or rng.random() < 0.3 else "counter"
        at, until = _ts(received, pg), _ts(due, pg) if got else None
        applicant = rng.randrange(self.n_applicants) + 1
        name = person_name(applicant)
        return (
            pk, code, secret, status, channel, route.version_id, route.procedure_id, route.point_id,
            route.point_agency_id, route.lead_id, applicant, json.dumps({"kind": "person", "name": name}),
            padded(name), "{}", "{}", "counter", "", 1, 0, "", at if channel == "online" else None,
            at if got else None, at if got else None, at if got else None, until, until,
            _ts(finished, pg) if status == "returned" else None, _ts(finished, pg), outcome, 1, at,
            _ts(finished or received, pg),
        )  # fmt: skip

    def _work(self, pk: int, route: Route, status: str, received: dt.datetime, due: dt.datetime) -> None:
        """Three steps (receive, handle, return) and the receive and transfer events."""
        at, point, lead = _ts(received, self.postgres), route.point_agency_id, route.lead_id
        handling = {"received": "pending", "result_ready": "done"}.get(status, "active")
        done = handling == "done"
        back = "active" if status == "result_ready" else "pending"
        self.steps += [
            (pk, 1, "", 1, 1, "Tiếp nhận hồ sơ", point, "counter_officer", "0.25", True, "done", at, at, at,
             "on_time", ""),
            (pk, 2, "", 2, 1, "Thẩm định, giải quyết hồ sơ", lead, "specialist", str(route.days), True,
             handling, None if handling == "pending" else at, _ts(due, self.postgres), at if done else None,
             "on_time" if done else "", ""),
            (pk, 3, "", 3, 1, "Trả kết quả", point, "counter_officer", "0", False, back,
             at if back == "active" else None, None, None, "", ""),
        ]  # fmt: skip
        self.events.append((pk, at, "receive", "Bench", point, "", "received", "", "{}", True))
        if status != "received":
            self.events.append(
                (pk, at, "transfer", "Bench", point, "received", "in_progress", "", "{}", True)
            )


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them past the rows just written."""
    from django.core.management.color import no_style

    from motcua.dossiers.models import Applicant, Dossier, DossierEvent, DossierStep

    statements = connection.ops.sequence_reset_sql(
        no_style(), [Applicant, Dossier, DossierStep, DossierEvent]
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def generate(n: int, *, seed: int = 42) -> Generated:
    """Empty the dossier tables and write `n` synthetic dossiers in batches, one transaction per batch."""
    rng = random.Random(seed)
    clear_dossiers()
    started = time.perf_counter()
    n_applicants = max(1, n // 2)
    out = Generated(dossiers=n, applicants=n_applicants, steps=0, events=0, seconds=0.0)
    stamp = _ts(END, connection.vendor == "postgresql")
    for first in range(0, n_applicants, BATCH):
        people = range(first + 1, min(first + BATCH, n_applicants) + 1)
        with transaction.atomic():
            _write(
                "dossiers_applicant",
                APPLICANT_COLUMNS,
                [(i, "person", f"0{i:011d}", person_name(i), "", "", "", stamp) for i in people],
            )
    batch = _Batch(rng, routes(), n, n_applicants)
    for first in range(0, n, BATCH):
        batch.build(first + 1, min(BATCH, n - first), out)
        with transaction.atomic():
            _write("dossiers_dossier", DOSSIER_COLUMNS, batch.dossiers)
            _write("dossiers_dossierstep", STEP_COLUMNS, batch.steps)
            _write("dossiers_dossierevent", EVENT_COLUMNS, batch.events)
        out.steps += len(batch.steps)
        out.events += len(batch.events)
    _reset_sequences()
    with connection.cursor() as cursor:
        # A settled table, as autovacuum leaves a real one: statistics, and on PostgreSQL the visibility
        # map that lets counts use index-only scans (VACUUM runs outside a transaction: autocommit here).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    out.seconds = time.perf_counter() - started
    return out
