"""Sign the e-receipts still unsigned with the collecting agency's seal (cron, every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.payments.services import sign_waiting_receipts


class Command(BaseCommand):
    help = (
        "Sign every paid e-receipt not signed yet with its collecting agency's active seal (the task queued "
        "with the payment normally does it at once): those whose agency had no seal, whose seal had "
        "expired or whose timestamp authority did not answer. A receipt that still cannot be signed keeps "
        "its reason. Safe to run twice at once: a receipt another worker is signing is skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="most receipts in one run")
        parser.add_argument("--quiet", action="store_true", help="print only failures")

    def handle(self, *args: Any, **options: Any) -> None:
        sweep = sign_waiting_receipts(limit=options["limit"])
        if not options["quiet"] or sweep.unsigned:
            self.stdout.write(
                f"signed: {len(sweep.signed)}; not signed: {len(sweep.unsigned)}; "
                f"skipped (busy): {sweep.skipped}"
            )
        for receipt, code in sweep.unsigned:
            self.stderr.write(f"  × {receipt}: {code}")
