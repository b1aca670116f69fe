"""Forget the answers kept for `Idempotency-Key` replays once they are older than a day (run daily)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.api.idempotency import KEEP_FOR, purge_idempotency_records


class Command(BaseCommand):
    help = (
        "Delete idempotency records older than --hours (default: the 24 hours a client may replay a "
        "request). Safe to run at any time, and twice at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        hours = KEEP_FOR.total_seconds() / 3600
        parser.add_argument("--hours", type=float, default=hours, help="age of the records to delete")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = purge_idempotency_records(dt.timedelta(hours=options["hours"]))
        self.stdout.write(f"idempotency records removed: {removed}")
