"""Queued messages wake the workers once per transaction, and never pile up delivery tasks."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from motcua.notify.models import OutboxMessage
from motcua.notify.services import Draft, queue
from motcua.notify.tasks import deliver_outbox, delivery_waiting

# Real commits: inside a test's own transaction the on-commit hooks of earlier blocks never clear.
pytestmark = pytest.mark.django_db(transaction=True)


def _draft(n: int) -> Draft:
    return Draft(
        source=f"wake-test:{n}", kind="received", channel="sms", recipient=f"+849100000{n:02d}", body="x"
    )


def _delivery_tasks() -> int:
    return DBTaskResult.objects.filter(task_path=deliver_outbox.module_path).count()


def test_one_transaction_registers_one_wake_up() -> None:
    with transaction.atomic():
        queue([_draft(1)])
        queue([_draft(2), _draft(3)])
        assert len(transaction.get_connection().run_on_commit) == 1
    assert OutboxMessage.objects.count() == 3
    assert _delivery_tasks() == 1


def test_a_waiting_delivery_run_is_enough() -> None:
    for n in range(3):
        with transaction.atomic():
            queue([_draft(n)])
    assert delivery_waiting()
    assert _delivery_tasks() == 1
    # Once a worker has started the run, a new commit needs a run of its own.
    DBTaskResult.objects.update(status="RUNNING")
    assert not delivery_waiting()
    with transaction.atomic():
        queue([_draft(9)])
    assert _delivery_tasks() == 2


def test_a_repeated_message_is_written_once() -> None:
    with transaction.atomic():
        assert queue([_draft(1)]) == 1
        queue([_draft(1)])
    assert OutboxMessage.objects.count() == 1
