"""Renew the archive timestamps (PAdES B-LTA) of stored signed files before their TSA's certificate
expires (cron, daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.signing.services.archive import renew_due_archives


class Command(BaseCommand):
    help = (
        "Add a new archive timestamp (PAdES B-LTA) to every stored signed file whose latest timestamp "
        "comes from a timestamp authority certificate expiring within MOTCUA_SIGNING_ARCHIVE_RENEW_DAYS "
        "days, as a new file beside it. Needs MOTCUA_SIGNING_TSA_URL and revocation checks. Idempotent and "
        "safe to run twice at once: a dossier another worker holds is skipped until the next run. Exit "
        "status 1 when the TSA or the CA did not answer for a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=200, help="most files in one run")
        parser.add_argument("--quiet", action="store_true", help="print only problems")

    def handle(self, *args: Any, **options: Any) -> None:
        sweep = renew_due_archives(limit=options["limit"])
        if sweep.reason:
            if not options["quiet"]:
                self.stdout.write(f"nothing done: {sweep.reason}")
            return
        problems = bool(sweep.failed or sweep.too_late)
        if not options["quiet"] or problems:
            self.stdout.write(
                f"renewed: {len(sweep.renewed)}; failed: {len(sweep.failed)}; "
                f"too late: {len(sweep.too_late)}; not due: {sweep.not_due}; "
                f"skipped (busy or done elsewhere): {sweep.skipped}"
            )
        for copy in sweep.renewed:
            if not options["quiet"]:
                self.stdout.write(f"  ✓ {copy.dossier.code}: {copy.original_name} (file {copy.pk})")
        for stored, code in sweep.failed:
            self.stderr.write(f"  × {stored.dossier.code}: {stored.original_name} (file {stored.pk}): {code}")
        for stored in sweep.too_late:
            self.stderr.write(
                f"  × {stored.dossier.code}: {stored.original_name} (file {stored.pk}): too_late, "
                "the certificate of its timestamp authority has expired"
            )
        if sweep.failed:
            raise SystemExit(1)  # tried again tomorrow; a file renewed too late cannot be, and says so above
