"""Warn before signing certificates expire, and when their CA revokes one (cron, daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.signing.services.watch import watch_certificates


class Command(BaseCommand):
    help = (
        "Tell the agency's leaders and the province administrators (a seal), or the officer and her "
        "agency's leaders (a personal certificate), once per threshold of MOTCUA_SIGNING_EXPIRY_WARN_DAYS "
        "before an active certificate expires, and once when it has expired; with revocation checks on "
        "(MOTCUA_SIGNING_REVOCATION), ask the CAs and tell them once when one is revoked. Safe to rerun and "
        "to run twice at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="print only the counts and problems")

    def handle(self, *args: Any, **options: Any) -> None:
        report = watch_certificates()
        revocation = (
            "revocation not checked (MOTCUA_SIGNING_REVOCATION=off)"
            if report.revocation_off
            else f"revocation checked: {report.checked}; revoked: {len(report.revoked)}; "
            f"could not check: {len(report.unknown)}"
        )
        self.stdout.write(f"expiring: {len(report.warned)}; expired: {len(report.expired)}; {revocation}")
        lines = [("expiring", report.warned), ("expired", report.expired), ("revoked", report.revoked)]
        if not options["quiet"]:
            for label, found in lines:
                for line in found:
                    self.stdout.write(f"  {label}: {line}")
        for line in report.unknown:  # a CA that does not answer: not an alarm, but worth a look
            self.stdout.write(f"  could not check: {line}")
