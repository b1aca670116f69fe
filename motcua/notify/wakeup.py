"""Make sure a delivery run starts once a transaction that queued messages commits, with no read after it.

With the database task backend the check is done inside the transaction, once per transaction:

- A delivery run that is waiting (READY and runnable now) is enough, provided no worker claims it before
  we commit: it would read the outbox too early and miss our rows. On PostgreSQL the check takes a
  `FOR KEY SHARE` lock on the run it finds. The worker claims with `SELECT … FOR UPDATE SKIP LOCKED`,
  which conflicts with that lock, so it skips the run until we commit and then sees our rows. KEY SHARE
  locks do not conflict with each other: desks queuing at the same moment do not wait for one another.
  If a worker is claiming the run at that very moment (it holds FOR UPDATE), our SELECT waits for its
  claim to commit and, under READ COMMITTED (Django's default), re-checks the row: it is RUNNING now,
  so it is not returned and we enqueue a run of our own.
  On SQLite our transaction holds the database write lock (BEGIN IMMEDIATE, see settings), and the
  worker claims inside a write transaction too, so it cannot claim anything before we commit.
- If no run is waiting, we enqueue one in the transaction (django-tasks-db inserts the task row at
  once, in the current transaction): it becomes visible to workers when, and only if, our rows do.

"Once per transaction": the check leaves a mark, a no-op on-commit hook. Django keeps such hooks with
exactly the lifetime we need: they are dropped when the transaction commits or rolls back, and when a
savepoint they were registered under rolls back, which also removes the task row the check may have
inserted, so the next `queue()` checks again. (Like Django's own hooks, the mark does not follow manual
`transaction.savepoint()` calls: only nested `atomic()` blocks. MotCua uses no manual savepoints.)

In inline delivery (DEBUG, `make run`) and with a task backend other than the database one, nothing
useful can happen inside the transaction: messages are delivered, or a run is enqueued, after commit.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from motcua.core.rows import read_together
from motcua.notify import conf

if TYPE_CHECKING:
    from django_tasks.base import Task


class _WaitingRun:
    """A `rows.Query` for the id of a delivery run that is waiting and may start now (none or one)."""

    def statement(self, **values: Any) -> tuple[str, list[Any]]:
        """Return the SQL and its arguments; `now` may be given, else it is the current time."""
        connection = connections[DEFAULT_DB_ALIAS]
        adapt = connection.ops.adapt_datetimefield_value
        task = _task()
        now = values.get("now") or timezone.now()
        args = [task.module_path, task.queue_name, adapt(now), adapt(get_date_max())]
        return _waiting_run_sql(connection.vendor), args

    def instances(self, fetched: Iterable[Sequence[Any]]) -> list[uuid.UUID]:
        """Return the ids of the runs found (SQLite gives them as hex text, PostgreSQL as UUIDs)."""
        return [uuid.UUID(str(row[0])) for row in fetched]


WAITING_RUN = _WaitingRun()


@functools.cache
def _waiting_run_sql(vendor: str) -> str:
    table = connections[DEFAULT_DB_ALIAS].ops.quote_name(DBTaskResult._meta.db_table)
    # The status and run_after conditions are the worker's own test of a task that may run now.
    sql = (
        f"SELECT id FROM {table} WHERE status = 'READY' AND task_path = %s AND queue_name = %s"
        " AND (run_after <= %s OR run_after = %s) LIMIT 1"
    )
    return f"{sql} FOR KEY SHARE" if vendor == "postgresql" else sql


def delivery_run_due() -> bool:
    """Tell whether this transaction must still run WAITING_RUN and pass its rows to `ensure_delivery_run`."""
    return _checks_inside() and not _marked(_checked)


def ensure_delivery_run(found: Sequence[Any] | None = None) -> None:
    """Make sure a delivery run starts after this transaction commits and sees what it wrote.

    `found` is what WAITING_RUN returned, run by the caller in a batch of its own in this transaction;
    None runs it here when this transaction has not done so yet. Outside a transaction, call this after
    the messages are written (or in the same batch as their INSERT), as `queue()` does.
    """
    if not _checks_inside():
        if not _marked(wake_workers):
            # After commit only: a rolled-back change sends nothing. If waking fails, the sweeper
            # (notify_deliver) still finds the rows, so robust=True only logs the error.
            connections[DEFAULT_DB_ALIAS].on_commit(wake_workers, robust=True)
        return
    if _marked(_checked):
        return
    if found is None:
        [found] = read_together((WAITING_RUN, {}))
    if not found:
        _task().enqueue()
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:  # outside one, on_commit would just run the no-op now
        connection.on_commit(_checked)


def wake_workers() -> None:
    """After commit: deliver now in this process (inline), or enqueue a run (another task backend)."""
    if conf.get().delivery == "inline":
        from motcua.notify.services.delivery import deliver_due

        deliver_due(budget_seconds=10)
        return
    _task().enqueue()


def _checked() -> None:
    """Mark a transaction that made sure of a delivery run (see the module docstring); nothing to run."""


def _marked(hook: Any) -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.in_atomic_block and any(entry[1] is hook for entry in connection.run_on_commit)


def _checks_inside() -> bool:
    """Whether the run is made sure of inside the transaction: workers, on the database task backend."""
    return conf.get().delivery != "inline" and isinstance(_task().get_backend(), DatabaseBackend)


def _task() -> Task[[], Any]:
    # Imported late: the task module imports the delivery service, which imports the outbox, which
    # imports this module.
    from motcua.notify.tasks import deliver_outbox

    return deliver_outbox
