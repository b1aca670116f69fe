"""What the citizen reads about procedures: where to file, fees by channel, the process by stage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from motcua.catalog.choices import ActorKind, Channel, FeeChannel, FeeMethod, OnlineLevel, RefKind
from motcua.catalog.fees import compute_fees
from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.catalog.selectors import version_in_force
from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, ServicePoint

PAGE_PREFETCH = ("levels", "agency_refs__agency", "channel_time_limits", "documents", "fees", "steps__agency")


def sector_label(sector: str) -> str:
    """Name the local agency of a sector as citizens know it; the org app has no sector names yet."""
    labels = {
        "committee": _("People's Committee where you file"),
        "police": _("Police where you file"),
        "justice": _("Justice office where you file"),
        "land": _("Land registration office where you file"),
        "tax": _("Tax office where you file"),
        "social_insurance": _("Social insurance office where you file"),
    }
    return labels.get(sector, sector)


def receiving_points(version: ProcedureVersion) -> list[ServicePoint]:
    """Return the active service points that receive the version, in a fixed number of queries.

    A point receives the procedures of the agencies it serves (or its own); a procedure handled by "the
    local agency of a sector" resolves that agency from the point's unit upwards, and it must sit at one
    of the procedure's implementing levels. Boundary-free procedures skip the "serves" check.
    """
    points = list(
        ServicePoint.objects.filter(is_active=True)
        .select_related("unit")
        .prefetch_related(Prefetch("served_agencies", queryset=Agency.objects.only("id")))
        .order_by("kind", "name")
    )
    level_ids = {lv.pk for lv in version.levels.all()}
    lead_fixed = version.lead_kind == RefKind.FIXED and version.lead_agency_id is not None
    by_unit: dict[int, Agency] = {}
    parents: dict[int, int | None] = {}
    if not lead_fixed:
        for agency in (
            Agency.objects.filter(sector=version.lead_sector, is_active=True)
            .select_related("unit")
            .order_by("-code")
        ):
            by_unit[agency.unit_id] = agency  # lowest code wins, as in org.selectors.local_agency
        parents = dict(AdministrativeUnit.objects.order_by().values_list("pk", "parent_id"))
    found = []
    for point in points:
        lead = version.lead_agency if lead_fixed else _local(by_unit, parents, point.unit_id)
        if lead is None:
            continue
        if not lead_fixed and level_ids and lead.unit.level_id not in level_ids:
            continue
        serves = point.agency_id == lead.pk or any(a.pk == lead.pk for a in point.served_agencies.all())
        if serves or version.boundary_free:
            found.append(point)
    return found


def _local(by_unit: dict[int, Agency], parents: dict[int, int | None], unit_id: int) -> Agency | None:
    current: int | None = unit_id
    for _depth in range(10):
        if current is None:
            return None
        if current in by_unit:
            return by_unit[current]
        current = parents.get(current)
    return None


@dataclass
class Branch:
    title: str
    steps: list[ProcessStep]


@dataclass
class Stage:
    number: int
    branches: list[Branch] = field(default_factory=list)

    @property
    def parallel(self) -> bool:
        return len(self.branches) > 1


def actor_label(step: ProcessStep, version: ProcedureVersion) -> str:
    if step.actor_kind == ActorKind.FIXED and step.agency is not None:
        return step.agency.name
    if step.actor_kind == ActorKind.LOCAL:
        return sector_label(step.sector)
    if step.actor_kind == ActorKind.LEAD:
        return lead_label(version)
    return _("The service point where you file")


def lead_label(version: ProcedureVersion) -> str:
    if version.lead_kind == RefKind.FIXED and version.lead_agency is not None:
        return version.lead_agency.name
    return sector_label(version.lead_sector)


def process_stages(version: ProcedureVersion) -> list[Stage]:
    """Group the internal process by stage; a stage with several branches runs them in parallel."""
    stages: dict[int, Stage] = {}
    for step in sorted(version.steps.all(), key=lambda s: (s.stage, s.position)):
        stage = stages.setdefault(step.stage, Stage(step.stage))
        branch = next((b for b in stage.branches if b.steps[0].branch == step.branch), None)
        if branch is None:
            stage.branches.append(Branch(actor_label(step, version), [step]))
        else:
            branch.steps.append(step)
    return list(stages.values())


@dataclass(frozen=True)
class FeeRow:
    kind: str
    name: str
    amount_vnd: int
    per_unit: str
    cap_vnd: int | None
    online: bool
    paper: bool
    exemption: str


@dataclass
class ProcedurePage:
    version: ProcedureVersion
    points: list[ServicePoint]
    stages: list[Stage]
    fees: list[FeeRow]
    total_online: int | None
    total_paper: int | None
    limits: list[tuple[str, Decimal, str]]
    agencies: list[str]

    @property
    def online(self) -> bool:
        return self.version.channel_online and self.version.online_level != OnlineLevel.NONE


def _fee_rows(version: ProcedureVersion) -> list[FeeRow]:
    return [
        FeeRow(
            kind=rule.get_kind_display(),
            name=rule.name,
            amount_vnd=rule.amount_vnd,
            per_unit=rule.unit if rule.method == FeeMethod.PER_UNIT else "",
            cap_vnd=rule.cap_vnd,
            online=rule.channel in (FeeChannel.ANY, FeeChannel.ONLINE),
            paper=rule.channel in (FeeChannel.ANY, FeeChannel.COUNTER),
            exemption=rule.exemption,
        )
        for rule in sorted(version.fees.all(), key=lambda r: r.position)
    ]


def _agencies(version: ProcedureVersion) -> list[str]:
    names = [lead_label(version)]
    for ref in sorted(version.agency_refs.all(), key=lambda r: (r.role, r.position)):
        name = ref.agency.name if ref.agency is not None else sector_label(ref.sector)
        if name not in names:
            names.append(name)
    return names


def procedure_page(code: str, at: dt.datetime) -> ProcedurePage:
    """Read everything the procedure page shows; NotFound when no version is in force."""
    version = version_in_force(code, at)
    prefetch_related_objects([version], *PAGE_PREFETCH)
    rules = list(version.fees.all())
    channels = version.channels
    limits = [("", version.time_limit_amount, version.time_limit_unit)]
    for override in version.channel_time_limits.all():
        limits.append((override.get_channel_display(), override.amount, override.unit))
    return ProcedurePage(
        version=version,
        points=receiving_points(version) if version.received_at_centre else [],
        stages=process_stages(version),
        fees=_fee_rows(version),
        total_online=compute_fees(rules, channel=Channel.ONLINE) if Channel.ONLINE in channels else None,
        total_paper=compute_fees(rules, channel=Channel.COUNTER),
        limits=limits,
        agencies=_agencies(version),
    )


def agencies_to_browse() -> list[Agency]:
    """Active agencies that handle procedures, provincial first; centres are places, not handlers."""
    return list(
        Agency.objects.filter(is_active=True)
        .exclude(kind=AgencyKind.SERVICE_CENTRE)
        .select_related("unit__level")
        .order_by("unit__level__rank", "code")
    )
