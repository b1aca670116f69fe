from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.models import StoredFile
from motcua.dossiers.uploads import sweep_orphan_files
from motcua.feedback.models import FeedbackFile


class Command(BaseCommand):
    help = (
        "Delete uploaded files that no dossier or feedback row points at (an intake or a feedback that "
        "failed after storing its files), once they are older than --hours (default 24). Safe to run "
        "daily and twice at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=float, default=24.0, help="minimum age of a file to remove")
        parser.add_argument("--dry-run", action="store_true", help="list what would be removed, keep it")

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep_orphan_files(
            older_than=dt.timedelta(hours=options["hours"]),
            dry_run=options["dry_run"],
            stores=[("dossiers", StoredFile), ("feedback", FeedbackFile)],
        )
        verb = "would remove" if options["dry_run"] else "removed"
        self.stdout.write(f"{verb}: {len(result.removed)}; old files still in use: {result.kept}")
        for path in result.removed:
            self.stdout.write(f"  × {path}")
