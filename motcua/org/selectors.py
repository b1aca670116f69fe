"""Reads over the organisation: trees, merged agencies, local agencies by sector."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from motcua.core import rows
from motcua.core.errors import NotFound
from motcua.core.refcache import ReferenceCache
from motcua.org.models import AdministrativeUnit, Agency, ServicePoint


def descendant_ids(model: type[Model], root_ids: Iterable[int], parent_field: str = "parent_id") -> set[int]:
    """Return the ids of the roots and everything below them in a self-referencing tree."""
    roots = sorted(set(root_ids))
    if not roots:
        return set()
    table = connection.ops.quote_name(model._meta.db_table)
    parent = connection.ops.quote_name(rows.column(model._meta.get_field(parent_field.removesuffix("_id"))))
    pk = connection.ops.quote_name(rows.column(model._meta.pk))
    # One statement whatever the depth; UNION (not UNION ALL) also stops on a cycle in bad data.
    marks = ", ".join(["%s"] * len(roots))
    sql = (
        f"WITH RECURSIVE tree(id) AS (SELECT {pk} FROM {table} WHERE {pk} IN ({marks})"
        f" UNION SELECT c.{pk} FROM {table} c JOIN tree ON c.{parent} = tree.id) SELECT id FROM tree"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, roots)
        return {row[0] for row in cursor.fetchall()}


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
        raise NotFound(
            _("There is no agency with code %(code)s.") % {"code": code}, code="agency_not_found"
        ) from None


def get_service_point(code: str) -> ServicePoint:
    try:
        return ServicePoint.objects.select_related("unit", "agency").get(code=code)
    except ServicePoint.DoesNotExist:
        raise NotFound(
            _("There is no receiving point with code %(code)s.") % {"code": code},
            code="service_point_not_found",
        ) from None


def unit_ancestors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """Return the unit and its parents, nearest first."""
    chain = [unit]
    while chain[-1].parent_id is not None and len(chain) < 10:
        chain.append(AdministrativeUnit.objects.get(pk=chain[-1].parent_id))
    return chain


def _agencies_up_the_tree(sector: str, unit: int) -> QuerySet[Agency]:
    """Active agencies of `sector` in `unit` or a unit above it, nearest unit first, then by code."""
    quote = connection.ops.quote_name
    table = quote(AdministrativeUnit._meta.db_table)
    # Up to ten units, as unit_ancestors; depth 0 is the unit itself.
    up = (
        f"WITH RECURSIVE up(id, parent_id, depth) AS (SELECT id, parent_id, 0 FROM {table} WHERE id = %s"
        f" UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM {table} u JOIN up ON u.id = up.parent_id"
        " WHERE up.depth < 9) "
    )
    unit_column = quote(Agency._meta.db_table) + "." + quote(Agency._meta.get_field("unit").column)
    return Agency.objects.filter(
        sector=sector, is_active=True, unit_id__in=RawSQL(up + "SELECT id FROM up", [unit])
    ).order_by(RawSQL(f"({up}SELECT depth FROM up WHERE up.id = {unit_column})", [unit]).asc(), "code")[:1]


_nearest_agency = rows.Prepared(_agencies_up_the_tree, track=False, sector=str, unit=int)


# Every intake asks it for each step of the process: the organisation is reference data (core/refcache.py).
_local_agencies: ReferenceCache[tuple[str, int], Agency | None] = ReferenceCache(
    lambda key: _nearest_agency.first(sector=key[0], unit=key[1])
)


def local_agency(*, sector: str, unit: AdministrativeUnit) -> Agency:
    """Find the active agency of `sector` serving `unit`, looking up the tree (commune, then province).

    The agency returned may be shared with other callers (cached): read it, never change it.
    """
    agency = _local_agencies.get((sector, unit.pk))
    if agency is not None:
        return agency
    raise NotFound(
        _("No agency of the “%(sector)s” sector serves %(unit)s.") % {"sector": sector, "unit": unit.name},
        code="local_agency_not_found",
        fields={"sector": sector, "unit": unit.code},
    )
