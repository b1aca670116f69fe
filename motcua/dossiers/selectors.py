"""Reads for the staff pages: queues, the dossier page, the board and the look-up, in constant queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.catalog.choices import RefKind
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import search_procedures
from motcua.catalog.text import search_tokens
from motcua.dossiers.access import STEP_ACTORS
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, StepStatus
from motcua.org.access import Scope
from motcua.org.models import Agency, Role, ServicePoint
from motcua.org.selectors import unit_ancestors
from motcua.workdays.deadlines import add_working_time
from motcua.workdays.selectors import calendar_for

OPEN = [Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_SUPPLEMENT, Status.RESULT_READY]
CLOCK_RUNNING = [Status.RECEIVED, Status.IN_PROGRESS]
URGENCIES = ["late", "today", "soon", "ok", "paused", "ready"]


@dataclass(frozen=True)
class Horizon:
    """The moments that sort work by urgency: now, the end of today, and one working day ahead."""

    now: dt.datetime
    end_of_today: dt.datetime
    soon_until: dt.datetime

    def urgency(self, due_at: dt.datetime | None, paused: bool = False, ready: bool = False) -> str:
        if paused:
            return "paused"
        if ready:
            return "ready"
        if due_at is None:
            return "ok"
        if due_at < self.now:
            return "late"
        if due_at < self.end_of_today:
            return "today"
        return "soon" if due_at <= self.soon_until else "ok"


def horizon(now: dt.datetime | None = None) -> Horizon:
    """Compute the urgency thresholds on the province's default office calendar."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    end = (local + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    cal = calendar_for(years=range(local.year, local.year + 2))
    # "Due soon" = within one working day: a Friday-afternoon deadline is soon on Thursday, not Monday.
    return Horizon(now=now, end_of_today=end, soon_until=add_working_time(cal, now, Decimal(1), "d"))


def urgency_case(h: Horizon, due: str = "due_at", status: str = "status") -> Case:
    return Case(
        When(**{status: Status.WAITING_SUPPLEMENT}, then=Value("paused")),
        # A result at the desk waits for the applicant: the agencies' clock has stopped.
        When(**{status: Status.RESULT_READY}, then=Value("ready")),
        When(**{f"{due}__lt": h.now}, then=Value("late")),
        When(**{f"{due}__lt": h.end_of_today}, then=Value("today")),
        When(**{f"{due}__lte": h.soon_until}, then=Value("soon")),
        default=Value("ok"),
        output_field=CharField(),
    )


# ---- My work -------------------------------------------------------------------------------------


def steps_for_actor_q(scope: Scope) -> Q | None:
    """Match the active steps this scope may act on, as access.can_act_on_step decides one by one."""
    q: Q | None = None
    for step_role, actor_roles in STEP_ACTORS.items():
        ids: set[int] = set().union(*(scope.ids_for(r) for r in actor_roles))
        if ids:
            part = Q(role=step_role, agency_id__in=ids)
            q = part if q is None else q | part
    points = scope.ids_for(Role.COUNTER_OFFICER)
    if points:
        # Counter officers hold the return steps of their points: results to mark ready and hand over.
        part = Q(role=Role.COUNTER_OFFICER, dossier__receiving_point_id__in=points)
        q = part if q is None else q | part
    return q


def work_steps(scope: Scope, h: Horizon) -> QuerySet[DossierStep]:
    """Active steps held by the user's units, with their urgency, soonest due first."""
    q = steps_for_actor_q(scope)
    if q is None:
        return DossierStep.objects.none()
    return (
        DossierStep.objects.filter(q, status=StepStatus.ACTIVE)
        .filter(dossier__status__in=[Status.IN_PROGRESS, Status.WAITING_SUPPLEMENT, Status.RESULT_READY])
        .annotate(urgency=urgency_case(h, due="due_at", status="dossier__status"))
    )


def work_counts(steps: QuerySet[DossierStep]) -> dict[str, int]:
    """Count the queue by urgency in one query."""
    counts = steps.aggregate(**{u: Count("pk", filter=Q(urgency=u)) for u in URGENCIES})
    return {u: counts[u] or 0 for u in URGENCIES}


def work_filter_options(steps: QuerySet[DossierStep]) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The procedures and agencies present in the queue, for the filter menus (one query)."""
    # order_by() first: the model's default ordering would add columns and defeat DISTINCT.
    rows = (
        steps.order_by()
        .values_list(
            "dossier__procedure__code", "dossier__procedure_version__name", "agency_id", "agency__name"
        )
        .distinct()
    )
    procedures: dict[str, str] = {}
    agencies: dict[int, str] = {}
    for code, name, agency_id, agency_name in rows:
        procedures.setdefault(code, name)
        agencies.setdefault(agency_id, agency_name)
    return (
        sorted(procedures.items(), key=lambda kv: kv[1]),
        sorted(agencies.items(), key=lambda kv: kv[1]),
    )


def work_page_rows(steps: QuerySet[DossierStep]) -> QuerySet[DossierStep]:
    return steps.select_related(
        "agency", "assigned_to", "dossier__procedure_version", "dossier__procedure"
    ).order_by("due_at", "dossier__code", "pk")


# ---- Online submissions --------------------------------------------------------------------------


def online_waiting(point_ids: frozenset[int]) -> QuerySet[Dossier]:
    """Online dossiers waiting at the desks of these points: to check, or completed and back."""
    return (
        Dossier.objects.filter(
            receiving_point_id__in=point_ids, status__in=[Status.SUBMITTED, Status.NEEDS_COMPLETION]
        )
        .select_related("procedure_version", "procedure", "receiving_point")
        .annotate(file_count=Count("files"))
        .order_by("status", "submitted_at", "pk")
    )


# ---- The dossier page ----------------------------------------------------------------------------


def dossier_for_page(queryset: QuerySet[Dossier], code: str) -> Dossier | None:
    """Load one dossier with everything its page shows, in a fixed number of queries."""
    from motcua.dossiers.models import DossierDocument, StoredFile

    return (
        queryset.filter(code=code)
        .select_related(
            "procedure_version__field",
            "procedure",
            "receiving_point",
            "receiving_agency",
            "lead_agency",
            "applicant",
            "received_by",
            "apology__agency",
        )
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=DossierStep.objects.select_related("agency", "assigned_to", "completed_by").order_by(
                    "stage", "branch", "position", "attempt"
                ),
            ),
            Prefetch(
                "documents",
                queryset=DossierDocument.objects.order_by("position").prefetch_related(
                    Prefetch("files", queryset=StoredFile.objects.order_by("uploaded_at", "pk"))
                ),
            ),
            Prefetch("files", queryset=StoredFile.objects.order_by("uploaded_at", "pk")),
            "supplement_requests",
        )
        .first()
    )


def timeline(dossier: Dossier) -> list[DossierEvent]:
    return list(dossier.events.select_related("agency", "step").order_by("at", "pk"))


# ---- Look-up -------------------------------------------------------------------------------------


def applicant_named(query: str) -> Q:
    """Match the applicant's name as filed, every word at a word start, with or without diacritics."""
    words = search_tokens(query)
    if not words:
        return Q(pk__in=[])
    match = Q()
    for word in words:
        match &= Q(applicant_search__contains=f" {word}")
    return match


def matching_text(query: str) -> Q:
    """Match what an officer types in a search box: a code or an ID number if it has digits, else a name.

    Names have no digits and codes always do: keeping the two apart lets each search use its own index
    (an OR across them would read the whole table).
    """
    query = query.strip()
    if not any(ch.isdigit() for ch in query):
        return applicant_named(query)
    match = Q(code__icontains=query)
    if query.isdigit():
        match |= Q(applicant__id_number=query)
    return match


def find_dossiers(queryset: QuerySet[Dossier], query: str, limit: int = 50) -> list[Dossier]:
    """Find by code, applicant ID number or name within what the user may see."""
    query = query.strip()
    if len(query) < 2:
        return []
    match = matching_text(query)
    return list(
        queryset.filter(match)
        .select_related("procedure_version", "applicant", "lead_agency")
        .order_by("-created_at", "-pk")[:limit]
    )


# ---- Intake --------------------------------------------------------------------------------------


def receivable_q(point: ServicePoint) -> Q:
    """Match the versions a point receives: its agencies' procedures and boundary-free ones."""
    served = set(point.served_agencies.values_list("pk", flat=True)) | {point.agency_id}
    # A "local" lead agency is the sector's agency nearest up the tree from the point's unit
    # (org.selectors.local_agency), worked out here for every sector at once.
    rank = {unit.pk: i for i, unit in enumerate(unit_ancestors(point.unit))}
    nearest: dict[str, tuple[int, int]] = {}
    rows = Agency.objects.filter(unit_id__in=rank, is_active=True).exclude(sector="")
    for agency_id, sector, unit_id in rows.values_list("pk", "sector", "unit_id").order_by("code"):
        if sector not in nearest or rank[unit_id] < nearest[sector][0]:
            nearest[sector] = (rank[unit_id], agency_id)
    sectors = [sector for sector, (_, agency_id) in nearest.items() if agency_id in served]
    return Q(received_at_centre=True) & (
        Q(boundary_free=True)
        | Q(lead_kind=RefKind.FIXED, lead_agency_id__in=served)
        | Q(lead_kind=RefKind.LOCAL, lead_sector__in=sectors)
    )


def receivable_procedures(point: ServicePoint, query: str, *, limit: int = 20) -> list[ProcedureVersion]:
    """Search the catalog for procedures this point receives, best matches first."""
    return list(search_procedures(query, limit=None).filter(receivable_q(point))[:limit])


def is_receivable(point: ServicePoint, version: ProcedureVersion) -> bool:
    return ProcedureVersion.objects.filter(receivable_q(point), pk=version.pk).exists()


def version_for_intake(code: str, at: dt.datetime) -> ProcedureVersion:
    """The version in force with its documents, fees and channel limits (for the intake panel)."""
    from motcua.catalog.selectors import version_in_force

    version = version_in_force(code, at)
    return (
        ProcedureVersion.objects.select_related("procedure", "field", "lead_agency")
        .prefetch_related("documents", "fees", "channel_time_limits")
        .get(pk=version.pk)
    )


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# ---- The board -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyRow:
    """One handling agency on the board: the month's intake and results, and its open work now."""

    agency_id: int
    name: str
    received: int
    resolved: int
    on_time: int
    late: int
    open: int
    overdue: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.resolved if self.resolved else None


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """Return the first moment of a month and of the next one, in Việt Nam time."""
    tz = timezone.get_default_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, end


def _arrived() -> Coalesce:
    """When a dossier reached the centre: received, else submitted online, else recorded (refusals)."""
    return Coalesce("received_at", "submitted_at", "created_at")


def status_counts(dossiers: QuerySet[Dossier], start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Dossiers that arrived in the month (filed, received or refused at intake), by status now."""
    rows = (
        dossiers.annotate(arrived=_arrived())
        .filter(arrived__gte=start, arrived__lt=end)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {status: n for status, n in rows}


def agency_rows(
    dossiers: QuerySet[Dossier], start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> list[AgencyRow]:
    """Per handling agency: received and resolved in the month (judged by Dossier.outcome), open now."""
    in_month = Q(finished_at__gte=start, finished_at__lt=end) & ~Q(outcome="")
    received = Q(received_at__gte=start, received_at__lt=end)
    open_now = Q(status__in=OPEN)
    rows = (
        dossiers.filter(in_month | received | open_now)
        .order_by()
        .values("lead_agency_id", "lead_agency__name")
        .annotate(
            received=Count("pk", filter=received),
            resolved=Count("pk", filter=in_month),
            on_time=Count("pk", filter=in_month & Q(outcome__in=["early", "on_time"])),
            late=Count("pk", filter=in_month & Q(outcome="late")),
            open=Count("pk", filter=open_now),
            overdue=Count("pk", filter=Q(status__in=CLOCK_RUNNING, due_at__lt=now)),
        )
    )
    result = [
        AgencyRow(
            agency_id=r["lead_agency_id"],
            name=r["lead_agency__name"],
            received=r["received"],
            resolved=r["resolved"],
            on_time=r["on_time"],
            late=r["late"],
            open=r["open"],
            overdue=r["overdue"],
        )
        for r in rows
    ]
    return sorted(result, key=lambda r: (-r.resolved, -r.open, r.name))


def due_list(
    dossiers: QuerySet[Dossier], *, before: dt.datetime, after: dt.datetime | None = None
) -> list[Dossier]:
    """Open dossiers with the clock running, due before `before` (and after `after`), soonest first."""
    found = dossiers.filter(status__in=CLOCK_RUNNING, due_at__lt=before)
    if after is not None:
        found = found.filter(due_at__gte=after)
    holding = DossierStep.objects.filter(status=StepStatus.ACTIVE).select_related("agency")
    return list(
        found.select_related("procedure_version", "lead_agency")
        .prefetch_related(Prefetch("steps", queryset=holding, to_attr="holding_steps"))
        .order_by("due_at", "pk")[:10]
    )
