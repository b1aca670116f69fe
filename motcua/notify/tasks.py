"""The background task workers run (`python manage.py db_worker --queue-name notify`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from motcua.notify import conf
from motcua.notify.services.delivery import deliver_due


@task(queue_name="notify")
def deliver_outbox() -> dict[str, int | bool]:
    """Deliver every due message; if the time budget runs out first, queue another run and stop."""
    report = deliver_due(budget_seconds=conf.get().task_budget)
    if report.more:
        # A long backlog is shared out in turns, so one task never holds a worker for hours.
        deliver_outbox.enqueue()
    return report.as_dict()


def delivery_waiting() -> bool:
    """Tell whether a delivery run is queued and not started yet (database task backend only)."""
    from django.db import connection
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    if not isinstance(deliver_outbox.get_backend(), DatabaseBackend):
        return False
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    never = connection.ops.adapt_datetimefield_value(get_date_max())
    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    with connection.cursor() as cursor:
        # The status and run_after conditions are the worker's own test of a task that may run now.
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE status = 'READY' AND task_path = %s AND queue_name = %s"
            " AND (run_after <= %s OR run_after = %s) LIMIT 1",
            [deliver_outbox.module_path, deliver_outbox.queue_name, now, never],
        )
        return cursor.fetchone() is not None
