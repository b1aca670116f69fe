"""Reads over the organisation: trees, merged agencies, local agencies by sector."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Model

from motcua.core.errors import NotFound
from motcua.org.models import AdministrativeUnit, Agency, ServicePoint


def descendant_ids(model: type[Model], root_ids: Iterable[int], parent_field: str = "parent_id") -> set[int]:
    """Return the ids of the roots and everything below them in a self-referencing tree."""
    children: dict[int, list[int]] = defaultdict(list)
    # One query: organisation trees are hundreds of rows, not millions.
    for pk, parent in model._default_manager.values_list("pk", parent_field.removesuffix("_id")):
        if parent is not None:
            children[parent].append(pk)
    found: set[int] = set()
    stack = list(root_ids)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children[pk])
    return found


def current_agency(agency: Agency) -> Agency:
    """Follow merges to the agency that carries on the work today."""
    seen = {agency.pk}
    while agency.merged_into_id is not None:
        agency = Agency.objects.get(pk=agency.merged_into_id)
        if agency.pk in seen:  # a cycle would be a data error; stop rather than loop
            break
        seen.add(agency.pk)
    return agency


def get_agency(code: str) -> Agency:
    try:
        return Agency.objects.select_related("unit", "merged_into").get(code=code)
    except Agency.DoesNotExist:
        raise NotFound(f"Không có cơ quan mã {code}.", code="agency_not_found") from None


def get_service_point(code: str) -> ServicePoint:
    try:
        return ServicePoint.objects.select_related("unit", "agency").get(code=code)
    except ServicePoint.DoesNotExist:
        raise NotFound(f"Không có điểm tiếp nhận mã {code}.", code="service_point_not_found") from None


def unit_ancestors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """Return the unit and its parents, nearest first."""
    chain = [unit]
    while chain[-1].parent_id is not None and len(chain) < 10:
        chain.append(AdministrativeUnit.objects.get(pk=chain[-1].parent_id))
    return chain


def local_agency(*, sector: str, unit: AdministrativeUnit) -> Agency:
    """Find the active agency of `sector` serving `unit`, looking up the tree (commune, then province)."""
    for candidate in unit_ancestors(unit):
        agency = Agency.objects.filter(sector=sector, unit=candidate, is_active=True).order_by("code").first()
        if agency is not None:
            return agency
    raise NotFound(
        f"Không tìm thấy cơ quan lĩnh vực “{sector}” phụ trách {unit.name}.",
        code="local_agency_not_found",
        fields={"sector": sector, "unit": unit.code},
    )
