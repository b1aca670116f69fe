"""The board of leaders and directors: workload by status and agency, late work, on-time rates."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.dossiers.access import staff_dossiers
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.selectors import agency_rows, due_list, horizon, month_bounds, status_counts
from motcua.dossiers.views.charts import agency_bars, donut
from motcua.dossiers.views.common import acting_user, staff, staff_view
from motcua.feedback.selectors import satisfaction
from motcua.org.context import BOARD_ROLES
from motcua.signing.selectors import certificate_notices


def _month(request: HttpRequest, today: dt.date) -> tuple[int, int]:
    raw = request.GET.get("thang", "")
    try:
        year, month = (int(part) for part in raw.split("-", 1))
        if 2000 <= year <= today.year + 1 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def _recent_months(today: dt.date, count: int = 12) -> list[tuple[str, str]]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((f"{year}-{month:02d}", f"{month:02d}/{year}"))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


@staff_view
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """Counts, charts and lists over the dossiers of the user's scope, for one month."""
    session = staff(request)
    if session.role not in BOARD_ROLES:
        raise Http404
    today = timezone.localdate()
    year, month = _month(request, today)
    start, end = month_bounds(year, month)
    h = horizon()
    dossiers = staff_dossiers(request.user, session.scope)  # type: ignore[arg-type]
    statuses = status_counts(dossiers, start, end)
    agencies = agency_rows(dossiers, start, end, h.now)
    resolved = sum(r.resolved for r in agencies)
    on_time = sum(r.on_time for r in agencies)
    parts = [(s.value, str(s.label), statuses.get(s.value, 0)) for s in Status]
    context = {
        "month": f"{year}-{month:02d}",
        "month_label": f"{month:02d}/{year}",
        "months": _recent_months(today),
        "received": sum(r.received for r in agencies),
        "resolved": resolved,
        "on_time": on_time,
        "late_resolved": sum(r.late for r in agencies),
        "rate": on_time / resolved if resolved else None,
        "open": sum(r.open for r in agencies),
        "overdue": sum(r.overdue for r in agencies),
        "agencies": agencies,
        "bars": agency_bars(agencies),
        "segments": donut(parts),
        "status_total": sum(statuses.values()),
        "late_list": due_list(dossiers, before=h.now),
        "soon_list": due_list(dossiers, before=h.soon_until, after=h.now),
        "horizon": h,
        # Decision 766's satisfaction indicators and the 75 % goal: two queries (feedback/selectors.py).
        "satisfaction": satisfaction(scope=session.scope, dossiers=dossiers, start=start, end=end),
        # Seals (and her own certificate) about to stop signing: one query (signing/selectors.py).
        "certificate_notices": certificate_notices(
            user=acting_user(request), scope=session.full_scope, now=h.now
        ),
    }
    return render(request, "dossiers/board/page.html", context)
