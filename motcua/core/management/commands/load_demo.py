from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.demo import DEMO_PASSWORD, load_demo
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Load or refresh the demo province (Hà Tĩnh) with its catalog, calendar and demo accounts."

    def handle(self, *args: object, **options: object) -> None:
        try:
            report = load_demo()
        except DomainError as exc:
            errors = exc.fields.get("errors") or [exc.message]
            raise CommandError(
                "\n".join([_("Could not load the demo data:"), *(f"  - {e}" for e in errors)])
            ) from exc
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        width = max(len(u) for u, _, _ in report.logins)
        for username, name, roles in report.logins:
            self.stdout.write(f"  {username.ljust(width)}  {name}  [{roles}]")
        self.stdout.write("")
        self.stdout.write("  Admin: http://127.0.0.1:8000/admin/   API: http://127.0.0.1:8000/api/docs")
