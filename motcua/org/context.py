"""The staff member behind a request: her roles, the role she works in now, and the staff menu."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from motcua.core.refcache import ReferenceCache
from motcua.org.access import Scope, active_roles_of, scope_for
from motcua.org.models import Agency, Role, ServicePoint, StaffRole
from motcua.org.selectors import descendant_ids

SESSION_KEY = "motcua_staff_role"
# The role a person lands in when she has not chosen: the counter first, because a queue is waiting.
ROLE_ORDER = [
    Role.COUNTER_OFFICER,
    Role.SPECIALIST,
    Role.UNIT_LEADER,
    Role.AGENCY_LEADER,
    Role.CENTRE_DIRECTOR,
    Role.PROVINCE_ADMIN,
]
AGENCY_ROLES = {Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER}
LEADER_ROLES = {Role.UNIT_LEADER, Role.AGENCY_LEADER}
BOARD_ROLES = {Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.CENTRE_DIRECTOR, Role.PROVINCE_ADMIN}

# The staff menu: (url name, label, roles that see it).
NAV = [
    ("dossiers:intake", _("Intake"), {Role.COUNTER_OFFICER}),
    ("dossiers:online", _("Online submissions waiting"), {Role.COUNTER_OFFICER}),
    ("dossiers:work", _("My work"), {Role.COUNTER_OFFICER, *AGENCY_ROLES}),
    ("dossiers:lookup", _("Find a dossier"), set(ROLE_ORDER)),
    ("dossiers:board", _("Dashboard"), BOARD_ROLES),
    ("reports:results", _("Reports"), BOARD_ROLES),
    (
        "feedback:inbox",
        _("Feedback and petitions"),
        {*AGENCY_ROLES, Role.CENTRE_DIRECTOR, Role.PROVINCE_ADMIN},
    ),
    ("feedback:counter", _("Rating at the counter"), {Role.COUNTER_OFFICER}),
    ("payments:day", _("Daily fee collections"), {Role.COUNTER_OFFICER, Role.CENTRE_DIRECTOR}),
]


@dataclass(frozen=True)
class RoleChoice:
    """One role held in one unit: a row of StaffRole as the switcher shows it."""

    pk: int
    role: str
    unit_name: str
    service_point_id: int | None
    agency_id: int | None

    @property
    def label(self) -> str:
        return f"{Role(self.role).label} – {self.unit_name}"


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    current: bool


def _choice(row: StaffRole) -> RoleChoice:
    unit = row.service_point or row.agency or row.admin_unit
    return RoleChoice(
        pk=row.pk,
        role=row.role,
        unit_name=unit.name if unit is not None else "",
        service_point_id=row.service_point_id,
        agency_id=row.agency_id,
    )


@dataclass
class StaffSession:
    """The roles of the signed-in staff member and the one she acts in on the staff pages."""

    user: Any
    choices: list[RoleChoice]
    current: RoleChoice | None
    path: str = ""
    _narrowed: Scope | None = field(default=None, repr=False)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.choices)

    @property
    def role(self) -> str:
        return self.current.role if self.current else ""

    @property
    def can_switch(self) -> bool:
        return len(self.choices) > 1

    @cached_property
    def full_scope(self) -> Scope:
        """Everything the person may do in all her roles: what services and access helpers check."""
        return scope_for(self.user)

    @cached_property
    def scope(self) -> Scope:
        """The scope of the chosen role and unit: what the queues and the board show."""
        current = self.current
        if current is None:
            return Scope()
        base = scope_for(self.user, only_role=current.role)
        if sum(1 for c in self.choices if c.role == current.role) == 1:
            return base  # nothing to narrow: the role is held in this one unit
        if current.service_point_id is not None:
            ids = {current.service_point_id}
            if current.role == Role.CENTRE_DIRECTOR:
                ids = descendant_ids(ServicePoint, ids)
            return Scope(
                roles=frozenset({current.role}),
                service_point_ids=frozenset(ids),
                by_role={current.role: frozenset(ids)},
            )
        if current.agency_id is not None:
            ids = {current.agency_id}
            if current.role in LEADER_ROLES:
                ids = descendant_ids(Agency, ids)
            return Scope(
                roles=frozenset({current.role}),
                agency_ids=frozenset(ids),
                by_role={current.role: frozenset(ids)},
            )
        return base

    def point_ids(self, role: str = Role.COUNTER_OFFICER) -> frozenset[int]:
        """Service points where she holds `role`: the chosen one when she works in that role now."""
        if self.role == role:
            return self.scope.ids_for(role)
        return self.full_scope.ids_for(role)

    def holds(self, *roles: str) -> bool:
        return any(c.role in roles for c in self.choices)

    @property
    def nav(self) -> list[NavItem]:
        items = []
        for name, label, roles in NAV:
            if self.role in roles:
                url = reverse(name)
                items.append(NavItem(url=url, label=str(label), current=self.path.startswith(url)))
        return items


def _current(choices: list[RoleChoice], chosen: Any) -> RoleChoice | None:
    for choice in choices:
        if choice.pk == chosen:
            return choice
    ranked = sorted(choices, key=lambda c: (ROLE_ORDER.index(Role(c.role)), c.pk))
    return ranked[0] if ranked else None


# Every staff page shows the role switcher: roles and unit names are reference data (core/refcache.py).
_CHOICES: ReferenceCache[int, tuple[RoleChoice, ...]] = ReferenceCache(
    lambda user_id: tuple(_choice(row) for row in active_roles_of(user_id))
)


def staff_session(request: HttpRequest) -> StaffSession:
    """Return (once per request) who the staff member is and which role she acts in."""
    cached = getattr(request, "_motcua_staff", None)
    if isinstance(cached, StaffSession):
        return cached
    user = request.user
    user_id = user.pk if user.is_authenticated and user.is_active else None
    choices = list(_CHOICES.get(user_id)) if user_id is not None else []
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    staff = StaffSession(user=user, choices=choices, current=_current(choices, chosen), path=request.path)
    request._motcua_staff = staff  # type: ignore[attr-defined]
    return staff


def choose_role(request: HttpRequest, pk: int) -> RoleChoice | None:
    """Remember the chosen role and unit in the session; None when it is not one of hers."""
    staff = staff_session(request)
    for choice in staff.choices:
        if choice.pk == pk:
            request.session[SESSION_KEY] = pk
            request._motcua_staff = None  # type: ignore[attr-defined]
            return choice
    return None


def staff(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `staff`, computed only when a template looks at it."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"staff": None}
    return {"staff": SimpleLazyObject(lambda: staff_session(request))}
