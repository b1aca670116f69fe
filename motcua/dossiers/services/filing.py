"""A filing before anything is written: what the applicant brings, the version in force, the checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.parts import VersionParts, version_parts
from motcua.catalog.selectors import version_for_filing
from motcua.core import rows
from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.core.refcache import load_reference
from motcua.dossiers.applicant_documents import ApplicantKey
from motcua.dossiers.models import (
    Channel,
    Delivery,
)
from motcua.dossiers.routing import lead_agency_for
from motcua.dossiers.services.reuse import (
    ReusedSource,
    check_reused,
)
from motcua.dossiers.uploads import Upload, check_upload
from motcua.org.models import AdministrativeUnit, Agency, ServicePoint, UnitLevel


@dataclass(frozen=True)
class ApplicantIn:
    name: str
    id_number: str
    kind: str = "person"
    date_of_birth: dt.date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""


class Reused(NamedTuple):
    """One of the applicant's digitised documents (a stored file) used for a listed document."""

    position: int
    file_id: int


@dataclass(frozen=True)
class IntakeIn:
    """What the applicant brings: one procedure, the papers, the files, and how to get the result."""

    procedure_code: str
    applicant: ApplicantIn
    provided: list[int] = field(default_factory=list)  # positions of the procedure's required documents
    uploads: list[Upload] = field(default_factory=list)
    delivery: str = Delivery.COUNTER
    delivery_address: str = ""
    form_data: dict[str, Any] = field(default_factory=dict)
    representative: dict[str, Any] = field(default_factory=dict)
    sets: int = 1
    postmarked_at: dt.datetime | None = None
    # Digitised documents not asked for again (Decree 45/2020 art. 16–17): each item is then provided.
    reused: list[Reused] = field(default_factory=list)

    @property
    def provided_positions(self) -> list[int]:
        """The listed documents handed in: ticked, or covered by a reused digitised document."""
        return sorted({*self.provided, *(position for position, _file in self.reused)})


@dataclass(frozen=True)
class RequestItem:
    """One missing or faulty item: a listed document (by position) and why."""

    position: int
    reason: str


class _Filing:
    """The version in force for a filing, what it lists, and the agency that will handle it."""

    def __init__(self, version: ProcedureVersion, point: ServicePoint) -> None:
        self.version, self.point = version, point
        self.parts: VersionParts = version_parts(version)
        self.reused: list[ReusedSource] = []

    @cached_property
    def lead(self) -> Agency:
        """Resolved when first needed, so a filing refused for another reason never looks it up."""
        return lead_agency_for(self.version, self.point)


def _check_intake(
    data: IntakeIn, filing: _Filing, channel: str, point: ServicePoint, citizen: User | None
) -> None:
    version = filing.version
    errors: dict[str, str] = {}
    applicant = data.applicant
    if not applicant.name.strip():
        errors["applicant.name"] = _("The applicant's full name is missing.")
    if not applicant.id_number.strip().isdigit() or not 9 <= len(applicant.id_number.strip()) <= 13:
        errors["applicant.id_number"] = _("A personal identification number or tax code has 9–13 digits.")
    if data.delivery not in Delivery.values:
        errors["delivery"] = _("The way to receive the result is not valid.")
    if data.delivery == Delivery.POST and not data.delivery_address.strip():
        errors["delivery_address"] = _("Receiving the result by post needs a delivery address.")
    if data.delivery == Delivery.ONLINE and not (applicant.email or applicant.phone):
        errors["delivery"] = _("Receiving the result online needs an e-mail address or a phone number.")
    if channel not in version.channels:
        errors["channel"] = _("This procedure is not received through the “%(channel)s” channel.") % {
            "channel": Channel(channel).label
        }
    if channel == Channel.POST and data.postmarked_at is None:
        errors["postmarked_at"] = _("A dossier sent by post needs the postmark date.")
    if not 1 <= data.sets <= 50:
        errors["sets"] = _("The number of sets is from 1 to 50.")
    known = {d.position for d in filing.parts.documents}
    unknown = [p for p in data.provided if p not in known]
    if unknown:
        errors["provided"] = _("Documents not in the procedure's list: %(positions)s.") % {
            "positions": unknown
        }
    unlisted = [position for position, _file in data.reused if position not in known]
    if unlisted:
        errors["reused"] = _(
            "Digitised documents chosen for items not in the procedure's list: %(positions)s."
        ) % {"positions": unlisted}
    if errors:
        raise ValidationFailed(
            _("The dossier is not valid: %(errors)s") % {"errors": " ".join(errors.values())}, fields=errors
        )
    for upload in data.uploads:
        check_upload(upload)
    if not version.received_at_centre:
        raise ValidationFailed(
            _("This procedure is not received at the Centre. %(where)s") % {"where": version.where_if_not},
            code="not_received_at_centre",
        )
    _check_point_receives(filing, point)
    if data.reused:
        filing.reused = check_reused(
            data.reused,
            {d.position: d.name for d in filing.parts.documents},
            applicant=ApplicantKey(applicant.kind, applicant.id_number, applicant.name),
            citizen=citizen,
        )


_served = rows.Prepared(
    lambda point, agency: ServicePoint.served_agencies.through.objects.filter(
        servicepoint_id=point, agency_id=agency
    ).order_by(),
    track=False,
    point=int,
    agency=int,
)


def _check_point_receives(filing: _Filing, point: ServicePoint) -> None:
    """A point receives procedures of its level for the agencies it serves; boundary-free ones anywhere."""
    level_ids = filing.parts.level_ids
    load_reference(point, "agency")
    # A branch of the provincial centre sits in a commune but receives for the province: the level is
    # the receiving agency's, not the building's.
    if level_ids and _unit_of(point.agency).level_id not in level_ids:
        levels = UnitLevel.objects.filter(pk__in=level_ids).values_list("code", flat=True)
        raise ValidationFailed(
            _("%(point)s does not receive procedures of this level (%(levels)s).")
            % {"point": point.name, "levels": ", ".join(sorted(levels))},
            code="procedure_not_received_here",
        )
    if filing.version.boundary_free:
        return
    lead = filing.lead
    if point.agency_id != lead.pk and not _served.rows(point=point.pk, agency=lead.pk):
        raise ValidationFailed(
            _("%(point)s does not receive procedures of %(agency)s.")
            % {"point": point.name, "agency": lead.name},
            code="procedure_not_received_here",
        )


def _unit_of(agency: Agency) -> AdministrativeUnit:
    load_reference(agency, "unit")
    return agency.unit


def missing_documents(version: ProcedureVersion, provided: list[int]) -> list[str]:
    documents = version_parts(version).documents
    return [d.name for d in documents if d.required and d.position not in provided]


def prepare_filing(
    procedure_code: str,
    channel: str,
    point: ServicePoint,
    data: IntakeIn,
    now: dt.datetime,
    citizen: User | None = None,
) -> _Filing:
    """Check a filing before anything is written; `citizen` files online (her documents are hers to reuse)."""
    version = version_for_filing(procedure_code, now)
    filing = _Filing(version, point)
    _check_intake(data, filing, channel, point, citizen)
    return filing


def _paper_channel(channel: str) -> str:
    """Counter and post are the channels an officer handles at the desk; online ones come from the portal."""
    if channel not in (Channel.COUNTER, Channel.POST):
        raise ValidationFailed(
            _("Online dossiers are filed by citizens through the portal."), code="wrong_channel"
        )
    return channel
