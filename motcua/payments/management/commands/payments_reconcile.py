"""Ask the payment gateway about online orders whose callback never came, and send again the refunds
whose answer was lost (cron, every few minutes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.payments.conf import payment_conf
from motcua.payments.services import reconcile_waiting, resend_waiting_refunds


class Command(BaseCommand):
    help = (
        "Ask the payment gateway how every online order waiting longer than --minutes (default "
        "MOTCUA_PAYMENT_RECONCILE_MINUTES, 15) stands, and record what it answers as its callback "
        "would; send again every refund through the gateway still waiting for its answer (the same "
        "refund id), at most MOTCUA_PAYMENT_REFUND_ATTEMPTS times. An order or refund the gateway cannot "
        "be asked about is logged and skipped. Safe to run twice at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=float, default=None, help="ask about orders older than this")
        parser.add_argument("--limit", type=int, default=500, help="most orders (and refunds) in one run")
        parser.add_argument("--quiet", action="store_true", help="print only failures")

    def handle(self, *args: Any, **options: Any) -> None:
        conf = payment_conf()
        quiet = options["quiet"]
        if not conf.can_query and not conf.can_refund:
            if not quiet:
                self.stdout.write("the payment gateway cannot be asked (no query address): nothing to do")
            return
        if conf.can_query:
            minutes = options["minutes"]
            sweep = reconcile_waiting(
                older_than=dt.timedelta(minutes=minutes) if minutes is not None else None,
                limit=options["limit"],
            )
            if not quiet or sweep.failed:
                self.stdout.write(
                    f"asked: {sweep.asked}; recorded: {len(sweep.recorded)}; "
                    f"still open: {len(sweep.pending)}; failed: {len(sweep.failed)}"
                )
            for order_id, code in sweep.failed:
                self.stderr.write(f"  × {order_id}: {code}")
        if conf.can_refund:
            refunds = resend_waiting_refunds(limit=options["limit"])
            if not quiet or refunds.failed:
                self.stdout.write(
                    f"refunds sent again: {refunds.sent}; refunded: {len(refunds.refunded)}; "
                    f"failed: {len(refunds.failed)}; asked too recently: {refunds.skipped}"
                )
            for refund_id, code in refunds.failed:
                self.stderr.write(f"  × refund {refund_id}: {code}")
