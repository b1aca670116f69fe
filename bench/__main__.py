"""Run the benchmarks against a throw-away database and print a table.

Each benchmark module has `run() -> list[dict]`; every row has `name` plus numbers. Ratios are measured
against a baseline in the same run, never against a fixed number.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time

BENCHMARKS = [
    "bench.catalog_search",
    "bench.deadlines",
    "bench.dossier_intake",
    "bench.dossier_workflow",
    "bench.dossier_queries",
    "bench.notify_delivery",
    "bench.uploads",
]


def _setup_database() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="motcua-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.test.utils import setup_databases

    # A separate test database (created and migrated here), so a benchmark never touches real data.
    setup_databases(verbosity=0, interactive=False, keepdb=False)


def _print_table(rows: list[dict]) -> None:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    widths = {c: max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(_fmt(row.get(c)).ljust(widths[c]) for c in columns))


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def main(names: list[str]) -> int:
    _setup_database()
    from django.db import connection

    rows: list[dict] = []
    for module_name in names or BENCHMARKS:
        module = importlib.import_module(module_name)
        started = time.perf_counter()
        for row in module.run():
            rows.append({"benchmark": module_name.removeprefix("bench."), **row})
        print(f"# {module_name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(f"database: {connection.vendor}")
    _print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
