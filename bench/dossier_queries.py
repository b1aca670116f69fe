"""Work queues and the public look-up over a province of 1,000,000 dossiers: median and p99 latency.

`bench.synthetic_province.generate` writes the dossiers (BENCH_DOSSIERS, default 1,000,000). Then up to
200 requests of each kind, each with a random desk, agency or dossier (a row stops early, with a smaller
n, once it has run BENCH_QUERY_BUDGET seconds, default 60: a missing index must not stall the run):

- through the API, with Django's test Client (session login, JSON rendered):
  (a) a counter desk's work queue: GET /api/v1/dossiers?status=<open…>&page_size=50 as a counter
      officer (her point only, open statuses, by due_at; with the count for the pager);
  (b) a specialist's queue: GET /api/v1/dossiers?holder=me&page_size=50 as a specialist of one agency;
  (c) the public look-up: GET /api/v1/lookup/<code>?secret=<secret>, no login;
  (d) a desk's search by applicant name: GET /api/v1/dossiers?q=<family and given name, typed without
      diacritics> (the synthetic applicants have 5,600 different names, Nguyễn for one in three);
- the bare queries under them, to tell the database's share from the request's: (a) the desk's page and
  count through `access.staff_dossiers`; (b) the active steps of one agency by their due_at, and the
  dossiers those steps belong to by the dossier's due_at; (c) one dossier by code + secret and its
  public events; (d) the name search's page;
- the leaders' report pages (motcua.reports), 20 requests each: (e) the provincial centre director's
  results for June 2026 by field, (f) the province's last twelve months by agency, (g) the province's
  Decision 766 scorecard for June.
The open-queue partial indexes this benchmark once proposed are in the schema now (dossiers migration
0002: `dossier_point_open_due`, `dossier_agency_open_due`), so (a) measures them directly.

BENCH_EXPLAIN=1 writes each bare query's plan to stderr.
"""

from __future__ import annotations

import os
import random
import sys
import time
import warnings
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.test import Client, override_settings

from bench.synthetic_province import (
    OPEN_STATUSES,
    clear_dossiers,
    database_size,
    generate,
    load_province,
    person_name,
    timing_row,
)

DOSSIERS = 1_000_000
REPEATS = 200
WARM_UP = 5
PAGE = 50
BY_DUE = (F("due_at").asc(nulls_last=True), "code")  # as the API orders: undated (not received) last
REPORT_REPEATS = 20  # a report reads a month or a year of dossiers: fewer samples, still a median
Cases = list[Callable[[], Any]]


def _desk_queue(officer: Any) -> QuerySet[Any]:
    from motcua.dossiers.access import staff_dossiers

    return staff_dossiers(officer).filter(status__in=OPEN_STATUSES)


def _desk_page(officer: Any) -> QuerySet[Any]:
    return _desk_queue(officer).order_by(*BY_DUE)[:PAGE]


def _name_search(case: tuple[Any, str]) -> QuerySet[Any]:
    """A desk's search by applicant name, as the API's `q` runs it: every word at a word start."""
    from motcua.dossiers.access import staff_dossiers
    from motcua.dossiers.selectors import applicant_named

    officer, typed = case
    return staff_dossiers(officer).filter(applicant_named(typed)).order_by(*BY_DUE)[:PAGE]


def _typed_name(rng: random.Random, applicants: int) -> str:
    """What an officer types for an applicant: family and given name, without diacritics."""
    from motcua.catalog.text import normalize_vietnamese

    words = person_name(rng.randrange(applicants) + 1).split()
    return normalize_vietnamese(f"{words[0]} {words[-1]}")


def _desk_count(officer: Any) -> int:
    return _desk_queue(officer).count()


def _rows(query: Callable[[Any], QuerySet[Any]], argument: Any) -> int:
    """Run a query and fetch its rows, as a page would."""
    return len(list(query(argument)))


def _step_queue(agency_id: int) -> QuerySet[Any]:
    from motcua.dossiers.models import DossierStep, StepStatus
    from motcua.org.models import Role

    steps = DossierStep.objects.filter(agency_id=agency_id, status=StepStatus.ACTIVE)
    return steps.exclude(role=Role.COUNTER_OFFICER).select_related("dossier").order_by("due_at")[:PAGE]


def _held_dossiers(agency_id: int) -> QuerySet[Any]:
    """What holder=me could run: the dossiers of the agency's active steps, without the visibility OR."""
    from motcua.dossiers.models import Dossier, DossierStep, StepStatus
    from motcua.org.models import Role

    steps = DossierStep.objects.filter(agency_id=agency_id, status=StepStatus.ACTIVE)
    held = steps.exclude(role=Role.COUNTER_OFFICER).values("dossier_id")
    return Dossier.objects.filter(pk__in=held).order_by(*BY_DUE)[:PAGE]


def _lookup(code: str, secret: str) -> QuerySet[Any]:
    from motcua.dossiers.models import Dossier

    return Dossier.objects.filter(code=code, lookup_secret=secret)


def _look_up(code: str, secret: str) -> int:
    dossier = _lookup(code, secret).first()
    if dossier is None:
        raise RuntimeError(f"look-up of {code} found nothing")
    return len(list(dossier.events.filter(public=True).order_by("at", "id")))


def _get(client: Client, url: str, data: dict[str, Any] | None = None) -> int:
    response = client.get(url, data)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} {data}: {response.status_code} {response.content[:300]!r}")
    return len(response.content)


def _time(name: str, cases: Cases) -> dict[str, Any]:
    """Run the cases in their (random) order after a short warm-up, within the time budget."""
    budget = float(os.environ.get("BENCH_QUERY_BUDGET", "60"))
    started = time.perf_counter()
    for case in cases[:WARM_UP]:
        case()
        if time.perf_counter() - started > budget / 10:
            break
    samples: list[float] = []
    started = time.perf_counter()
    for case in cases:
        begun = time.perf_counter()
        case()
        samples.append((time.perf_counter() - begun) * 1000)
        if time.perf_counter() - started > budget and len(samples) >= 2:
            break
    return timing_row(name, samples)


def _people() -> tuple[list[Any], list[tuple[int, Any]]]:
    """The bench counter officers, and (agency id, specialist) for every agency holding active steps."""
    from motcua.core.models import User
    from motcua.dossiers.models import DossierStep, StepStatus
    from motcua.org.models import Role, StaffRole

    officers = list(User.objects.filter(username__startswith="bench.desk.").order_by("username"))
    active = DossierStep.objects.filter(status=StepStatus.ACTIVE).exclude(role=Role.COUNTER_OFFICER)
    busy = set(active.values_list("agency_id", flat=True).distinct())
    roles = StaffRole.objects.filter(
        role=Role.SPECIALIST, agency_id__in=busy, user__username__startswith="bench.cv."
    ).select_related("user")
    pairs = [(r.agency_id, r.user) for r in roles if r.agency_id is not None]
    return officers, sorted(pairs, key=lambda pair: pair[0])


def explain(officer: Any, agency_id: int, code: str, secret: str) -> dict[str, str]:
    """Return the plan of each bare query, as the database chooses it."""
    return {
        "desk queue page": _desk_page(officer).explain(),
        "desk queue count": _desk_queue(officer).order_by().values("pk").explain(),
        "specialist step queue": _step_queue(agency_id).explain(),
        "dossiers held by an agency": _held_dossiers(agency_id).explain(),
        "look-up": _lookup(code, secret).explain(),
    }


def _logged_in(users: list[Any]) -> dict[int, Client]:
    clients = {}
    for user in users:
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    return clients


def _cases(
    rng: random.Random,
    officers: list[Any],
    specialists: list[tuple[int, Any]],
    lookups: list[tuple[str, str]],
    applicants: int,
) -> dict[str, Cases]:
    """The random picks of each row, drawn once so that the proposed-index rows replay the same ones."""
    desks = [rng.choice(officers) for _ in range(REPEATS)]
    staff = [rng.choice(specialists) for _ in range(REPEATS)]
    codes = [rng.choice(lookups) for _ in range(REPEATS)]
    searches = [(rng.choice(officers), _typed_name(rng, applicants)) for _ in range(REPEATS)]
    clients = _logged_in(officers + [user for _, user in specialists])
    public = Client()
    queue = {"status": OPEN_STATUSES, "page_size": PAGE}
    held = {"holder": "me", "page_size": PAGE}
    api = "/api/v1/dossiers"
    return {
        "API (a) desk queue: open, by due_at, 50 + count": [
            partial(_get, clients[o.pk], api, queue) for o in desks
        ],
        "API (b) specialist: holder=me, 50 + count": [
            partial(_get, clients[u.pk], api, held) for _, u in staff
        ],
        "API (c) public look-up by code + secret": [
            partial(_get, public, f"/api/v1/lookup/{c}", {"secret": s}) for c, s in codes
        ],
        "API (d) desk search by applicant name, 50 + count": [
            partial(_get, clients[o.pk], api, {"q": typed, "page_size": PAGE}) for o, typed in searches
        ],
        "query (a) desk page: staff_dossiers, open, 50": [partial(_rows, _desk_page, o) for o in desks],
        "query (a) desk count": [partial(_desk_count, o) for o in desks],
        "query (b) active steps of one agency, 50": [partial(_rows, _step_queue, a) for a, _ in staff],
        "query (b) their dossiers by due_at, 50": [partial(_rows, _held_dossiers, a) for a, _ in staff],
        "query (c) look-up: dossier + public events": [partial(_look_up, c, s) for c, s in codes],
        "query (d) name search, 50": [partial(_rows, _name_search, case) for case in searches],
    }


def _report_cases() -> dict[str, Cases]:
    """Leaders' reports over the synthetic province's last month (June 2026) and last twelve months."""
    from motcua.core.models import User

    director, province = (User.objects.get(username=name) for name in ("giamdoc.ttpvhcc", "admin.tinh"))
    clients = _logged_in([director, province])
    june = {"ky": "month", "nam": "2026", "so": "6", "theo": "field"}
    year = {"ky": "days", "nam": "2026", "tu": "2025-07-01", "den": "2026-06-30", "theo": "agency"}
    results, quality = "/can-bo/bao-cao/", "/can-bo/bao-cao/chi-so-chat-luong/"
    cases = {
        "page (e) report: provincial centre's director, June by field": (director, results, june),
        "page (f) report: province, twelve months by agency": (province, results, year),
        "page (g) Decision 766 scorecard: province, June": (province, quality, june),
    }
    return {
        name: [partial(_get, clients[user.pk], url, query)] * REPORT_REPEATS
        for name, (user, url, query) in cases.items()
    }


def run(n: int | None = None) -> list[dict[str, Any]]:
    """Generate the province's dossiers, then time the queues and the look-up."""
    n = n or int(os.environ.get("BENCH_DOSSIERS", DOSSIERS))
    load_province()
    made = generate(n)
    size_mb = database_size() / 1024 / 1024
    officers, specialists = _people()
    cases = _cases(random.Random(7), officers, specialists, made.lookups, made.applicants)
    if os.environ.get("BENCH_EXPLAIN"):
        for name, plan in explain(officers[0], specialists[0][0], *made.lookups[0]).items():
            sys.stderr.write(f"## {connection.vendor}: {name}\n{plan}\n\n")
    open_share = sum(made.statuses[s] for s in OPEN_STATUSES) / n
    name = f"generate: {n:,} dossiers, {made.steps:,} steps, {made.events:,} events, {open_share:.1%} open"
    rows = [
        {"name": f"{name}, DB {size_mb:,.0f} MB", "n": n, "per_s": n / made.seconds, "seconds": made.seconds}
    ]
    # The test Client's host (the settings allow none unless DEBUG); no collected static files here.
    with override_settings(ALLOWED_HOSTS=["testserver"]), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
        cases.update(_report_cases())
        rows += [_time(name, row_cases) for name, row_cases in cases.items()]
    clear_dossiers()  # the benchmarks after this one get an empty province, not a million dossiers
    return rows
