from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.org.importing import import_org


class Command(BaseCommand):
    help = "Import a province's organisation from a JSON file (docs/org-format.md). Safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        path = options["file"]
        assert isinstance(path, Path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(
                _("Could not read the file %(path)s: %(error)s") % {"path": path, "error": exc}
            ) from exc
        try:
            report = import_org(data)
        except ValidationFailed as exc:
            lines = "\n".join(f"  - {e}" for e in exc.fields.get("errors", []))
            raise CommandError(_("The file is not valid; nothing was written:") + "\n" + lines) from exc
        self.stdout.write(report.summary())
