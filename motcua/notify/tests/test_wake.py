"""A transaction that queues messages makes sure of one delivery run, inside itself and once; none pile up."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from motcua.core.rows import read_together
from motcua.notify.models import MessageStatus, OutboxMessage
from motcua.notify.services import Draft, queue
from motcua.notify.tasks import deliver_outbox
from motcua.notify.wakeup import WAITING_RUN, delivery_run_due, ensure_delivery_run

# Real commits: what happens after commit, and what a rollback leaves, is the point here.
pytestmark = pytest.mark.django_db(transaction=True)

TABLE = DBTaskResult._meta.db_table


def _draft(n: int) -> Draft:
    return Draft(
        source=f"wake-test:{n}", kind="received", channel="sms", recipient=f"+849100000{n:02d}", body="x"
    )


def _runs(status: str | None = None) -> int:
    runs = DBTaskResult.objects.filter(task_path=deliver_outbox.module_path)
    return (runs.filter(status=status) if status else runs).count()


def _task_statements(captured: CaptureQueriesContext) -> list[str]:
    # On PostgreSQL the check shares a round trip with the outbox INSERT: count statements, not trips.
    statements = [s for q in captured.captured_queries for s in q["sql"].split("; ")]
    return [s for s in statements if TABLE in s]


def test_one_transaction_queuing_several_batches_checks_once_and_enqueues_one_run() -> None:
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        queue([_draft(1)])
        queue([_draft(2), _draft(3)])
        queue([_draft(4)])
        assert _runs() == 1  # enqueued inside the transaction, not after it
    statements = _task_statements(captured)
    looks = [s for s in statements if "status = 'READY'" in s]  # not the count above
    inserts = [s for s in statements if s.startswith("INSERT")]
    assert len(looks) == 1 and len(inserts) == 1
    # The commit is the last statement: nothing runs after it any more.
    assert captured.captured_queries[-1]["sql"] == "COMMIT"
    assert OutboxMessage.objects.count() == 4
    assert _runs() == 1


def test_a_waiting_run_is_enough() -> None:
    deliver_outbox.enqueue()
    for n in range(3):
        with transaction.atomic():
            queue([_draft(n)])
    assert _runs() == 1


def test_a_run_a_worker_has_started_needs_a_new_one_in_the_transaction() -> None:
    deliver_outbox.enqueue()
    DBTaskResult.objects.update(status="RUNNING")
    with transaction.atomic():
        queue([_draft(1)])
        assert _runs("READY") == 1
    assert _runs() == 2


def test_a_rolled_back_transaction_leaves_no_run_and_no_message() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        queue([_draft(1)])
        assert _runs() == 1
        raise RuntimeError("the dossier change fails")
    assert _runs() == 0 and OutboxMessage.objects.count() == 0
    # The next transaction is not fooled by the one that rolled back.
    with transaction.atomic():
        queue([_draft(2)])
    assert _runs() == 1


def test_a_rolled_back_savepoint_takes_its_run_with_it_so_the_next_queue_checks_again() -> None:
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            queue([_draft(1)])
            raise RuntimeError("this part fails")
        assert _runs() == 0 and delivery_run_due()
        queue([_draft(2)])
        assert not delivery_run_due()
    assert _runs() == 1 and OutboxMessage.objects.count() == 1


def test_a_released_savepoint_keeps_the_check() -> None:
    with transaction.atomic():
        with transaction.atomic():
            queue([_draft(1)])
        assert not delivery_run_due()
        queue([_draft(2)])
    assert _runs() == 1


def test_a_check_run_in_the_callers_batch_is_not_repeated() -> None:
    with transaction.atomic():
        assert delivery_run_due()
        [found] = read_together((WAITING_RUN, {}))
        assert found == []
        with CaptureQueriesContext(connection) as captured:
            ensure_delivery_run(found)
            queue([_draft(1)])
        assert len(_task_statements(captured)) == 1  # the INSERT of the run, no second look
        assert not delivery_run_due()
    assert _runs() == 1
    with transaction.atomic():  # a new transaction must check again
        assert delivery_run_due()


def test_the_waiting_run_query_finds_only_a_run_that_may_start_now() -> None:
    assert read_together((WAITING_RUN, {})) == [[]]
    waiting = deliver_outbox.enqueue()
    [found] = read_together((WAITING_RUN, {}))
    assert found == [uuid.UUID(waiting.id)]
    DBTaskResult.objects.update(status="RUNNING")
    assert read_together((WAITING_RUN, {})) == [[]]


def test_queuing_outside_a_transaction_still_leaves_a_run() -> None:
    queue([_draft(1)])
    assert _runs() == 1
    queue([_draft(2)])
    assert _runs() == 1


def test_a_repeated_message_is_written_once() -> None:
    with transaction.atomic():
        assert queue([_draft(1)]) == 1
        queue([_draft(1)])
    assert OutboxMessage.objects.count() == 1


@override_settings(
    NOTIFY_DELIVERY="inline",
    NOTIFY_SMS_BACKEND="console",
    NOTIFY_EMAIL_BACKEND="console",
    NOTIFY_WEBHOOK_BACKEND="console",
)
def test_inline_delivery_sends_once_the_transaction_commits_and_enqueues_nothing() -> None:
    with transaction.atomic():
        queue([_draft(1)])
        queue([_draft(2)])
        assert not delivery_run_due()
        assert OutboxMessage.objects.filter(status=MessageStatus.PENDING).count() == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert _runs() == 0


@override_settings(
    TASKS={
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "notify"]}
    }
)
def test_another_task_backend_gets_one_run_after_commit() -> None:
    backend = deliver_outbox.get_backend()
    with transaction.atomic():
        queue([_draft(1)])
        queue([_draft(2)])
        assert backend.results == []  # type: ignore[attr-defined]
    assert len(backend.results) == 1  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError), transaction.atomic():
        queue([_draft(3)])
        raise RuntimeError("rolled back")
    assert len(backend.results) == 1  # type: ignore[attr-defined]
