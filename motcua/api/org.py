"""/api/v1/agencies and /api/v1/service-points: who handles procedures, and where citizens file them."""

from __future__ import annotations

import datetime as dt
import math

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field as Key
from ninja import Query, Router, Schema

from motcua.api.errors import ErrorOut
from motcua.core.errors import NotFound
from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, Counter, ServicePoint, ServicePointKind

agencies_router = Router(tags=["agencies"])
service_points_router = Router(tags=["service points"])


# Selectors: plain reads of the organisation, kept here while the API is their only reader.


def agencies(
    *, unit: str | None = None, kind: str | None = None, active: bool | None = None
) -> QuerySet[Agency]:
    rows = Agency.objects.select_related("unit__level", "parent", "merged_into").order_by("code")
    if unit is not None:
        rows = rows.filter(unit__code=unit)
    if kind is not None:
        rows = rows.filter(kind=kind)
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows


def agency_detail(code: str) -> Agency:
    """Return an agency, merged ones included (old dossiers keep their codes)."""
    rows = agencies().prefetch_related(
        Prefetch("service_points", queryset=ServicePoint.objects.order_by("code")),
        Prefetch("merged_from", queryset=Agency.objects.order_by("code")),
    )
    try:
        return rows.get(code=code)
    except Agency.DoesNotExist:
        raise NotFound(
            _("There is no agency with code %(code)s.") % {"code": code}, code="agency_not_found"
        ) from None


def service_points(*, unit: str | None = None, kind: str | None = None) -> QuerySet[ServicePoint]:
    rows = ServicePoint.objects.select_related("unit__level", "agency", "parent").order_by("code")
    if unit is not None:
        rows = rows.filter(unit__code=unit)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return rows


def service_point_detail(code: str) -> ServicePoint:
    rows = service_points().prefetch_related(
        Prefetch("served_agencies", queryset=Agency.objects.order_by("code")),
        Prefetch("counters", queryset=Counter.objects.select_related("agency").order_by("number")),
        Prefetch("branches", queryset=ServicePoint.objects.order_by("code")),
    )
    try:
        return rows.get(code=code)
    except ServicePoint.DoesNotExist:
        raise NotFound(
            _("There is no receiving point with code %(code)s.") % {"code": code},
            code="service_point_not_found",
        ) from None


# Schemas


class Named(Schema):
    code: str
    name: str


class UnitOut(Schema):
    code: str
    name: str
    level: str


class AgencyOut(Schema):
    code: str
    legacy_code: str
    name: str
    short_name: str
    kind: str
    sector: str
    unit: UnitOut
    parent: Named | None
    merged_into: Named | None = Key(description="The agency that carries on its work, once merged.")
    merged_on: dt.date | None
    is_active: bool


class AgencyDetail(AgencyOut):
    address: str
    phone: str
    email: str
    merged_from: list[Named]
    service_points: list[Named] = Key(description="Service points that receive its procedures.")


class AgencyPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[AgencyOut]


class ServicePointOut(Schema):
    code: str
    name: str
    kind: str
    unit: UnitOut
    agency: Named = Key(description="The receiving agency: its code starts the codes of dossiers filed here.")
    parent: str | None
    address: str
    phone: str
    is_active: bool


class ServicePointPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[ServicePointOut]


class CounterOut(Schema):
    number: int
    name: str
    agency: Named | None
    is_active: bool


class ServicePointDetail(ServicePointOut):
    email: str
    calendar_code: str
    branches: list[Named]
    served_agencies: list[Named]
    counters: list[CounterOut]


class AgencyFilters(Schema):
    unit: str | None = Key(None, description="Administrative unit code.")
    kind: AgencyKind | None = None
    active: bool | None = None
    page: int = Key(1, ge=1)
    page_size: int = Key(50, ge=1, le=100)


class ServicePointFilters(Schema):
    unit: str | None = None
    kind: ServicePointKind | None = None
    page: int = Key(1, ge=1)
    page_size: int = Key(50, ge=1, le=100)


def _named(row: Agency | ServicePoint | None) -> Named | None:
    return Named(code=row.code, name=row.name) if row is not None else None


def _unit(unit: AdministrativeUnit) -> UnitOut:
    return UnitOut(code=unit.code, name=unit.name, level=unit.level.code)


def _agency(agency: Agency) -> dict:
    return {
        "code": agency.code,
        "legacy_code": agency.legacy_code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "sector": agency.sector,
        "unit": _unit(agency.unit),
        "parent": _named(agency.parent),
        "merged_into": _named(agency.merged_into),
        "merged_on": agency.merged_on,
        "is_active": agency.is_active,
    }


def _point(point: ServicePoint) -> dict:
    return {
        "code": point.code,
        "name": point.name,
        "kind": point.kind,
        "unit": _unit(point.unit),
        "agency": _named(point.agency),
        "parent": point.parent.code if point.parent is not None else None,
        "address": point.address,
        "phone": point.phone,
        "is_active": point.is_active,
    }


def _page(rows: QuerySet, page: int, page_size: int) -> tuple[int, int, list]:
    count = rows.count()
    start = (page - 1) * page_size
    return count, math.ceil(count / page_size), list(rows[start : start + page_size])


@agencies_router.get("", response={200: AgencyPage, 422: ErrorOut}, summary="Agencies, merged ones included")
def list_agencies(request: HttpRequest, filters: Query[AgencyFilters]) -> AgencyPage:
    rows = agencies(unit=filters.unit, kind=filters.kind, active=filters.active)
    count, pages, items = _page(rows, filters.page, filters.page_size)
    return AgencyPage(
        count=count,
        page=filters.page,
        page_size=filters.page_size,
        pages=pages,
        items=[AgencyOut(**_agency(a)) for a in items],
    )


@agencies_router.get("/{code}", response={200: AgencyDetail, 404: ErrorOut}, summary="One agency")
def get_agency(request: HttpRequest, code: str) -> AgencyDetail:
    agency = agency_detail(code)
    return AgencyDetail(
        **_agency(agency),
        address=agency.address,
        phone=agency.phone,
        email=agency.email,
        merged_from=[Named(code=a.code, name=a.name) for a in agency.merged_from.all()],
        service_points=[Named(code=p.code, name=p.name) for p in agency.service_points.all()],
    )


@service_points_router.get("", response={200: ServicePointPage, 422: ErrorOut}, summary="Service points")
def list_service_points(request: HttpRequest, filters: Query[ServicePointFilters]) -> ServicePointPage:
    rows = service_points(unit=filters.unit, kind=filters.kind)
    count, pages, items = _page(rows, filters.page, filters.page_size)
    return ServicePointPage(
        count=count,
        page=filters.page,
        page_size=filters.page_size,
        pages=pages,
        items=[ServicePointOut(**_point(p)) for p in items],
    )


@service_points_router.get(
    "/{code}", response={200: ServicePointDetail, 404: ErrorOut}, summary="A service point with its counters"
)
def get_service_point(request: HttpRequest, code: str) -> ServicePointDetail:
    point = service_point_detail(code)
    return ServicePointDetail(
        **_point(point),
        email=point.email,
        calendar_code=point.calendar_code,
        branches=[Named(code=b.code, name=b.name) for b in point.branches.all()],
        served_agencies=[Named(code=a.code, name=a.name) for a in point.served_agencies.all()],
        counters=[
            CounterOut(number=c.number, name=c.name, agency=_named(c.agency), is_active=c.is_active)
            for c in point.counters.all()
        ],
    )
