"""Intake and step-completion throughput through the services, against plain SQL writing the same rows.

Intake: N dossiers of the inter-agency procedure 2.002621 through `services.receive_dossier` (code,
applicant, 4 documents, 8 steps, receive + transfer events, no files), then the same rows written again
by raw INSERTs (`cursor.executemany`), one transaction per dossier on both sides, so commits weigh alike.
The rows are read back from what the services wrote, so columns and counts match by construction; only
the code, the applicant's ID number and the foreign keys differ. The plain side writes the applicant,
dossier, document, step and event rows only: not the daily code-sequence UPDATE, the notification
outbox row and its task-queue row, nor any read (locks, catalog, calendar, access); those are part of
what the ratio measures.

Steps: the 6 processing steps of each dossier through `services.complete_step`, then on the plain copies
the same writes per completion (the step UPDATE, the event INSERT, the dossier version UPDATE, the UPDATE
of the steps it opened), one transaction per completion.

ratio_vs_plain_sql = our throughput / plain SQL throughput in the same run (1 would mean no overhead).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from bench.synthetic_province import QueryCounter, clear_dossiers, load_province, scale, timing_row

N = 300
VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.datetime(2025, 11, 3, 9, 0, tzinfo=VN)  # a Monday morning: each dossier is transferred at once
PROCEDURE = "2.002621"
POINT = "ttpvhcc-thanhsen"
OFFICER = "motcua.thanhsen"
StepKey = tuple[int, str, int, int]  # stage, branch, position, attempt
COUNTER = QueryCounter()  # statements the services send, for the queries column


@dataclass(frozen=True)
class Completion:
    """One `complete_step` call as the services made it, to be replayed in plain SQL."""

    dossier_id: int
    step_id: int
    now: dt.datetime
    actor_id: int


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _intake(n: int) -> tuple[list[int], list[float]]:
    from motcua.core.models import User
    from motcua.dossiers import services
    from motcua.org.models import ServicePoint

    point = ServicePoint.objects.select_related("agency", "unit").get(code=POINT)
    officer = User.objects.get(username=OFFICER)
    ids, samples = [], []
    for i in range(n):
        data = services.IntakeIn(
            procedure_code=PROCEDURE,
            applicant=services.ApplicantIn(
                name="Trần Văn Bình", id_number=f"0420{i:08d}", phone="0912345678"
            ),
            provided=[0, 1, 3],
            form_data={"child_name": "Trần Gia An", "child_birth_date": "2025-10-28"},
        )
        started = time.perf_counter()
        with connection.execute_wrapper(COUNTER):
            dossier = services.receive_dossier(
                data=data, point=point, actor=officer, now=START + dt.timedelta(seconds=i)
            )
        samples.append(_ms(started))
        ids.append(dossier.pk)
    return ids, samples


def _select(table: str, column: str, ids: list[int]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Read rows as the database returns them (no ORM conversion), so they can be written back as-is."""
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"SELECT * FROM {table} WHERE {column} IN ({marks}) ORDER BY id", ids)
        columns = [c[0] for c in cursor.description]
        return columns, cursor.fetchall()


def _insert_sql(table: str, columns: list[str], returning: bool = False) -> str:
    names = [c for c in columns if c != "id"]
    marks = ", ".join(["%s"] * len(names))
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})" + (
        " RETURNING id" if returning else ""
    )


def _without_id(columns: list[str], row: tuple[Any, ...], **changes: Any) -> tuple[Any, ...]:
    values = dict(zip(columns, row, strict=True))
    values.update(changes)
    return tuple(v for c, v in values.items() if c != "id")


def _plain_intake(service_ids: list[int]) -> tuple[dict[int, int], list[float]]:
    """Write a copy of every service dossier with raw INSERTs, one transaction per dossier."""
    d_cols, dossiers = _select("dossiers_dossier", "id", service_ids)
    a_cols, applicants = _select(
        "dossiers_applicant", "id", [r[d_cols.index("applicant_id")] for r in dossiers]
    )
    by_applicant = {r[0]: r for r in applicants}
    children = {}
    for table in ("dossiers_dossierdocument", "dossiers_dossierstep", "dossiers_dossierevent"):
        columns, rows = _select(table, "dossier_id", service_ids)
        grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in rows:
            grouped[row[columns.index("dossier_id")]].append(row)
        children[table] = (columns, grouped)
    e_cols = children["dossiers_dossierevent"][0]
    if any(
        r[e_cols.index("step_id")] for rows in children["dossiers_dossierevent"][1].values() for r in rows
    ):
        raise RuntimeError("intake events point at steps: the plain copy would need to remap them")
    copies, samples = {}, []
    for row in dossiers:
        old = dict(zip(d_cols, row, strict=True))
        applicant = by_applicant[old["applicant_id"]]
        number = "9" + applicant[a_cols.index("id_number")][1:]
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                _insert_sql("dossiers_applicant", a_cols, True),
                _without_id(a_cols, applicant, id_number=number),
            )
            applicant_id = cursor.fetchone()[0]
            changes = {"code": "P" + old["code"], "applicant_id": applicant_id}
            cursor.execute(_insert_sql("dossiers_dossier", d_cols, True), _without_id(d_cols, row, **changes))
            new_id = cursor.fetchone()[0]
            for table, (columns, grouped) in children.items():
                cursor.executemany(
                    _insert_sql(table, columns),
                    [_without_id(columns, r, dossier_id=new_id) for r in grouped[old["id"]]],
                )
        samples.append(_ms(started))
        copies[old["id"]] = new_id
    return copies, samples


def _complete_all(ids: list[int]) -> tuple[list[Completion], list[float]]:
    """Complete every processing step of each dossier through the service, as its agencies would."""
    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier, DossierStep, StepStatus
    from motcua.org.models import Role, StaffRole

    actors: dict[tuple[int, str], Any] = {}
    clock = START + dt.timedelta(hours=1)
    completions, samples = [], []
    for pk in ids:
        code = Dossier.objects.values_list("code", flat=True).get(pk=pk)
        while True:
            step = (
                DossierStep.objects.filter(dossier_id=pk, status=StepStatus.ACTIVE)
                .exclude(role=Role.COUNTER_OFFICER)
                .order_by("stage", "branch", "position")
                .first()
            )
            if step is None:
                break
            key = (step.agency_id, step.role)
            if key not in actors:
                actors[key] = StaffRole.objects.filter(agency_id=key[0], role=key[1]).order_by("pk")[0].user
            clock += dt.timedelta(seconds=1)
            started = time.perf_counter()
            with connection.execute_wrapper(COUNTER):
                services.complete_step(code=code, step_id=step.pk, actor=actors[key], now=clock)
            samples.append(_ms(started))
            completions.append(Completion(pk, step.pk, clock, actors[key].pk))
    return completions, samples


def _step_key(step: dict[str, Any]) -> StepKey:
    return (step["stage"], step["branch"], step["position"], step["attempt"])


def _plain_steps(completions: list[Completion], copies: dict[int, int]) -> tuple[list[float], float]:
    """Replay each completion's writes on the plain copies, one transaction per completion."""
    from motcua.dossiers.models import DossierStep

    fields = ["id", "dossier_id", "stage", "branch", "position", "attempt", "status", "started_at", "due_at"]
    fields += ["completed_at", "completed_by_id", "outcome", "comment"]
    service = {s["id"]: s for s in DossierStep.objects.filter(dossier_id__in=list(copies)).values(*fields)}
    opened_at: dict[tuple[int, dt.datetime], list[dict[str, Any]]] = defaultdict(list)
    for step in service.values():
        if step["started_at"] is not None:
            opened_at[(step["dossier_id"], step["started_at"])].append(step)
    plain = {
        (s["dossier_id"], _step_key(s)): s["id"]
        for s in DossierStep.objects.filter(dossier_id__in=list(copies.values())).values(*fields)
    }
    e_cols, event_rows = _select("dossiers_dossierevent", "dossier_id", list(copies))
    events = {
        r[e_cols.index("step_id")]: r for r in event_rows if r[e_cols.index("action")] == "complete_step"
    }
    adapt = connection.ops.adapt_datetimefield_value
    samples, statements = [], 0
    for done in completions:
        step, copy = service[done.step_id], copies[done.dossier_id]
        target = plain[(copy, _step_key(step))]
        event = _without_id(e_cols, events[done.step_id], dossier_id=copy, step_id=target)
        opened = [
            (adapt(o["started_at"]), adapt(o["due_at"]), plain[(copy, _step_key(o))])
            for o in opened_at.get((done.dossier_id, done.now), [])
        ]
        values = (
            step["status"],
            adapt(step["completed_at"]),
            done.actor_id,
            step["outcome"],
            step["comment"],
        )
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE dossiers_dossierstep SET status = %s, completed_at = %s, completed_by_id = %s,"
                " outcome = %s, comment = %s WHERE id = %s",
                (*values, target),
            )
            cursor.execute(_insert_sql("dossiers_dossierevent", e_cols), event)
            cursor.execute(
                "UPDATE dossiers_dossier SET version = version + 1, updated_at = %s WHERE id = %s",
                (adapt(done.now), copy),
            )
            if opened:
                cursor.executemany(
                    "UPDATE dossiers_dossierstep SET status = 'active', started_at = %s, due_at = %s"
                    " WHERE id = %s",
                    opened,
                )
        samples.append(_ms(started))
        statements += 4 if opened else 3
    return samples, statements / len(samples)


def _ratio(ours: list[float], plain: list[float]) -> float:
    """Our throughput over plain SQL's: total plain time over total service time, same counts."""
    return (sum(plain) / len(plain)) / (sum(ours) / len(ours))


def run(n: int | None = None) -> list[dict[str, Any]]:
    """Receive N dossiers and complete their steps through the services, then the same in plain SQL."""
    n = n or max(2, round(N * scale()))
    load_province()
    clear_dossiers()
    COUNTER.take()
    ids, intake_ms = _intake(n)
    intake_queries = COUNTER.take() / n
    copies, plain_intake_ms = _plain_intake(ids)
    completions, step_ms = _complete_all(ids)
    step_queries = COUNTER.take() / len(step_ms)
    plain_step_ms, plain_step_queries = _plain_steps(completions, copies)
    clear_dossiers()
    return [
        timing_row(
            "receive_dossier (8 steps, 2 events, 4 docs)",
            intake_ms,
            queries=intake_queries,
            ratio_vs_plain_sql=_ratio(intake_ms, plain_intake_ms),
        ),
        # applicant + dossier INSERT ... RETURNING, then 3 executemany (documents, steps, events)
        timing_row("  plain SQL inserts, same rows", plain_intake_ms, queries=5, ratio_vs_plain_sql=1.0),
        timing_row(
            "complete_step", step_ms, queries=step_queries, ratio_vs_plain_sql=_ratio(step_ms, plain_step_ms)
        ),
        timing_row(
            "  plain SQL, same writes", plain_step_ms, queries=plain_step_queries, ratio_vs_plain_sql=1.0
        ),
    ]
