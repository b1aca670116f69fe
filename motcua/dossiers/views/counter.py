"""The counter officer's receiving point and the procedures it receives, shared by the intake pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import DomainError
from motcua.dossiers.selectors import is_receivable, version_for_intake
from motcua.dossiers.views.common import staff
from motcua.org.models import Role, ServicePoint


def counter_point(request: HttpRequest) -> ServicePoint:
    """The point the officer receives at: the chosen one, else the first where she is at the counter."""
    session = staff(request)
    ids = session.point_ids(Role.COUNTER_OFFICER)
    if not ids:
        raise Http404
    current = session.current
    chosen = current.service_point_id if current and current.role == Role.COUNTER_OFFICER else None
    pk = chosen if chosen is not None else min(ids)
    return ServicePoint.objects.select_related("unit", "agency").get(pk=pk)


def receivable_version(code: str, point: ServicePoint) -> ProcedureVersion | None:
    """The version in force of a procedure this point receives; None for anything else."""
    if not code:
        return None
    try:
        version = version_for_intake(code, timezone.now())
    except DomainError:
        return None
    return version if is_receivable(point, version) else None
