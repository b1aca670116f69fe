"""Who may see what: every staff query is scoped by the units a user holds a role in."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from motcua.core.models import User
from motcua.core.refcache import ReferenceCache
from motcua.core.rows import Prepared
from motcua.org.models import Agency, Role, ServicePoint, StaffRole
from motcua.org.selectors import descendant_ids

# Leaders oversee the divisions below their agency; a specialist works in her own agency only.
_AGENCY_ROLES_WITH_DIVISIONS = {Role.AGENCY_LEADER, Role.UNIT_LEADER}
_AGENCY_ROLES = {Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER}
_POINT_ROLES = {Role.COUNTER_OFFICER, Role.CENTRE_DIRECTOR}


@dataclass(frozen=True)
class Scope:
    """The units a user acts for, by role; empty sets mean nothing."""

    roles: frozenset[str] = frozenset()
    agency_ids: frozenset[int] = frozenset()
    service_point_ids: frozenset[int] = frozenset()
    admin_unit_ids: frozenset[int] = frozenset()
    by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles)

    @property
    def is_province_admin(self) -> bool:
        return Role.PROVINCE_ADMIN in self.roles

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def ids_for(self, role: str) -> frozenset[int]:
        """Return the agency or service-point ids where the user holds `role`."""
        return self.by_role.get(role, frozenset())


def active_roles(user: User | AnonymousUser) -> list[StaffRole]:
    if not user.is_authenticated or not user.is_active:
        return []
    return active_roles_of(user.pk)


def active_roles_of(user_id: int) -> list[StaffRole]:
    return list(
        StaffRole.objects.filter(user_id=user_id, is_active=True)
        .select_related("agency", "service_point", "admin_unit")
        .order_by("pk")
    )


# Every dossier operation computes its actor's scope: compiled once, it costs one short read.
_ACTIVE_ROLES = Prepared(
    lambda user_id: StaffRole.objects.filter(user_id=user_id, is_active=True).order_by("pk"),
    track=False,
    user_id=int,
)


def scope_for(user: User | AnonymousUser, *, only_role: str | None = None) -> Scope:
    """Compute the user's scope, optionally narrowed to one role (the role switcher)."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    return _SCOPES.get((user.pk, only_role))


def _read_scope(key: tuple[int, str | None]) -> Scope:
    user_id, only_role = key
    found = _ACTIVE_ROLES.rows(user_id=user_id)
    roles = [r for r in found if only_role is None or r.role == only_role]
    by_role: dict[str, set[int]] = {}
    agencies: set[int] = set()
    points: set[int] = set()
    units: set[int] = set()
    for staff_role in roles:
        if staff_role.role in _AGENCY_ROLES and staff_role.agency_id is not None:
            ids = (
                descendant_ids(Agency, [staff_role.agency_id])
                if staff_role.role in _AGENCY_ROLES_WITH_DIVISIONS
                else {staff_role.agency_id}
            )
            agencies |= ids
        elif staff_role.role in _POINT_ROLES and staff_role.service_point_id is not None:
            # A director of the provincial centre also directs its branches.
            ids = (
                descendant_ids(ServicePoint, [staff_role.service_point_id])
                if staff_role.role == Role.CENTRE_DIRECTOR
                else {staff_role.service_point_id}
            )
            points |= ids
        elif staff_role.admin_unit_id is not None:
            ids = {staff_role.admin_unit_id}
            units |= ids
        else:
            continue
        by_role.setdefault(staff_role.role, set()).update(ids)
    return Scope(
        roles=frozenset(r.role for r in roles),
        agency_ids=frozenset(agencies),
        service_point_ids=frozenset(points),
        admin_unit_ids=frozenset(units),
        by_role={k: frozenset(v) for k, v in by_role.items()},
    )


# Every request and every dossier operation needs the actor's scope; roles change a few times a day.
_SCOPES: ReferenceCache[tuple[int, str | None], Scope] = ReferenceCache(_read_scope)
