"""Receiving dossiers: at the counter, by post, online; accept, request completion, refuse, withdraw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.fees import compute_fees
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import VersionParts, version_for_filing, version_parts
from motcua.catalog.text import padded
from motcua.core import rows
from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.core.refcache import load_reference
from motcua.dossiers import access
from motcua.dossiers.applicant_documents import ApplicantKey
from motcua.dossiers.codes import NEXT_NUMBER, format_code, new_lookup_secret, sequence_prefix
from motcua.dossiers.deadlines import dossier_clock
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import (
    Applicant,
    Channel,
    Delivery,
    Dossier,
    DossierDocument,
    FileKind,
    RequestStage,
)
from motcua.dossiers.routing import lead_agency_for
from motcua.dossiers.services.requests import record_completion_request
from motcua.dossiers.services.reuse import ReusedSource, attach_reused, check_reused, reused_event_data
from motcua.dossiers.services.steps import plan_processing
from motcua.dossiers.transitions import announce, apply_action, message_reads, operation, transition
from motcua.dossiers.uploads import Upload, check_upload, store_upload
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


_applicant_by_id = rows.Prepared(
    lambda kind, id_number: Applicant.objects.filter(kind=kind, id_number=id_number).order_by(),
    kind=str,
    id_number=str,
)


_DOSSIER_IDS = rows.NextIds(Dossier)


def _applicant_number_and_id(
    data: ApplicantIn, citizen: User | None, *, prefix: str, day: dt.date
) -> tuple[Applicant, int, int | None]:
    """Record the applicant if she is new and read her; take the code's number and the dossier's id.

    One round trip on PostgreSQL, where the id is drawn in advance so that the dossier and the rows
    that refer to it can be written together; elsewhere the id comes with the dossier's INSERT (None).
    """
    values = {
        "name": data.name.strip(),
        "date_of_birth": data.date_of_birth,
        "address": data.address.strip(),
        "phone": data.phone.strip(),
        "email": data.email.strip(),
    }
    kind, id_number = data.kind, data.id_number.strip()
    reads: list[tuple[Any, dict[str, Any]]] = [
        (_applicant_by_id, {"kind": kind, "id_number": id_number}),
        (NEXT_NUMBER, {"prefix": prefix, "day": day}),
    ]
    if rows.batches():
        reads.append((_DOSSIER_IDS, {"count": 1}))
    # Insert-if-absent then read: the same statements whether the person is new or known, and no error
    # (so no savepoint) when another desk records the same person at the same moment.
    _written, found = rows.insert_new_then_read(
        [Applicant(kind=kind, id_number=id_number, **values, user=citizen)], *reads
    )
    applicant = found[0][0]  # inserted above or there already
    for key, value in values.items():
        if value and getattr(applicant, key) != value:
            setattr(applicant, key, value)
    if citizen is not None and applicant.user_id is None:
        applicant.user = citizen
    rows.save_changes(applicant)
    return applicant, found[1][0], found[2][0] if len(found) > 2 else None


def _snapshot(data: ApplicantIn) -> dict[str, Any]:
    return {
        "kind": data.kind,
        "name": data.name.strip(),
        "id_number": data.id_number.strip(),
        "date_of_birth": data.date_of_birth.isoformat() if data.date_of_birth else None,
        "address": data.address.strip(),
        "phone": data.phone.strip(),
        "email": data.email.strip(),
    }


def new_dossier(
    *,
    data: IntakeIn,
    filing: _Filing,
    channel: str,
    point: ServicePoint,
    citizen: User | None,
    now: dt.datetime,
) -> Dossier:
    options = settings.MOTCUA
    layout = options["DOSSIER_CODE_LAYOUT"]
    local_day = timezone.localdate(now)
    version = filing.version
    fees = compute_fees(filing.parts.fees, channel=channel, quantity=1)
    load_reference(point, "agency")
    part, prefix = sequence_prefix(point.agency, layout)
    applicant, number, dossier_id = _applicant_number_and_id(
        data.applicant, citizen, prefix=prefix, day=local_day
    )
    code = format_code(
        agency_code=part, day=local_day, sequence=number, layout=layout, owner_id=options["SYSTEM_OWNER_ID"]
    )
    return rows.build(
        Dossier,
        id=dossier_id,
        code=code,
        lookup_secret=new_lookup_secret(),
        channel=channel,
        procedure_version=version,
        procedure=version.procedure,
        receiving_point=point,
        receiving_agency=point.agency,
        lead_agency=filing.lead,
        applicant=applicant,
        applicant_snapshot=_snapshot(data.applicant),
        applicant_search=padded(data.applicant.name)[:400],
        representative=data.representative,
        form_data=data.form_data,
        delivery=data.delivery,
        delivery_address=data.delivery_address.strip(),
        citizen=citizen,
        sets=data.sets,
        fee_due_vnd=fees,
        postmarked_at=data.postmarked_at,
        created_at=now,
    )


def attach_documents(
    dossier: Dossier,
    data: IntakeIn,
    actor: User | None,
    kind: str = FileKind.SCAN,
    reused: Sequence[ReusedSource] = (),
) -> None:
    documents = rows.insert_many(checklist(dossier, data))
    store_uploads(dossier, data, actor, documents, kind)
    attach_reused(dossier, reused, documents, actor)


def checklist(dossier: Dossier, data: IntakeIn) -> list[DossierDocument]:
    """The procedure's documents as rows of this dossier, each marked as provided or not (not written)."""
    provided = set(data.provided_positions)
    return [
        rows.build(
            DossierDocument,
            dossier=dossier,
            requirement=required,
            position=required.position,
            name=required.name,
            form=required.form,
            copies=required.copies,
            provided=required.position in provided,
        )
        for required in version_parts(dossier.procedure_version).documents
    ]


def store_uploads(
    dossier: Dossier,
    data: IntakeIn,
    actor: User | None,
    documents: Sequence[DossierDocument],
    kind: str = FileKind.SCAN,
) -> None:
    """Store the uploaded files against the written checklist rows they belong to."""
    by_position: dict[int | None, DossierDocument] = {d.position: d for d in documents}
    for upload in data.uploads:
        store_upload(
            dossier=dossier,
            upload=upload,
            kind=kind,
            actor=actor,
            document=by_position.get(upload.document_position),
        )


def clock_changes(dossier: Dossier, received_at: dt.datetime) -> dict[str, Any]:
    start, due, second = dossier_clock(
        version=dossier.procedure_version,
        channel=dossier.channel,
        point=dossier.receiving_point,
        received_at=received_at,
    )
    return {"clock_started_at": start, "due_at": due, "original_due_at": due, "second_due_at": second}


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


@operation
def receive_dossier(
    *,
    data: IntakeIn,
    point: ServicePoint,
    actor: User,
    channel: str = Channel.COUNTER,
    now: dt.datetime | None = None,
) -> Dossier:
    """Accept a complete dossier at the counter or from the post: code, appointment, steps, receipt."""
    now = now or timezone.now()
    access.require_counter_officer(actor, point)
    filing = prepare_filing(data.procedure_code, _paper_channel(channel), point, data, now)
    missing = missing_documents(filing.version, data.provided_positions)
    if missing:
        raise ValidationFailed(
            _("The dossier is missing: %(missing)s. Request completion or receive all the documents.")
            % {"missing": "; ".join(missing)},
            code="documents_missing",
            fields={"missing": missing},
        )
    dossier = new_dossier(data=data, filing=filing, channel=channel, point=point, citizen=None, now=now)
    # Postal dossiers count from the postmark (DOMAIN, Lifecycle 4); counter dossiers from now.
    received_at = data.postmarked_at if channel == Channel.POST and data.postmarked_at else now
    received = transition(
        dossier,
        Action.RECEIVE,
        actor=actor,
        at=now,
        agency=point.agency,
        changes={"received_at": received_at, "received_by": actor, **clock_changes(dossier, received_at)},
        data={"channel": channel, **reused_event_data(filing.reused)},
    )
    steps, moved = plan_processing(dossier, actor=actor, now=now)
    events, documents = [received, *moved], checklist(dossier, data)
    # Built in memory first, so the new dossier is written once, in its state after the transfer;
    # on PostgreSQL its id was drawn in advance, so it goes with its rows and the message's read.
    reads, keep = message_reads(events)
    keep(rows.insert_together([dossier], events, documents, steps, then=reads))
    store_uploads(dossier, data, actor, documents)
    attach_reused(dossier, filing.reused, documents, actor)
    announce(events)
    return dossier


@operation
def request_completion_at_counter(
    *,
    data: IntakeIn,
    point: ServicePoint,
    actor: User,
    items: list[RequestItem],
    channel: str = Channel.COUNTER,
    now: dt.datetime | None = None,
) -> Dossier:
    """Record an incomplete dossier and the one request listing everything it needs (form 02)."""
    now = now or timezone.now()
    access.require_counter_officer(actor, point)
    filing = prepare_filing(data.procedure_code, _paper_channel(channel), point, data, now)
    dossier = new_dossier(data=data, filing=filing, channel=channel, point=point, citizen=None, now=now)
    apply_action(
        dossier,
        Action.REQUEST_COMPLETION,
        actor=actor,
        at=now,
        agency=point.agency,
        changes={"received_by": actor},
        data=reused_event_data(filing.reused),
    )
    attach_documents(dossier, data, actor, reused=filing.reused)
    record_completion_request(
        dossier, items=items, actor=actor, agency=point.agency, stage=RequestStage.INTAKE, now=now
    )
    return dossier


@operation
def refuse_at_counter(
    *,
    data: IntakeIn,
    point: ServicePoint,
    actor: User,
    reasons: str,
    channel: str = Channel.COUNTER,
    now: dt.datetime | None = None,
) -> Dossier:
    """Refuse a dossier at the counter with reasons (form 03); it keeps a code for the record."""
    now = now or timezone.now()
    access.require_counter_officer(actor, point)
    if not reasons.strip():
        raise ValidationFailed(
            _("State the reasons for refusal."), code="reason_required", fields={"reasons": "required"}
        )
    filing = prepare_filing(data.procedure_code, _paper_channel(channel), point, data, now)
    dossier = new_dossier(data=data, filing=filing, channel=channel, point=point, citizen=None, now=now)
    apply_action(
        dossier,
        Action.REFUSE_INTAKE,
        actor=actor,
        at=now,
        agency=point.agency,
        comment=reasons.strip(),
        changes={"received_by": actor, "finished_at": now},
        data=reused_event_data(filing.reused),
    )
    attach_documents(dossier, data, actor, reused=filing.reused)
    return dossier
