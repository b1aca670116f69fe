"""Create an API token for a user and print its key, which is never shown again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.api.auth import issue_token


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print the key (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help='What will use the key, e.g. "Phần mềm đất đai".')
        parser.add_argument(
            "--days", type=int, default=None, help="Expire after this many days (default never)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        if not options["name"].strip():
            raise CommandError("--name must not be empty.")
        expires = timezone.now() + dt.timedelta(days=options["days"]) if options["days"] else None
        token, key = issue_token(user=user, name=options["name"], expires_at=expires)
        self.stderr.write(f"Token {token.key_prefix}… for {user.get_username()}; store the key now:")
        self.stdout.write(key)
