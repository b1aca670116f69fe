"""The demo's certificates: a CA of no legal value, trusted, a seal for each agency that handles demo
procedures and a personal certificate for each counter officer, so a newcomer signs and verifies at once.

Safe to repeat: only what is missing is made. EC P-256 keys are made in microseconds, so this adds little
to `load_demo`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q

from motcua.catalog.models import ProcedureVersion
from motcua.org.models import Agency, Role
from motcua.signing import services
from motcua.signing.models import Certificate, TrustedRoot

if TYPE_CHECKING:
    from motcua.core.demo import DemoReport

DEMO_CA_NAME = "MotCua Demo CA – không có giá trị pháp lý"


def handling_agencies() -> list[Agency]:
    """The agencies that handle a demo procedure: fixed lead agencies, and local ones of a lead sector."""
    leads = ProcedureVersion.objects.values_list("lead_agency_id", "lead_sector")
    fixed = {agency for agency, _sector in leads if agency}
    sectors = {sector for _agency, sector in leads if sector}
    found = Agency.objects.filter(is_active=True).filter(Q(pk__in=fixed) | Q(sector__in=sectors))
    return list(found.order_by("code"))


def load_demo_certificates(report: DemoReport) -> None:
    """Give the demo what it needs to sign, once."""
    authority = TrustedRoot.objects.filter(name=DEMO_CA_NAME).exclude(private_key=b"").first()
    if authority is None:
        authority = services.create_development_authority(name=DEMO_CA_NAME)
        report.changed = True
    active = Certificate.objects.filter(is_active=True)
    sealed = set(active.exclude(agency=None).values_list("agency_id", flat=True))
    seals = [a for a in handling_agencies() if a.pk not in sealed]
    for agency in seals:
        services.issue_development_certificate(authority=authority, agency=agency)
    holders = set(active.exclude(user=None).values_list("user_id", flat=True))
    officers = (
        get_user_model()
        .objects.filter(staff_roles__role=Role.COUNTER_OFFICER, staff_roles__is_active=True, is_active=True)
        .exclude(pk__in=holders)
        .distinct()
        .order_by("username")
    )
    issued = [services.issue_development_certificate(authority=authority, user=user) for user in officers]
    report.changed |= bool(seals or issued)
    report.lines.append(
        f"signing: CA “{authority.name}”, {len(seals)} seals and {len(issued)} personal certificates issued"
    )
