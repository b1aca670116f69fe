"""/api/v1/applicants: an applicant's digitised documents, to reuse in a new dossier instead of a new scan.

Decree 45/2020 art. 16–17: a paper already digitised and signed is not asked for again. Counter software
asks with the applicant's ID number and full name, in a POST body so that they stay out of URLs: the list
is given to counter officers only, and holds only dossiers filed under both (a name that does not match
gives an empty list). A citizen signed in on the portal reads her own. The `file_id` of an entry goes
into the intake's `reused: [{position, file_id}]`, and opens the file itself (`documents/file`,
`me/documents/{file_id}`) for the officer to compare with the paper.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from motcua.api.auth import STAFF_OR_SESSION, session_auth
from motcua.api.dossiers_out import READ_ERRORS
from motcua.api.openapi import binary
from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.dossiers.applicant_documents import (
    ApplicantKey,
    DigitisedDocument,
    applicant_documents,
    citizen_documents,
    reusable_files,
)
from motcua.dossiers.disclosures import record_documents
from motcua.dossiers.models import StoredFile
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


class ApplicantFileQuery(ApplicantQuery):
    file_id: int = Field(description="An entry's `file_id` from `documents/search`.", examples=[41])


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
    user, key = _counter_officer(request), _key(query)
    found = applicant_documents(key)
    record_documents(user, key, len(found), through_api=True)
    return _out(found)


def _counter_officer(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not scope_for(user).ids_for(Role.COUNTER_OFFICER):
        raise NotFound(_("Not found."), code="not_found")
    return user


def _key(query: ApplicantQuery) -> ApplicantKey:
    return ApplicantKey(kind=query.kind, id_number=query.id_number, name=query.name)


def _file_response(stored: StoredFile | None) -> FileResponse:
    """The file, if it is still a valid copy of this applicant's; otherwise 404 (never why)."""
    if stored is None:
        raise NotFound(_("File not found."), code="file_not_found")
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise NotFound(_("File not found."), code="file_not_found") from None
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/documents/file",
    response=READ_ERRORS,
    summary="One of an applicant's digitised documents (counter officers; ID number and name must match)",
    description="For the officer to compare the copy with the paper before reusing it. A POST for the same "
    "reason as the search; the opening is recorded like a listing.",
    openapi_extra=binary("The stored file, as an attachment with its original name."),
)
def document_file(request: HttpRequest, query: ApplicantFileQuery) -> FileResponse:
    user, key = _counter_officer(request), _key(query)
    stored = reusable_files([query.file_id], applicant=key).get(query.file_id)
    response = _file_response(stored)
    record_documents(user, key, 1, through_api=True)
    return response


@router.get(
    "/me/documents",
    auth=[session_auth],
    response={200: DigitisedDocumentList, **READ_ERRORS},
    summary="My digitised documents (a citizen signed in on the portal)",
)
def my_documents(request: HttpRequest) -> DigitisedDocumentList:
    user: User = request.user  # type: ignore[assignment]
    return _out(citizen_documents(user))


@router.get(
    "/me/documents/{file_id}",
    auth=[session_auth],
    response=READ_ERRORS,
    summary="Download one of my digitised documents (a citizen signed in on the portal)",
    openapi_extra=binary("The stored file, as an attachment with its original name."),
)
def my_document_file(request: HttpRequest, file_id: int) -> FileResponse:
    user: User = request.user  # type: ignore[assignment]
    return _file_response(reusable_files([file_id], citizen=user).get(file_id))
