"""One 5-step inter-agency process run by our services and by SpiffWorkflow 3, in the same database.

The process: receive at the counter, two reviews in parallel (the commune committee and the commune
police), the committee leader's approval, return of the result.

- ours: a procedure with that process (stage 2 has two branches) imported through `import_catalog`,
  run through `receive_dossier`, `complete_step` ×3, then `mark_result_ready` + `hand_over_result`
  (the return step is two service calls, counted as one step).
- spiff: `bench/bpmn/interagency.bpmn` (start → receive → parallel split → review A, review B → join →
  approve → return → end, user tasks), as an engine-backed system would run it: per step, one
  transaction that reads the instance's state row, deserialises it (BpmnWorkflowSerializer), runs the
  task and the engine steps after it, and writes the state back as JSON (`bench_spiff_state`).

Both do one transaction per step (ours: two for the return) and run instance after instance, the two
sides taking turns in rounds of ten instances so that the machine's changing speed weighs on both; each
side first runs one instance that is not timed (caches warm up once per server, not per dossier). On
PostgreSQL each row also splits its median into the wait for the server and the rest (Python). Spiff keeps
only its state blob; ours also writes the dossier, its steps and events, checks access and computes
deadlines: the ratio says what that costs, it is not a like-for-like engine comparison.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import logging
import statistics
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from bench.synthetic_province import ROOT, QueryCounter, clear_dossiers, load_province, scale, timing_row

INSTANCES = 100
ROUND = 10
VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.datetime(2025, 11, 3, 8, 0, tzinfo=VN)  # a Monday morning: dossiers are transferred at once
BPMN = Path(__file__).resolve().parent / "bpmn" / "interagency.bpmn"
CODE = "2.999901"  # not a real procedure: no catalog uses the 2.9999xx block
POINT = "ttpvhcc-thanhsen"
# Who does each step at the Thành Sen commune centre (demo province staff).
OFFICER, REVIEW_A, REVIEW_B, LEADER = "motcua.thanhsen", "cv.tuphap.thanhsen", "ca.thanhsen", "ct.thanhsen"
SPIFF_STEPS = ["receive", "review_a", "review_b", "approve", "return_result"]


def procedure() -> dict[str, Any]:
    """The bench procedure, in the catalog exchange format: 2.002621's record with a 5-step process."""
    catalog = json.loads((ROOT / "catalog/data/demo_procedures.json").read_text(encoding="utf-8"))
    record = copy.deepcopy(next(p for p in catalog["procedures"] if p["code"] == "2.002621"))
    record["code"], record["name"] = (
        CODE,
        "Thủ tục liên thông mẫu (đo hiệu năng): thẩm định song song hai cơ quan",
    )

    def step(
        stage: int, branch: str, name: str, actor: dict[str, Any], role: str, days: str
    ) -> dict[str, Any]:
        counts = days != "0"
        return {"stage": stage, "branch": branch, "name": name, "actor": actor, "role": role, "days": days,
                "counts_time": counts}  # fmt: skip

    record["process"] = [
        step(1, "", "Tiếp nhận hồ sơ", {"receiving": True}, "counter_officer", "0.25"),
        step(2, "a", "Ủy ban nhân dân xã thẩm định", {"local": "committee"}, "specialist", "1"),
        step(2, "b", "Công an xã xác minh", {"local": "police"}, "specialist", "1"),
        step(3, "", "Lãnh đạo phê duyệt", {"lead": True}, "agency_leader", "0.5"),
        step(4, "", "Trả kết quả", {"receiving": True}, "counter_officer", "0"),
    ]
    return record


class _ServerWait:
    """Time spent waiting for PostgreSQL (psycopg's `Connection.wait`: round trips, the server's work,
    COMMIT's flush), so each row can say how much of a step was the database and how much Python."""

    def __init__(self) -> None:
        self.ms = 0.0

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        if connection.vendor != "postgresql":
            yield
            return
        import psycopg

        original = psycopg.Connection.wait

        def wait(conn: Any, gen: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(conn, gen, *args, **kwargs)
            finally:
                self.ms += (time.perf_counter() - started) * 1000

        psycopg.Connection.wait = wait  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            psycopg.Connection.wait = original  # type: ignore[method-assign]

    def take(self) -> float:
        ms, self.ms = self.ms, 0.0
        return ms


class _Clock:
    """Time each step, count its queries and its wait for the server, by kind of step."""

    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}
        self.waits: dict[str, list[float]] = {}
        self.queries: dict[str, int] = {}
        self.counter = QueryCounter()
        self.server = _ServerWait()

    def step(self, kind: str, action: Callable[[], Any]) -> Any:
        self.counter.take()
        self.server.take()
        started = time.perf_counter()
        with connection.execute_wrapper(self.counter), self.server.watching():
            result = action()
        self.samples.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        self.waits.setdefault(kind, []).append(self.server.take())
        self.queries[kind] = self.queries.get(kind, 0) + self.counter.take()
        return result

    def rows(self, prefix: str) -> list[dict[str, Any]]:
        return [
            timing_row(
                f"{prefix}{kind}",
                samples,
                queries=self.queries[kind] / len(samples),
                **self._split(kind),
            )
            for kind, samples in self.samples.items()
        ]

    def _split(self, kind: str) -> dict[str, float]:
        """Median wait for the server and the rest (Python, ours or Spiff's), PostgreSQL only."""
        if connection.vendor != "postgresql":
            return {}
        waits = self.waits[kind]
        rest = [total - wait for total, wait in zip(self.samples[kind], waits, strict=True)]
        return {"server_ms_median": statistics.median(waits), "python_ms_median": statistics.median(rest)}

    def all(self) -> list[float]:
        return [ms for samples in self.samples.values() for ms in samples]


def _give_back(code: str, officer: Any, now: dt.datetime) -> None:
    """The return step: the result reaches the desk, then the applicant."""
    from motcua.dossiers import services

    services.mark_result_ready(code=code, actor=officer, results=[], now=now)
    services.hand_over_result(code=code, actor=officer, now=now)


def _ours(numbers: range, clock: _Clock) -> None:
    from motcua.core.models import User
    from motcua.dossiers import services
    from motcua.dossiers.models import StepStatus
    from motcua.org.models import ServicePoint

    point = ServicePoint.objects.select_related("agency", "unit").get(code=POINT)
    users = {u.username: u for u in User.objects.filter(username__in=[OFFICER, REVIEW_A, REVIEW_B, LEADER])}
    for i in numbers:
        # Monday mornings (8:00–10:00), a week apart every 120 dossiers: always transferred at once.
        now = START + dt.timedelta(weeks=i // 120, minutes=i % 120)
        data = services.IntakeIn(
            procedure_code=CODE,
            applicant=services.ApplicantIn(name="Lê Thị Hoa", id_number=f"0420{i:08d}", phone="0912345678"),
            provided=[0, 1, 3],
        )
        receive = partial(services.receive_dossier, data=data, point=point, actor=users[OFFICER], now=now)
        dossier = clock.step("receive_dossier", receive)
        complete = partial(services.complete_step, code=dossier.code, now=now)
        # Finding the step rows is what the specialist's queue page does, not part of the step.
        branches = {s.branch: s.pk for s in dossier.steps.filter(status=StepStatus.ACTIVE)}
        for branch, who in (("a", REVIEW_A), ("b", REVIEW_B)):
            clock.step(
                "complete_step (review)", partial(complete, step_id=branches[branch], actor=users[who])
            )
        approval = dossier.steps.get(status=StepStatus.ACTIVE, stage=3).pk
        clock.step("complete_step (approve)", partial(complete, step_id=approval, actor=users[LEADER]))
        clock.step(
            "mark_result_ready + hand_over_result", partial(_give_back, dossier.code, users[OFFICER], now)
        )


def _spiff() -> Callable[[range, _Clock], int]:
    """Prepare the BPMN process; return a runner that saves its serialised state after every step.

    The runner takes instance numbers and a clock, and returns the largest state it saved (bytes). The
    caller drops the `bench_spiff_state` table afterwards.
    """
    from SpiffWorkflow.bpmn.parser import BpmnParser
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    parser = BpmnParser()
    parser.add_bpmn_file(str(BPMN))
    spec = parser.get_spec("interagency")  # parsed once, as a server would cache it
    serializer = BpmnWorkflowSerializer()
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""  # SQLite locks the file instead
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_spiff_state")
        cursor.execute("CREATE TABLE bench_spiff_state (id integer PRIMARY KEY, state text NOT NULL)")

    def run_task(workflow: BpmnWorkflow, name: str) -> None:
        task = next(
            t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.name == name
        )
        task.run()
        workflow.do_engine_steps()

    def binding_cursor() -> Any:
        """A cursor that lets PostgreSQL keep the plans of repeated statements, as our side's do."""
        if connection.vendor != "postgresql":
            return connection.cursor()
        import psycopg

        connection.ensure_connection()
        return connection.make_cursor(psycopg.Cursor(connection.connection))  # server-side binding

    @transaction.atomic
    def start(pk: int) -> str:
        workflow = BpmnWorkflow(spec)
        workflow.do_engine_steps()
        run_task(workflow, SPIFF_STEPS[0])
        state = serializer.serialize_json(workflow)
        with binding_cursor() as cursor:
            cursor.execute("INSERT INTO bench_spiff_state (id, state) VALUES (%s, %s)", (pk, state))
        return state

    @transaction.atomic
    def advance(pk: int, name: str) -> BpmnWorkflow:
        with binding_cursor() as cursor:
            cursor.execute(f"SELECT state FROM bench_spiff_state WHERE id = %s{lock}", (pk,))
            workflow = serializer.deserialize_json(cursor.fetchone()[0])
            run_task(workflow, name)
            cursor.execute(
                "UPDATE bench_spiff_state SET state = %s WHERE id = %s",
                (serializer.serialize_json(workflow), pk),
            )
        return workflow

    def runner(numbers: range, clock: _Clock) -> int:
        size = 0
        quiet = logging.getLogger("spiff")
        level, quiet.level = quiet.level, logging.WARNING  # it logs every task state change at INFO
        try:
            for pk in numbers:
                size = max(size, len(clock.step("start + receive", partial(start, pk + 1)).encode()))
                for name in SPIFF_STEPS[1:]:
                    workflow = clock.step(name.split("_")[0], partial(advance, pk + 1, name))
                if not workflow.is_completed():
                    raise RuntimeError("the BPMN process did not reach its end event")
        finally:
            quiet.level = level
        return size

    return runner


def run(instances: int | None = None) -> list[dict[str, Any]]:
    """Run the same process through our services and through SpiffWorkflow; compare steps per second."""
    instances = instances or max(2, round(INSTANCES * scale()))
    load_province(extra_procedures=[procedure()])
    clear_dossiers()
    ours, spiff, size = _Clock(), _Clock(), 0
    run_spiff = _spiff()
    # One instance each, not timed, first: the first dossier fills the reference caches (calendar,
    # catalog, templates) and the first Spiff instance its own; a server does that once, not per dossier.
    _ours(range(instances, instances + 1), _Clock())
    run_spiff(range(instances, instances + 1), _Clock())
    # Alternate in rounds of ROUND instances, so that a shared machine speeding up or slowing down
    # weighs on both sides alike: the ratio is what this benchmark is for.
    for first in range(0, instances, ROUND):
        numbers = range(first, min(first + ROUND, instances))
        _ours(numbers, ours)
        size = max(size, run_spiff(numbers, spiff))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_spiff_state")
    clear_dossiers()
    ours_ms, spiff_ms = ours.all(), spiff.all()
    ratio = (sum(spiff_ms) / len(spiff_ms)) / (sum(ours_ms) / len(ours_ms))
    queries = sum(ours.queries.values()) / len(ours_ms), sum(spiff.queries.values()) / len(spiff_ms)
    return [
        timing_row(
            f"ours: {instances} dossiers × 5 steps", ours_ms, queries=queries[0], our_over_spiff=ratio
        ),
        *ours.rows("  ours: "),
        timing_row(
            f"spiff: {instances} × 5 steps, {size / 1024:.0f} KB state",
            spiff_ms,
            queries=queries[1],
            our_over_spiff=1.0,
        ),
        *spiff.rows("  spiff: "),
    ]
