"""`manage.py catalog import|export|search`: the catalog exchange file and Vietnamese search."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.exporting import export_catalog, export_catalog_csv
from motcua.catalog.importing import ImportReport, import_catalog, import_catalog_csv
from motcua.catalog.selectors import search_procedures
from motcua.core.errors import DomainError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at must be a date YYYY-MM-DD; got {value!r}") from None


class Command(BaseCommand):
    help = "Import or export the procedure catalog (docs/catalog-format.md), or search it."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        imp = actions.add_parser("import", help="Import a JSON document (or the flat CSV with --csv).")
        imp.add_argument("file", help='path, or "-" for standard input')
        imp.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        imp.add_argument("--csv", action="store_true", help="the file is the flat CSV")
        exp = actions.add_parser("export", help="Export the catalog as JSON (or the flat CSV with --csv).")
        exp.add_argument("file", help='path, or "-" for standard output')
        exp.add_argument("--csv", action="store_true", help="write the flat CSV (versions in force)")
        exp.add_argument("--at", help="only versions in force on this date (YYYY-MM-DD)")
        search = actions.add_parser("search", help="Search procedures in force, best matches first.")
        search.add_argument("query")
        search.add_argument("--limit", type=int, default=20)
        search.add_argument("--at", help="search the catalog as it was on this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _import(self, options: dict[str, Any]) -> None:
        text = self._read(options["file"])
        if options["csv"]:
            report = import_catalog_csv(text, dry_run=options["dry_run"])
        else:
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise CommandError(f"{options['file']}: not JSON ({exc})") from None
            report = import_catalog(data, dry_run=options["dry_run"])
        self._report(report)

    def _report(self, report: ImportReport) -> None:
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if report.errors:
            listed = "\n".join(f"  {error}" for error in report.errors)
            raise CommandError(f"{len(report.errors)} error(s), nothing imported:\n{listed}")
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _export(self, options: dict[str, Any]) -> None:
        at = _date(options["at"]) if options["at"] else None
        if options["csv"]:
            text = export_catalog_csv(at=at)
        else:
            text = json.dumps(export_catalog(at=at), ensure_ascii=False, indent=2) + "\n"
        if options["file"] == "-":
            self.stdout.write(text, ending="")
        else:
            Path(options["file"]).write_text(text, encoding="utf-8")

    def _search(self, options: dict[str, Any]) -> None:
        at = _date(options["at"]) if options["at"] else None
        try:
            versions = list(search_procedures(options["query"], at=at, limit=options["limit"]))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for rank, version in enumerate(versions, start=1):
            self.stdout.write(
                f"{rank:>3}. {version.procedure.code:<14} {version.name} [{version.field.name}]"
            )
        if not versions:
            self.stdout.write("no procedure in force matches")

    def _read(self, path: str) -> str:
        if path == "-":
            return sys.stdin.read()
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from None
