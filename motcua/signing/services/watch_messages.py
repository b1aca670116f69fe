"""Who hears about a certificate the watch found (expiring, expired, revoked), and what their message says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.urls import reverse

from motcua.core.links import public_url
from motcua.core.models import User
from motcua.notify.compose import TemplateCache
from motcua.notify.context import moment, person
from motcua.notify.recipients import agency_leaders, staff_recipients
from motcua.notify.services.outbox import drafts_for, queue
from motcua.org.models import Agency, Role, StaffRole
from motcua.signing.models import Certificate

KIND_WORDS = {
    "vi": {"seal": "chứng thư số cơ quan", "personal": "chứng thư số cá nhân"},
    "en": {"seal": "agency seal", "personal": "personal certificate"},
}
DAYS = {"vi": "{n} ngày làm việc", "en": "{n} working day(s)"}


def officer_agencies(user: User) -> list[Agency]:
    """The agencies an officer works for: of her agency roles, and the receiving agencies of her desks."""
    rows = StaffRole.objects.filter(user=user, is_active=True).select_related(
        "agency", "service_point__agency"
    )
    found: dict[int, Agency] = {}
    for row in rows.order_by("pk"):
        agency = row.agency or (row.service_point.agency if row.service_point else None)
        if agency is not None:
            found.setdefault(agency.pk, agency)
    return list(found.values())


def province_admins() -> list[User]:
    return list(
        User.objects.filter(
            staff_roles__role=Role.PROVINCE_ADMIN, staff_roles__is_active=True, is_active=True
        ).distinct()
    )


def people_told(certificate: Certificate) -> list[User]:
    """A seal: its agency's leaders and the province administrators. A personal certificate: the officer
    and the leaders of her agencies."""
    if certificate.agency is not None:
        return [*agency_leaders(certificate.agency), *province_admins()]
    officer = certificate.user
    if officer is None:
        return []
    return [officer, *(leader for a in officer_agencies(officer) for leader in agency_leaders(a))]


def certificate_context(certificate: Certificate, language: str, now: dt.datetime) -> dict[str, Any]:
    """The variables every certificate message sees (kinds.CERTIFICATE_COMMON), as strings."""
    words = KIND_WORDS.get(language, KIND_WORDS["vi"])
    if certificate.agency is not None:
        kind, holder, agency = words["seal"], certificate.agency.name, certificate.agency.name
    else:
        officer = certificate.user
        kind, holder = words["personal"], person(officer) or certificate.common_name
        agency = ", ".join(a.name for a in officer_agencies(officer)) if officer is not None else ""
    return {
        "certificate_kind": kind,
        "holder": holder,
        "agency": agency,
        "serial": certificate.serial,
        "issuer": certificate.issuer,
        "valid_to": moment(certificate.valid_to),
        "admin_url": public_url(reverse("admin:signing_certificate_change", args=[certificate.pk])),
        "at": moment(now),
    }


def days_text(days: int, language: str) -> str:
    return DAYS.get(language, DAYS["vi"]).format(n=days)


def tell(
    certificate: Certificate,
    *,
    kind: str,
    source: str,
    now: dt.datetime,
    extra: Callable[[str], dict[str, Any]] = lambda language: {},
) -> int:
    """Queue `kind` about `certificate` to the people told, in the caller's transaction.

    `source` makes the outbox key: the same source never queues the same message twice.
    """
    drafts = drafts_for(
        kind=kind,
        source=source,
        recipients=staff_recipients(people_told(certificate)),
        variables=lambda language: {**certificate_context(certificate, language, now), **extra(language)},
        templates=TemplateCache(),
    )
    return queue(drafts)
