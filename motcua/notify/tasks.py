"""The background task workers run (`python manage.py db_worker --queue-name notify`)."""

from __future__ import annotations

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
