"""Changes to the organisation: merging agencies and granting roles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.org.models import (
    ROLE_SCOPE,
    AdministrativeUnit,
    Agency,
    Counter,
    Role,
    ServicePoint,
    StaffRole,
)


@transaction.atomic
def merge_agencies(*, sources: list[Agency], into: Agency, on: dt.date) -> Agency:
    """Merge agencies into one; the old rows and codes stay so old dossiers keep their agency.

    Staff roles, counters and the service points that received for the old agencies move to the new one.
    """
    if not into.is_active:
        raise ValidationFailed(
            _("Cannot merge into an agency that has ceased operating."), code="merge_into_inactive"
        )
    source_ids = [a.pk for a in sources]
    if into.pk in source_ids or not source_ids:
        raise ValidationFailed(_("The list of agencies to merge is not valid."), code="merge_invalid_sources")
    locked = list(Agency.objects.select_for_update().filter(pk__in=source_ids))
    for agency in locked:
        if agency.merged_into_id is not None:
            raise ValidationFailed(
                _("%(agency)s has already been merged.") % {"agency": agency.name}, code="already_merged"
            )
    for staff_role in StaffRole.objects.filter(agency_id__in=source_ids, is_active=True):
        # The same person may already hold the role in the new agency.
        if StaffRole.objects.filter(user_id=staff_role.user_id, role=staff_role.role, agency=into).exists():
            staff_role.is_active = False
            staff_role.save(update_fields=["is_active"])
        else:
            staff_role.agency = into
            staff_role.save(update_fields=["agency"])
    Counter.objects.filter(agency_id__in=source_ids).update(agency=into)
    Agency.objects.filter(parent_id__in=source_ids).exclude(pk=into.pk).update(parent=into)
    for point in ServicePoint.objects.filter(served_agencies__in=source_ids).distinct():
        point.served_agencies.add(into)
        point.served_agencies.remove(*source_ids)
    Agency.objects.filter(pk__in=source_ids).update(merged_into=into, merged_on=on, is_active=False)
    into.refresh_from_db()
    return into


@transaction.atomic
def grant_role(
    *,
    user: User,
    role: str,
    service_point: ServicePoint | None = None,
    agency: Agency | None = None,
    admin_unit: AdministrativeUnit | None = None,
    counter: Counter | None = None,
) -> StaffRole:
    """Give a user a role in one unit (idempotent)."""
    scopes = {"service_point": service_point, "agency": agency, "admin_unit": admin_unit}
    wanted = ROLE_SCOPE.get(role)  # type: ignore[call-overload]
    if wanted is None:
        raise ValidationFailed(
            _("Invalid role: %(role)s.") % {"role": role}, code="invalid_role", fields={"role": role}
        )
    if scopes[wanted] is None or any(v is not None for k, v in scopes.items() if k != wanted):
        raise ValidationFailed(
            _("This role must be tied to exactly one kind of unit."),
            code="invalid_role_scope",
            fields={"scope": wanted},
        )
    if counter is not None and counter.service_point_id != getattr(service_point, "pk", None):
        raise ValidationFailed(
            _("The counter does not belong to this receiving point."), code="counter_not_at_point"
        )
    lookup: dict[str, Any] = {"user": user, "role": role, wanted: scopes[wanted]}
    staff_role, _created = StaffRole.objects.update_or_create(
        **lookup, defaults={"counter": counter, "is_active": True}
    )
    if role == Role.PROVINCE_ADMIN:
        make_province_admin(staff_role.user)
    return staff_role


PROVINCE_ADMIN_GROUP = "Quản trị tỉnh"
# The province administrator manages these apps in the Django admin (issue: admin in Vietnamese): the
# organisation, catalog and calendars, and also the seals and trusted roots (signing) and the message
# templates, webhooks and delivery log (notify), which docs/signing.md and docs/notifications.md leave to
# her. The admin classes keep what must not be edited read-only (signatures, the outbox).
_ADMIN_APPS = ("org", "catalog", "workdays", "core", "signing", "notify")


def make_province_admin(user: User) -> None:
    """Let the user into the admin with the permissions of the province administrators' group."""
    group, _created = Group.objects.get_or_create(name=PROVINCE_ADMIN_GROUP)
    _grant_admin_apps(group)
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def refresh_province_admin_group(using: str = "default") -> None:
    """Give an existing group the permissions of apps added since (run after each migrate)."""
    group = Group.objects.using(using).filter(name=PROVINCE_ADMIN_GROUP).first()
    if group is not None:
        _grant_admin_apps(group, using)


def _grant_admin_apps(group: Group, using: str = "default") -> None:
    wanted = Permission.objects.using(using).filter(content_type__app_label__in=_ADMIN_APPS)
    if group.permissions.count() != wanted.count():
        group.permissions.set(wanted)


@transaction.atomic
def revoke_role(*, staff_role: StaffRole) -> None:
    """Take a role back; the row stays for the audit trail."""
    staff_role.is_active = False
    staff_role.save(update_fields=["is_active"])
