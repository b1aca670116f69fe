"""Who may see and act on a dossier; "not yours" is answered as "not found" (404, never 403)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.org.access import Scope, scope_for
from motcua.org.models import Role, ServicePoint

# Which agency roles may act on a step of a given role: leaders may also do their staff's work.
STEP_ACTORS: dict[str, set[str]] = {
    Role.SPECIALIST: {Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER},
    Role.UNIT_LEADER: {Role.UNIT_LEADER, Role.AGENCY_LEADER},
    Role.AGENCY_LEADER: {Role.AGENCY_LEADER},
}


def not_found(code: str) -> NotFound:
    return NotFound(_("Dossier %(code)s was not found.") % {"code": code}, code="dossier_not_found")


def staff_dossiers(user: User, scope: Scope | None = None) -> QuerySet[Dossier]:
    """Dossiers the user may see: received at her points, or held by her agencies at any step."""
    scope = scope or scope_for(user)
    if not scope.is_staff_member:
        return Dossier.objects.none()
    if scope.is_province_admin:
        return Dossier.objects.all()
    # An agency sees a dossier once a step of its own has started, not while it waits in the plan.
    held = (
        DossierStep.objects.filter(agency_id__in=scope.agency_ids)
        .exclude(status=StepStatus.PENDING)
        .values("dossier_id")
    )
    return Dossier.objects.filter(
        Q(receiving_point_id__in=scope.service_point_ids)
        | Q(lead_agency_id__in=scope.agency_ids)
        | Q(pk__in=held)
    )


def get_dossier_for_staff(user: User, code: str) -> Dossier:
    dossier = staff_dossiers(user).filter(code=code).first()
    if dossier is None:
        raise not_found(code)
    return dossier


def can_see(
    user: User,
    dossier: Dossier,
    scope: Scope | None = None,
    *,
    steps: Callable[[], Iterable[DossierStep]] | None = None,
) -> bool:
    """Staff of a unit that received or holds it, or the citizen who filed it (as `staff_dossiers`).

    `steps` gives the dossier's steps when the caller has them at hand, saving a query.
    """
    if dossier.citizen_id is not None and dossier.citizen_id == user.pk:
        return True
    scope = scope or scope_for(user)
    if not scope.is_staff_member:
        return False
    if scope.is_province_admin or dossier.receiving_point_id in scope.service_point_ids:
        return True
    if dossier.lead_agency_id in scope.agency_ids:
        return True
    if not scope.agency_ids:
        return False
    if steps is None:
        return staff_dossiers(user, scope).filter(pk=dossier.pk).exists()
    return any(s.agency_id in scope.agency_ids and s.status != StepStatus.PENDING for s in steps())


def get_dossier_for_citizen(user: User, code: str) -> Dossier:
    dossier = Dossier.objects.filter(code=code, citizen=user).first() if user.is_authenticated else None
    if dossier is None:
        raise not_found(code)
    return dossier


def require_counter_officer(user: User, point: ServicePoint) -> None:
    if point.pk not in scope_for(user).ids_for(Role.COUNTER_OFFICER):
        raise NotFound(_("Receiving point not found."), code="service_point_not_found")


def is_counter_officer_of(user: User, dossier: Dossier, scope: Scope | None = None) -> bool:
    scope = scope or scope_for(user)
    return dossier.receiving_point_id in scope.ids_for(Role.COUNTER_OFFICER)


def is_director_of(user: User, dossier: Dossier, scope: Scope | None = None) -> bool:
    scope = scope or scope_for(user)
    return dossier.receiving_point_id in scope.ids_for(Role.CENTRE_DIRECTOR)


def can_act_on_step(user: User, step: DossierStep, scope: Scope | None = None) -> bool:
    scope = scope or scope_for(user)
    if step.role == Role.COUNTER_OFFICER:
        return is_counter_officer_of(user, step.dossier, scope)
    return any(step.agency_id in scope.ids_for(role) for role in STEP_ACTORS.get(step.role, set()))


def agency_roles_in(user: User, agency_id: int, scope: Scope | None = None) -> set[str]:
    scope = scope or scope_for(user)
    return {
        role
        for role in (Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER)
        if agency_id in scope.ids_for(role)
    }
