from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from motcua.notify.services.watch import run_watch


class Command(BaseCommand):
    help = (
        "Warn step holders and unit leaders before a step is due, escalate late steps to agency "
        "leaders, tell agencies an apology may be due, mark overdue dossiers, warn agencies of feedback due "
        "soon or late. Each warning is given "
        "once; safe to run every minute, and twice at once."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="print only the counts")

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_watch()
        counts = report.counts()
        self.stdout.write(
            f"due soon: {counts['due_soon']}; late, escalated: {counts['late']}; "
            f"apology due: {counts['apology_due']}; marked overdue: {counts['overdue']}; "
            f"feedback due soon: {counts['feedback_due_soon']}; feedback late: {counts['feedback_late']}"
        )
        if options["quiet"]:
            return
        for label, lines in vars(report).items():
            for line in lines:
                self.stdout.write(f"  {label}: {line}")
