"""/api/v1/applicants: an applicant's digitised documents, to reuse in a new dossier instead of a new scan.

Decree 45/2020 art. 16–17: a paper already digitised and signed is not asked for again. Counter software
asks with the applicant's ID number and full name, in a POST body so that they stay out of URLs: the list
is given to counter officers only, and holds only dossiers filed under both (a name that does not match
gives an empty list). A citizen signed in on the portal reads her own. The `file_id` of an entry goes
into the intake's `reused: [{position, file_id}]`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from motcua.api.auth import STAFF_OR_SESSION, session_auth
from motcua.api.dossiers_schemas import READ_ERRORS
from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.dossiers.applicant_documents import (
    ApplicantKey,
    DigitisedDocument,
    applicant_documents,
    citizen_documents,
)
from motcua.dossiers.disclosures import record_documents
from motcua.org.access import scope_for
from motcua.org.models import Role

router = Router(tags=["applicants"], auth=STAFF_OR_SESSION)


class ApplicantQuery(Schema):
    id_number: str = Field(
        max_length=20, description="Personal ID number (12 digits) or tax code.", examples=["042090001234"]
    )
    name: str = Field(
        max_length=255,
        description="Full name as on the ID card; compared without diacritics and case.",
        examples=["Trần Văn Bình"],
    )
    kind: Literal["person", "organisation"] = "person"


class DigitisedDocumentOut(Schema):
    file_id: int = Field(description="Send it in an intake's `reused`.", examples=[41])
    name: str = Field(
        description="The listed document it was filed as, or what the result is.",
        examples=["Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp"],
    )
    file_name: str = Field(examples=["hop-dong-thue-nha-da-ky-so.pdf"])
    content_type: str = Field(examples=["application/pdf"])
    size: int
    sha256: str
    origin: Literal["result", "signed_scan", "reused"] = Field(
        description="result: the result of a returned dossier; signed_scan: a scan signed by the receiving "
        "officer; reused: one of these, reused in a later dossier (the newest place it is held)."
    )
    dossier_code: str = Field(examples=["H42.50.01-251006-010001"])
    procedure: str = Field(examples=["Đăng ký thường trú"])
    stored_at: dt.datetime


class DigitisedDocumentList(Schema):
    items: list[DigitisedDocumentOut] = Field(description="One entry per content, newest first.")


def _out(documents: list[DigitisedDocument]) -> DigitisedDocumentList:
    return DigitisedDocumentList(
        items=[
            DigitisedDocumentOut(
                file_id=d.file_id,
                name=d.name,
                file_name=d.file_name,
                content_type=d.content_type,
                size=d.size,
                sha256=d.sha256,
                origin=d.origin,  # type: ignore[arg-type]
                dossier_code=d.dossier_code,
                procedure=d.procedure,
                stored_at=d.stored_at,
            )
            for d in documents
        ]
    )


@router.post(
    "/documents/search",
    response={200: DigitisedDocumentList, **READ_ERRORS},
    summary="An applicant's digitised documents (counter officers; ID number and full name must match)",
    description="A read, sent as POST so that the ID number and the name stay out of URLs and access logs. "
    "It changes nothing, so it takes no Idempotency-Key.",
)
def documents(request: HttpRequest, query: ApplicantQuery) -> DigitisedDocumentList:
    user: User = request.user  # type: ignore[assignment]
    if not scope_for(user).ids_for(Role.COUNTER_OFFICER):
        raise NotFound(_("Not found."), code="not_found")
    key = ApplicantKey(kind=query.kind, id_number=query.id_number, name=query.name)
    found = applicant_documents(key)
    record_documents(user, key, len(found), through_api=True)
    return _out(found)


@router.get(
    "/me/documents",
    auth=[session_auth],
    response={200: DigitisedDocumentList, **READ_ERRORS},
    summary="My digitised documents (a citizen signed in on the portal)",
)
def my_documents(request: HttpRequest) -> DigitisedDocumentList:
    user: User = request.user  # type: ignore[assignment]
    return _out(citizen_documents(user))
