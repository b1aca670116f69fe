"""Ask the payment gateway about online orders whose callback never came (cron, every few minutes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.payments.conf import payment_conf
from motcua.payments.services import reconcile_waiting


class Command(BaseCommand):
    help = (
        "Ask the payment gateway how every online order waiting longer than --minutes (default "
        "MOTCUA_PAYMENT_RECONCILE_MINUTES, 15) stands, and record what it answers as its callback "
        "would. An order the gateway cannot be asked about is logged and skipped. Safe to run twice at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=float, default=None, help="ask about orders older than this")
        parser.add_argument("--limit", type=int, default=500, help="most orders asked about in one run")
        parser.add_argument("--quiet", action="store_true", help="print only failures")

    def handle(self, *args: Any, **options: Any) -> None:
        if not payment_conf().can_query:
            if not options["quiet"]:
                self.stdout.write("the payment gateway cannot be asked (no query address): nothing to do")
            return
        minutes = options["minutes"]
        sweep = reconcile_waiting(
            older_than=dt.timedelta(minutes=minutes) if minutes is not None else None, limit=options["limit"]
        )
        if not options["quiet"] or sweep.failed:
            self.stdout.write(
                f"asked: {sweep.asked}; recorded: {len(sweep.recorded)}; still open: {len(sweep.pending)}; "
                f"failed: {len(sweep.failed)}"
            )
        for order_id, code in sweep.failed:
            self.stderr.write(f"  × {order_id}: {code}")
