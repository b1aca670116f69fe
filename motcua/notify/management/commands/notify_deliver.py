from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from motcua.notify.services.delivery import deliver_due


class Command(BaseCommand):
    help = (
        "Deliver due outbox messages (and take back those a dead worker left half-sent), then exit. "
        "The sweeper behind the workers: run it every minute from cron or a systemd timer, or with "
        "--loop as a worker of its own. --enqueue N only wakes N db_worker tasks instead."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep delivering until stopped")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls with --loop")
        parser.add_argument("--max-seconds", type=float, default=None, help="stop after this long")
        parser.add_argument("--limit", type=int, default=None, help="deliver at most this many messages")
        parser.add_argument("--enqueue", type=int, default=0, metavar="N", help="enqueue N delivery tasks")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from motcua.notify.tasks import deliver_outbox

            for _ in range(options["enqueue"]):
                deliver_outbox.enqueue()
            self.stdout.write(f"enqueued {options['enqueue']} delivery task(s)")
            return
        started = time.monotonic()
        budget = options["max_seconds"]
        while True:
            left = None if budget is None else max(budget - (time.monotonic() - started), 0.1)
            report = deliver_due(budget_seconds=left, limit=options["limit"])
            if report.sent or report.retried or report.failed or report.recovered or not options["loop"]:
                self.stdout.write(
                    f"sent: {report.sent}; to retry: {report.retried}; failed: {report.failed}; "
                    f"taken back from dead workers: {report.recovered}"
                )
            if not options["loop"] or (budget is not None and time.monotonic() - started >= budget):
                return
            if not report.more:
                time.sleep(options["interval"])
