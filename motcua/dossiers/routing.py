"""Turn a procedure's process into the dossier's steps, resolving each step's agency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from motcua.catalog.choices import ActorKind, RefKind
from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import ValidationFailed
from motcua.dossiers.models import Dossier, DossierStep
from motcua.org.models import Agency, Role, ServicePoint
from motcua.org.selectors import local_agency


@dataclass(frozen=True)
class PlannedStep:
    stage: int
    branch: str
    position: int
    name: str
    agency: Agency
    role: str
    days: Decimal
    counts_time: bool
    template_id: int | None


def lead_agency_for(version: ProcedureVersion, point: ServicePoint) -> Agency:
    """Return the agency that handles a dossier of `version` filed at `point`."""
    if version.lead_kind == RefKind.FIXED and version.lead_agency is not None:
        return version.lead_agency
    return local_agency(sector=version.lead_sector, unit=point.unit)


def plan_steps(version: ProcedureVersion, *, point: ServicePoint, lead: Agency) -> list[PlannedStep]:
    """Resolve the process template; a procedure without one gets receive → handle → return."""
    templates = list(version.steps.select_related("agency").order_by("stage", "position"))
    if not templates:
        amount, unit = version.time_limit_amount, version.time_limit_unit
        days = amount if unit == "d" else (amount / Decimal(8)).quantize(Decimal("0.01"))
        return [
            PlannedStep(
                1, "", 1, "Tiếp nhận hồ sơ", point.agency, Role.COUNTER_OFFICER, Decimal(0), False, None
            ),
            PlannedStep(2, "", 2, "Thẩm định, giải quyết hồ sơ", lead, Role.SPECIALIST, days, True, None),
            PlannedStep(3, "", 3, "Trả kết quả", point.agency, Role.COUNTER_OFFICER, Decimal(0), False, None),
        ]
    planned = []
    for template in templates:
        if template.actor_kind == ActorKind.FIXED and template.agency is not None:
            agency = template.agency
        elif template.actor_kind == ActorKind.LOCAL:
            agency = local_agency(sector=template.sector, unit=point.unit)
        elif template.actor_kind == ActorKind.LEAD:
            agency = lead
        else:
            agency = point.agency
        planned.append(
            PlannedStep(
                stage=template.stage,
                branch=template.branch,
                position=template.position,
                name=template.name,
                agency=agency,
                role=template.role,
                days=template.days,
                counts_time=template.counts_time,
                template_id=template.pk,
            )
        )
    _check_shape(planned)
    return planned


def _check_shape(planned: list[PlannedStep]) -> None:
    first, last = planned[0], planned[-1]
    if first.stage == last.stage:
        raise ValidationFailed(
            "Quy trình của thủ tục cần ít nhất hai giai đoạn (tiếp nhận và giải quyết).",
            code="process_too_short",
        )


def create_steps(dossier: Dossier, planned: list[PlannedStep]) -> list[DossierStep]:
    return DossierStep.objects.bulk_create(
        [
            DossierStep(
                dossier=dossier,
                template_id=p.template_id,
                stage=p.stage,
                branch=p.branch,
                position=p.position,
                name=p.name,
                agency=p.agency,
                role=p.role,
                days=p.days,
                counts_time=p.counts_time,
            )
            for p in planned
        ]
    )
