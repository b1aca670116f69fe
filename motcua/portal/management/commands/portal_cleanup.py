"""Delete stale one-time codes and the files of online filings left unfinished; run it daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.portal.filing import discard_stale_drafts
from motcua.portal.otp import purge_codes


class Command(BaseCommand):
    help = "Delete one-time codes older than a day and draft uploads older than --draft-days (default 7)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--draft-days", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        codes = purge_codes()
        drafts = discard_stale_drafts(older_than=dt.timedelta(days=options["draft_days"]))
        self.stdout.write(f"{codes} one-time codes and {drafts} draft files deleted")
