"""Turn a procedure's process into the dossier's steps, resolving each step's agency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from motcua.catalog.choices import ActorKind, RefKind
from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.catalog.parts import version_parts
from motcua.core import rows
from motcua.core.errors import ValidationFailed
from motcua.core.refcache import load_reference
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
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
    if version.lead_kind == RefKind.FIXED and version.lead_agency_id is not None:
        load_reference(version, "lead_agency")
        return version.lead_agency  # type: ignore[return-value]
    load_reference(point, "unit")
    return local_agency(sector=version.lead_sector, unit=point.unit)


def plan_steps(version: ProcedureVersion, *, point: ServicePoint, lead: Agency) -> list[PlannedStep]:
    """Resolve the process template; a procedure without one gets receive → handle → return."""
    templates = sorted(version_parts(version).steps, key=lambda t: (t.stage, t.position))
    load_reference(point, "agency")
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
    resolved: dict[tuple[str, str | int], Agency] = {}  # one read per fixed agency or local sector
    planned = []
    for template in templates:
        planned.append(
            PlannedStep(
                stage=template.stage,
                branch=template.branch,
                position=template.position,
                name=template.name,
                agency=_step_agency(template, point=point, lead=lead, resolved=resolved),
                role=template.role,
                days=template.days,
                counts_time=template.counts_time,
                template_id=template.pk,
            )
        )
    _check_shape(planned)
    return planned


def _step_agency(
    template: ProcessStep, *, point: ServicePoint, lead: Agency, resolved: dict[tuple[str, str | int], Agency]
) -> Agency:
    if template.actor_kind == ActorKind.FIXED and template.agency_id is not None:
        key: tuple[str, str | int] = ("fixed", template.agency_id)
        if key not in resolved:
            load_reference(template, "agency")
            resolved[key] = template.agency  # type: ignore[assignment]
    elif template.actor_kind == ActorKind.LOCAL:
        key = ("local", template.sector)
        if key not in resolved:
            load_reference(point, "unit")
            resolved[key] = local_agency(sector=template.sector, unit=point.unit)
    elif template.actor_kind == ActorKind.LEAD:
        return lead
    else:
        return point.agency
    return resolved[key]


def _check_shape(planned: list[PlannedStep]) -> None:
    first, last = planned[0], planned[-1]
    if first.stage == last.stage:
        raise ValidationFailed(
            _("The procedure's process needs at least two stages (receiving and handling)."),
            code="process_too_short",
        )


def new_steps(dossier: Dossier, planned: list[PlannedStep]) -> list[DossierStep]:
    """Return the dossier's steps for the plan, in the plan's order, not yet saved."""
    return [
        rows.build(
            DossierStep,
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


def only_return_left(steps: list[DossierStep]) -> bool:
    """Tell whether every processing step is done and only the desk's return of the result is open."""
    open_steps = [s for s in steps if s.status in (StepStatus.ACTIVE, StepStatus.PENDING)]
    return bool(open_steps) and all(s.role == Role.COUNTER_OFFICER and not s.counts_time for s in open_steps)


def may_return_to(step: DossierStep, target: DossierStep) -> bool:
    """Tell whether work on `step` may go back to `target`: a done, earlier step of the same line.

    Within a branch, an earlier position; across stages, only on the main line; never the receipt.
    """
    if target.status != StepStatus.DONE or (target.role == Role.COUNTER_OFFICER and target.stage == 1):
        return False
    same_branch = (
        target.stage == step.stage and target.branch == step.branch and target.position < step.position
    )
    return same_branch or (target.stage < step.stage and target.branch == "" and step.branch == "")
