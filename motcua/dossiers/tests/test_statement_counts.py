"""Each routine operation on a dossier runs a small, fixed number of SQL statements (pinned here).

Counted: every execute Django sends inside the operation, savepoints included, BEGIN/COMMIT not. On
PostgreSQL the reference token, the lock and the steps go as one batch, and so do the step, dossier
and event writes.
A change that adds reads per operation (an ORM query in a loop, a relation loaded twice) fails here;
the benchmark `bench.dossier_workflow` shows what each statement costs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, StepStatus

from .conftest import at, birth_bundle

NOW = at("2025-11-03 09:00")
OUTSIDE = ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")


def writes(statements: int) -> int:
    """Round trips for an operation's step, dossier and event writes: batched on PostgreSQL."""
    return 1 if connection.vendor == "postgresql" else statements


def lock_and_steps() -> int:
    """Round trips for the reference token, the locked dossier and its steps: one batch on PostgreSQL."""
    return 1 if connection.vendor == "postgresql" else 3


@pytest.fixture
def dossier(people, points):
    return services.receive_dossier(
        data=birth_bundle(), point=points["ttpvhcc-thanhsen"], actor=people["motcua.thanhsen"], now=NOW
    )


def _statements(action: Callable[[], Any]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return [q["sql"] for q in captured.captured_queries if q["sql"] not in OUTSIDE]


def _active(dossier) -> dict[str, Any]:
    return {s.branch or "main": s for s in dossier.steps.filter(status=StepStatus.ACTIVE)}


def _complete(dossier, branch: str, who) -> list[str]:
    step = _active(dossier)[branch]
    return _statements(lambda: services.complete_step(code=dossier.code, step_id=step.pk, actor=who, now=NOW))


def test_steps_are_taken_and_completed_in_a_few_statements(dossier, people):
    [review] = _active(dossier).values()
    specialist = people["cv.tuphap.thanhsen"]
    took = _statements(
        lambda: services.take_step(code=dossier.code, step_id=review.pk, actor=specialist, now=NOW)
    )
    # savepoint, reference token, actor's roles (first time), dossier (locked), its steps, then step,
    # dossier and event, release; webhook endpoints come from the reference cache
    assert len(took) == 3 + lock_and_steps() + writes(3), took
    # Her roles are cached now: token, dossier, steps, the point (first time), then the step, the three
    # steps it opens, the dossier and the event; the calendar comes from the reference cache.
    assert len(_complete(dossier, "main", specialist)) == 3 + lock_and_steps() + writes(6)
    # Another specialist (roles read): her step, the branch's next step, dossier, event.
    assert len(_complete(dossier, "cu-tru", people["ca.thanhsen"])) == 3 + lock_and_steps() + writes(4)
    # The last branch but one: nothing opens; a leader's roles also read the divisions under her agency.
    assert len(_complete(dossier, "cu-tru", people["ld.ca.thanhsen"])) == 4 + lock_and_steps() + writes(3)


def test_results_are_ready_and_handed_over_in_a_few_statements(dossier, people):
    _complete(dossier, "main", people["cv.tuphap.thanhsen"])
    _complete(dossier, "ho-tich", people["ct.thanhsen"])
    _complete(dossier, "cu-tru", people["ca.thanhsen"])
    _complete(dossier, "cu-tru", people["ld.ca.thanhsen"])
    _complete(dossier, "bhyt", people["cv.bhxh"])
    _complete(dossier, "bhyt", people["ld.bhxh"])
    officer = people["motcua.thanhsen"]
    ready = _statements(
        lambda: services.mark_result_ready(code=dossier.code, actor=officer, results=[], now=NOW)
    )
    # savepoint, token, dossier (the officer's roles are cached since the receipt), then dossier, event
    # and the applicant's contact preference together; the rest of the message (the names of procedure,
    # point and agency in one read, the templates), outbox, release
    assert len(ready) == 4 + lock_and_steps() + writes(3), ready
    handed = _statements(lambda: services.hand_over_result(code=dossier.code, actor=officer, now=NOW))
    # the same, with the return step closed; roles, names and templates come from the caches now
    assert len(handed) == 3 + lock_and_steps() + writes(4), handed


def test_a_receipt_writes_each_row_once_in_a_few_statements(dossier, people, points):
    applicant = dataclasses.replace(birth_bundle().applicant, id_number="042090077777")
    receipt = _statements(
        lambda: services.receive_dossier(
            data=birth_bundle(applicant=applicant, uploads=[]),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            now=NOW,
        )
    )
    # savepoint, token; the applicant (inserted if new, read) and the code's number together (with the
    # dossier's id on PostgreSQL); the dossier, its events, documents and steps and the applicant's
    # contact preference together; the receipt message (outbox); release
    assert len(receipt) == 4 + writes(3) + writes(5), "\n".join(q[:70] for q in receipt)
    written = Dossier.objects.get(applicant__id_number="042090077777")
    assert written.steps.count() == 8 and written.documents.count() == 4 and written.events.count() == 2
