"""Vietnamese catalog search over 5,000 procedures: median and p99 latency of typical queries.

Runs inside the throw-away database that `python -m bench` sets up; everything it writes is rolled
back at the end.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from motcua.org.models import Agency

N_PROCEDURES = 5000
REPEATS = 50
AT = dt.date(2025, 7, 1)


def _org() -> Agency:
    from motcua.org.models import AdministrativeUnit, Agency, UnitLevel

    tinh, _ = UnitLevel.objects.get_or_create(code="tinh", defaults={"name": "Tỉnh", "rank": 1})
    UnitLevel.objects.get_or_create(code="xa", defaults={"name": "Xã, phường", "rank": 3})
    unit, _ = AdministrativeUnit.objects.get_or_create(
        code="bench-42", defaults={"name": "Tỉnh", "level": tinh}
    )
    agency, _ = Agency.objects.get_or_create(
        code="HB42.10",
        defaults={"name": "Sở Tư pháp", "kind": "department", "sector": "justice", "unit": unit},
    )
    return agency


def _cases(agency: Agency) -> list[tuple[str, Callable[[], int]]]:
    from motcua.catalog.selectors import search_procedures

    def search(query: str, **filters: Any) -> Callable[[], int]:
        return lambda: len(list(search_procedures(query, at=AT, limit=20, **filters)))

    def api_page() -> int:
        # What GET /api/v1/procedures does: a count, then one page with its levels.
        versions = search_procedures("cap giay", at=AT, limit=None)
        versions.count()
        return len(list(versions.prefetch_related("levels")[20:40]))

    return [
        ("phrase 'dang ky khai sinh'", search("dang ky khai sinh")),
        ("diacritics 'Đăng ký thường trú'", search("Đăng ký thường trú")),
        ("two words 'giay phep'", search("giay phep")),
        ("five words 'cap lai giay chung nhan'", search("cap lai giay chung nhan")),
        ("one short word 'xa'", search("xa")),
        ("exact code '1.899001'", search("1.899001")),
        ("no match 'khong co thu tuc nay'", search("khong co thu tuc nay")),
        ("field + level, no words", search("", field="ho-tich", level="tinh")),
        ("agency (fixed refs)", search("cap", agency=agency)),
        ("api page 2: count + 20 rows", api_page),
    ]


def _time(name: str, case: Callable[[], int], repeats: int) -> dict:
    for _ in range(3):
        matches = case()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        case()
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "name": name,
        "n": repeats,
        "median_ms": statistics.median(samples),
        "p99_ms": statistics.quantiles(samples, n=100)[98],
        "matches": matches,
    }


def run(n_procedures: int = N_PROCEDURES, repeats: int = REPEATS) -> list[dict]:
    """Build a synthetic catalog, time the searches, roll everything back."""
    from motcua.catalog.synthetic import build_catalog

    rows = []
    with transaction.atomic():
        agency = _org()
        started = time.perf_counter()
        build_catalog(n_procedures, lead=agency)
        build_ms = (time.perf_counter() - started) * 1000
        rows.append(
            {"name": f"build {n_procedures} procedures", "n": 1, "median_ms": build_ms, "p99_ms": build_ms}
        )
        rows += [_time(name, case, repeats) for name, case in _cases(agency)]
        transaction.set_rollback(True)
    return rows
