"""A new dossier's rows: the applicant, the code, the checklist and the stored files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone

from motcua.catalog.fees import compute_fees
from motcua.catalog.parts import version_parts
from motcua.catalog.text import padded
from motcua.core import rows
from motcua.core.models import User
from motcua.core.refcache import load_reference
from motcua.dossiers.codes import (
    NEXT_NUMBER,
    format_code,
    new_lookup_secret,
    sequence_prefix,
)
from motcua.dossiers.deadlines import dossier_clock
from motcua.dossiers.models import (
    Applicant,
    Dossier,
    DossierDocument,
    FileKind,
)
from motcua.dossiers.services.filing import ApplicantIn, IntakeIn, _Filing
from motcua.dossiers.services.reuse import (
    ReusedSource,
    attach_reused,
)
from motcua.dossiers.uploads import store_upload
from motcua.org.models import ServicePoint

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
