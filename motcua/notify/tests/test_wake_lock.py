"""A waiting delivery run cannot be claimed before the transaction that counted on it commits (PostgreSQL).

The worker's claim is played from a thread with its own connection, exactly as db_worker runs it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from django.db import connection, connections, transaction
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from motcua.notify.models import OutboxMessage
from motcua.notify.services import Draft, queue
from motcua.notify.tasks import deliver_outbox

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

T = TypeVar("T")


@pytest.fixture(autouse=True)
def _postgres_only() -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: on SQLite the desk's write lock keeps workers out anyway")
    yield


def _draft(n: int) -> Draft:
    return Draft(
        source=f"lock-test:{n}", kind="received", channel="sms", recipient=f"+8491200{n:04d}", body="x"
    )


def _ready_runs() -> Any:
    # db_worker --queue-name notify: the same queryset, the same claim.
    return DBTaskResult.objects.ready().filter(backend_name="default", queue_name__in=["notify"])


def _claim() -> tuple[str | None, int]:
    """Claim a run as a worker does; return its id and how many messages it then sees in the outbox."""
    with exclusive_transaction():
        run = _ready_runs().get_locked()
        if run is None:
            return None, 0
        run.claim("test-worker")
    return str(run.id), OutboxMessage.objects.count()


def _start(work: Callable[[], T]) -> Callable[[], T]:
    """Run `work` in a thread on a connection of its own; return a function awaiting its result."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # raised again in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()

    def result() -> T:
        thread.join(timeout=30)
        assert not thread.is_alive(), "the thread is stuck"
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]  # type: ignore[no-any-return]

    return result


def _in_thread(work: Callable[[], T]) -> T:
    return _start(work)()


def test_a_worker_cannot_claim_the_waiting_run_until_the_queuing_transaction_commits() -> None:
    waiting = str(deliver_outbox.enqueue().id)
    with transaction.atomic():
        queue([_draft(1)])
        assert DBTaskResult.objects.count() == 1  # the waiting run is enough: none enqueued
        assert _in_thread(_claim) == (None, 0)
    # Claimed after the commit, the run sees the message.
    assert _in_thread(_claim) == (waiting, 1)


def test_desks_queuing_at_the_same_time_do_not_wait_for_each_other() -> None:
    deliver_outbox.enqueue()
    with transaction.atomic():
        queue([_draft(1)])

        def other_desk() -> int:
            with transaction.atomic():
                return queue([_draft(2)])

        # KEY SHARE locks do not conflict: the other desk commits while this one is still open.
        assert _in_thread(other_desk) == 1
    assert DBTaskResult.objects.count() == 1


def test_a_run_being_claimed_meanwhile_is_not_counted_on() -> None:
    deliver_outbox.enqueue()
    claimed, release = threading.Event(), threading.Event()

    def slow_worker() -> None:
        with exclusive_transaction():
            run = _ready_runs().get_locked()
            assert run is not None
            run.claim("slow-worker")
            claimed.set()
            release.wait(20)

    def desk() -> int:
        with transaction.atomic():
            return queue([_draft(1)])

    worker = _start(slow_worker)
    assert claimed.wait(20)
    desk_done = _start(desk)
    try:
        _wait_for_a_lock_wait()  # the desk's check waits for the claim to commit
    finally:
        release.set()
    worker()
    assert desk_done() == 1
    # The desk saw the run turn RUNNING under its lock and enqueued one of its own.
    states = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert states == ["READY", "RUNNING"]


def _wait_for_a_lock_wait() -> None:
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    pytest.fail("the desk's check never waited for the worker's claim")
