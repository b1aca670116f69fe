"""/api/v1/procedures and /api/v1/fields: the public procedure catalog, searchable, as in force on a day."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal
from typing import Literal

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field as Key
from ninja import Query, Router, Schema

from motcua.api.errors import ErrorOut
from motcua.catalog.fees import compute_fees
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.process import critical_path_days
from motcua.catalog.selectors import (
    CONTENT_PREFETCH,
    fields_with_counts,
    procedure_history,
    search_procedures,
    version_in_force,
)
from motcua.catalog.spec import decimal_str
from motcua.core.errors import ValidationFailed
from motcua.org.models import Agency, UnitLevel

router = Router(tags=["procedures"])
fields_router = Router(tags=["fields"])

OnlineLevelName = Literal["full", "partial", "none"]


class Named(Schema):
    code: str
    name: str


class AgencyRefOut(Schema):
    kind: str = Key(description="fixed, local, lead (the lead agency) or receiving (the receiving point).")
    agency: Named | None = None
    sector: str = ""


class TimeLimitOut(Schema):
    amount: str = Key(description='Decimal string; "0" means the same day.')
    unit: str = Key(description="d: working days, h: working hours.")
    text: str = ""


class ChannelLimitOut(Schema):
    channel: str
    amount: str
    unit: str


class ProcedureItem(Schema):
    code: str
    name: str
    field: Named
    levels: list[str]
    online_level: str
    channels: list[str]
    time_limit: TimeLimitOut
    lead_agency: AgencyRefOut
    boundary_free: bool
    received_at_centre: bool
    version: int
    effective_from: dt.date


class ProcedurePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[ProcedureItem]


class DocumentOut(Schema):
    name: str
    form: str
    copies: int
    required: bool
    condition: str
    template: str
    template_url: str | None
    note: str


class FeeOut(Schema):
    kind: str
    name: str
    method: str
    amount_vnd: int
    unit: str
    cap_vnd: int | None
    channel: str
    exemption: str


class FeeTotalOut(Schema):
    channel: str
    amount_vnd: int = Key(description="Due for one unit, without exemption.")


class StepOut(Schema):
    name: str
    actor: AgencyRefOut
    role: str
    days: str
    counts_time: bool


class BranchOut(Schema):
    branch: str = Key(description="Empty: the main line; branches of a stage run in parallel.")
    steps: list[StepOut]


class StageOut(Schema):
    stage: int
    branches: list[BranchOut]


class ProcedureDetail(Schema):
    code: str
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    decision: str
    change: str
    name: str
    field: Named
    levels: list[str]
    lead_agency: AgencyRefOut
    deciding_agencies: list[AgencyRefOut]
    implementing_agencies: list[AgencyRefOut]
    implementing_text: str
    channels: list[str]
    time_limit: TimeLimitOut
    time_limits: list[ChannelLimitOut] = Key(description="The time limit for each offered channel.")
    second_time_limit: TimeLimitOut | None
    cutoff_rule: str
    supplement_rule: str
    online_level: str
    received_at_centre: bool
    where_if_not: str
    boundary_free: bool
    on_the_spot: bool
    conditions: str
    result: str
    legal_basis: str
    applicant_steps: str
    documents: list[DocumentOut]
    fees: list[FeeOut]
    fee_totals: list[FeeTotalOut]
    process: list[StageOut]
    process_days: str = Key(description="Working days on the process's critical path.")
    replaces: list[str]
    abolished_on: dt.date | None
    replaced_by: str | None


class VersionOut(Schema):
    number: int
    effective_from: dt.date
    effective_to: dt.date | None
    status: str
    change: str
    decision: str
    name: str


class HistoryOut(Schema):
    code: str
    abolished_on: dt.date | None
    abolition_decision: str
    replaced_by: str | None
    versions: list[VersionOut]


class FieldOut(Schema):
    code: str
    name: str
    procedure_count: int


class ProcedureFilters(Schema):
    q: str = Key("", max_length=200, description="Words to find, with or without diacritics.")
    field: str | None = Key(None, description="Field code, e.g. ho-tich.")
    agency: str | None = Key(None, description="Agency identifier code.")
    level: str | None = Key(None, description="Unit level code: tinh, xa…")
    online_level: OnlineLevelName | None = None
    at: dt.date | None = Key(None, description="The catalog as in force on this day (default today).")
    page: int = Key(1, ge=1)
    page_size: int = Key(20, ge=1, le=100)


def _limit(amount: Decimal, unit: str, text: str = "") -> TimeLimitOut:
    return TimeLimitOut(amount=decimal_str(amount), unit=unit, text=text)


def _ref(kind: str, agency: Agency | None, sector: str) -> AgencyRefOut:
    named = Named(code=agency.code, name=agency.name) if agency is not None else None
    return AgencyRefOut(kind=kind, agency=named, sector=sector)


def _item(version: ProcedureVersion) -> ProcedureItem:
    return ProcedureItem(
        code=version.procedure.code,
        name=version.name,
        field=Named(code=version.field.code, name=version.field.name),
        levels=[lv.code for lv in version.levels.all()],
        online_level=version.online_level,
        channels=version.channels,
        time_limit=_limit(version.time_limit_amount, version.time_limit_unit, version.time_limit_text),
        lead_agency=_ref(version.lead_kind, version.lead_agency, version.lead_sector),
        boundary_free=version.boundary_free,
        received_at_centre=version.received_at_centre,
        version=version.number,
        effective_from=version.effective_from,
    )


def _check_codes(filters: ProcedureFilters) -> None:
    # Unknown codes are a mistake of the caller, not an empty result.
    wrong: dict[str, list[str]] = {}
    if filters.field and not Field.objects.filter(code=filters.field).exists():
        wrong["field"] = [f"unknown field {filters.field!r}"]
    if filters.level and not UnitLevel.objects.filter(code=filters.level).exists():
        wrong["level"] = [f"unknown level {filters.level!r}"]
    if wrong:
        raise ValidationFailed(_("The data sent is not valid."), code="invalid_parameters", fields=wrong)


@router.get("", response={200: ProcedurePage, 422: ErrorOut}, summary="Search procedures in force")
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilters]) -> ProcedurePage:
    _check_codes(filters)
    versions = search_procedures(
        filters.q,
        field=filters.field,
        agency=filters.agency,
        level=filters.level,
        online_level=filters.online_level,
        at=filters.at,
        limit=None,
    )
    count = versions.count()
    start = (filters.page - 1) * filters.page_size
    page = versions.prefetch_related("levels")[start : start + filters.page_size]
    return ProcedurePage(
        count=count,
        page=filters.page,
        page_size=filters.page_size,
        pages=math.ceil(count / filters.page_size),
        items=[_item(v) for v in page],
    )


def _process(version: ProcedureVersion) -> list[StageOut]:
    stages: dict[int, dict[str, list[StepOut]]] = defaultdict(lambda: defaultdict(list))
    for step in sorted(version.steps.all(), key=lambda s: (s.stage, s.branch, s.position)):
        stages[step.stage][step.branch].append(
            StepOut(
                name=step.name,
                actor=_ref(step.actor_kind, step.agency, step.sector),
                role=step.role,
                days=decimal_str(step.days),
                counts_time=step.counts_time,
            )
        )
    return [
        StageOut(stage=stage, branches=[BranchOut(branch=b, steps=s) for b, s in branches.items()])
        for stage, branches in sorted(stages.items())
    ]


def _detail(version: ProcedureVersion) -> ProcedureDetail:
    procedure: Procedure = version.procedure
    refs = sorted(version.agency_refs.all(), key=lambda r: (r.role, r.position))
    fees = list(version.fees.all())
    second = None
    if version.second_time_limit_amount is not None:
        second = _limit(version.second_time_limit_amount, version.second_time_limit_unit)
    return ProcedureDetail(
        **_item(version).model_dump(exclude={"version", "effective_from", "levels"}),
        version=version.number,
        effective_from=version.effective_from,
        effective_to=version.effective_to,
        decision=version.decision,
        change=version.change,
        levels=[lv.code for lv in sorted(version.levels.all(), key=lambda lv: lv.rank)],
        deciding_agencies=[_ref(r.kind, r.agency, r.sector) for r in refs if r.role == "deciding"],
        implementing_agencies=[_ref(r.kind, r.agency, r.sector) for r in refs if r.role == "implementing"],
        implementing_text=version.implementing_text,
        time_limits=[
            ChannelLimitOut(channel=c, amount=decimal_str(a), unit=u)
            for c in version.channels
            for a, u in [version.time_limit_for(c)]
        ],
        second_time_limit=second,
        cutoff_rule=version.cutoff_rule,
        supplement_rule=version.supplement_rule,
        where_if_not=version.where_if_not,
        on_the_spot=version.on_the_spot,
        conditions=version.conditions,
        result=version.result,
        legal_basis=version.legal_basis,
        applicant_steps=version.applicant_steps,
        documents=[
            DocumentOut(
                name=d.name,
                form=d.form,
                copies=d.copies,
                required=d.required,
                condition=d.condition,
                template=d.template,
                template_url=d.template_file.url if d.template_file else None,
                note=d.note,
            )
            for d in sorted(version.documents.all(), key=lambda d: d.position)
        ],
        fees=[FeeOut.from_orm(f) for f in sorted(fees, key=lambda f: f.position)],
        fee_totals=[
            FeeTotalOut(channel=c, amount_vnd=compute_fees(fees, channel=c)) for c in version.channels
        ],
        process=_process(version),
        process_days=decimal_str(critical_path_days(version.steps.all())),
        replaces=sorted(p.code for p in version.replaces.all()),
        abolished_on=procedure.abolished_on,
        replaced_by=procedure.replaced_by.code if procedure.replaced_by is not None else None,
    )


@router.get(
    "/{code}",
    response={200: ProcedureDetail, 404: ErrorOut, 422: ErrorOut},
    summary="The version of a procedure in force on a day",
)
def get_procedure(request: HttpRequest, code: str, at: dt.date | None = None) -> ProcedureDetail:
    version = version_in_force(code, at or timezone.now())
    prefetch_related_objects([version], *CONTENT_PREFETCH)
    return _detail(version)


@router.get(
    "/{code}/versions", response={200: HistoryOut, 404: ErrorOut}, summary="Every version of a procedure"
)
def list_versions(request: HttpRequest, code: str) -> HistoryOut:
    procedure, versions = procedure_history(code)
    return HistoryOut(
        code=procedure.code,
        abolished_on=procedure.abolished_on,
        abolition_decision=procedure.abolition_decision,
        replaced_by=procedure.replaced_by.code if procedure.replaced_by is not None else None,
        versions=[
            VersionOut(
                number=v.number,
                effective_from=v.effective_from,
                effective_to=v.effective_to,
                status=v.status,
                change=v.change,
                decision=v.decision,
                name=v.name,
            )
            for v in versions
        ],
    )


@fields_router.get("", response=list[FieldOut], summary="Fields with the number of procedures in force")
def list_fields(request: HttpRequest, at: dt.date | None = None) -> list[FieldOut]:
    return [FieldOut(code=f.code, name=f.name, procedure_count=count) for f, count in fields_with_counts(at)]
