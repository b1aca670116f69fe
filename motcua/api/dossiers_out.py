"""Output schemas of /api/v1/dossiers: explicit fields, never auto-serialised models."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from motcua.api.dossiers_schemas import CODE_EXAMPLE, Named, UserRef
from motcua.api.errors import ErrorOut


class ApplicantOut(Schema):
    kind: str = "person"
    name: str = ""
    id_number: str = ""
    date_of_birth: str | None = None
    address: str = ""
    phone: str = ""
    email: str = ""


class ProcedureRef(Schema):
    code: str = Field(examples=["2.002621"])
    name: str
    version: int = Field(examples=[1])


class DocumentOut(Schema):
    position: int
    name: str
    form: str
    copies: int
    provided: bool


class FileSignatureOut(Schema):
    position: int = Field(description="0 for the first signature of the file.")
    signer_name: str = Field(examples=["ỦY BAN NHÂN DÂN PHƯỜNG THÀNH SEN"])
    signer_organisation: str
    signed_at: dt.datetime | None = Field(description="As the signer declared it.")
    status: str = Field(
        description="valid, untrusted, expired, modified or invalid, as verified when the file was stored.",
        examples=["valid"],
    )
    origin: str = Field(description="signed (in MotCua) or received (signed elsewhere).", examples=["signed"])
    purpose: str = Field(description="result, scan or form.", examples=["result"])
    verified_at: dt.datetime
    timestamp_at: dt.datetime | None = Field(
        description="The RFC 3161 timestamp's time, when the signature carries one (PAdES B-T).",
        examples=["2025-11-03T09:12:40+07:00"],
    )
    timestamp_authority: str = Field(description="Who issued the timestamp; empty without one.")
    long_term: bool = Field(
        description="Timestamped with the validation info embedded (PAdES B-LT): checkable after expiry."
    )
    revocation: str = Field(
        description="not_checked, good, unknown (the CA did not answer: soft mode), failed or revoked.",
        examples=["good"],
    )
    level: Literal["B", "B-T", "B-LT", "B-LTA"] = Field(
        description="The PAdES baseline level: B; B-T with a signature timestamp; B-LT with the validation "
        "info embedded; B-LTA with an archive (document) timestamp over it, renewed by MotCua before the "
        "timestamp authority's certificate expires.",
        examples=["B-LTA"],
    )
    archived_at: dt.datetime | None = Field(
        description="The first trusted archive timestamp after the signature (PAdES B-LTA), if any."
    )
    timestamp_valid_to: dt.datetime | None = Field(
        description="When the certificate of the authority that timestamped the signature expires; after "
        "it, only a later archive timestamp proves the signing time."
    )


class FileOut(Schema):
    id: int
    kind: str = Field(
        examples=["scan"],
        description="scan, supplement, result, form, or reused (a digitised document of an earlier dossier).",
    )
    name: str = Field(examples=["giay-chung-sinh.pdf"])
    content_type: str = Field(examples=["application/pdf"])
    size: int
    sha256: str
    document_position: int | None
    uploaded_at: dt.datetime
    url: str = Field(examples=[f"/api/v1/dossiers/{CODE_EXAMPLE}/files/7"])
    signatures: list[FileSignatureOut] = Field(description="The digital signatures the file carries.")
    signed_copy_of: int | None = Field(
        description="The id of the file this one is a signed copy of; the original stays unchanged.",
        examples=[6],
    )


class StepOut(Schema):
    id: int
    stage: int
    branch: str = Field(description="Empty: the main line; branches of one stage run in parallel.")
    position: int
    attempt: int
    name: str
    agency: Named
    role: str = Field(examples=["specialist"])
    status: str = Field(examples=["active"])
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    assigned_to: UserRef | None
    completed_at: dt.datetime | None
    completed_by: UserRef | None
    outcome: str = Field(description="early, on_time or late once done.")
    comment: str
    actions: list[str] = Field(
        description="What the caller may do on this step (take, assign, complete, return)."
    )


class EventOut(Schema):
    at: dt.datetime
    action: str = Field(examples=["receive"])
    action_label: str
    actor_name: str
    agency: Named | None
    from_status: str
    to_status: str
    comment: str
    data: dict[str, Any]
    public: bool


class RequestOut(Schema):
    stage: str = Field(description="intake (before acceptance) or processing.")
    items: list[dict[str, Any]]
    requested_at: dt.datetime
    deadline: dt.datetime
    answered_at: dt.datetime | None
    agency: Named


class ApologyOut(Schema):
    agency: Named
    reason: str
    previous_due_at: dt.datetime
    new_due_at: dt.datetime
    issued_at: dt.datetime
    signer_name: str
    signer_title: str


class DossierDetail(Schema):
    code: str = Field(examples=[CODE_EXAMPLE])
    version: int = Field(description="Send it back as expected_version to act on what you saw.")
    status: str = Field(examples=["in_progress"])
    status_label: str
    channel: str
    procedure: ProcedureRef
    receiving_point: Named
    receiving_agency: Named
    lead_agency: Named
    applicant: ApplicantOut | None = Field(description="As filed; staff only.")
    representative: dict[str, Any] | None = Field(description="Staff only.")
    form_data: dict[str, Any]
    delivery: str
    delivery_address: str
    sets: int
    fee_due_vnd: int
    lookup_secret: str | None = Field(description="For the receiving desk and the applicant only.")
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    postmarked_at: dt.datetime | None
    clock_started_at: dt.datetime | None
    transferred_at: dt.datetime | None
    due_at: dt.datetime | None = Field(examples=["2025-11-06T02:00:00Z"])
    original_due_at: dt.datetime | None
    second_due_at: dt.datetime | None
    clock_paused_at: dt.datetime | None
    result_ready_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str
    late: bool
    documents: list[DocumentOut]
    files: list[FileOut]
    steps: list[StepOut]
    requests: list[RequestOut]
    apology: ApologyOut | None
    timeline: list[EventOut]
    forms: list[str] = Field(
        description="Official forms available now, at GET /{code}/forms/{name}.", examples=[["receipt"]]
    )
    allowed_actions: list[str] = Field(
        description="Lifecycle actions the caller may try now: a guide for buttons; the server still judges.",
        examples=[["take_step", "complete_step", "request_supplement", "issue_apology", "refuse"]],
    )


class ActiveStepOut(Schema):
    id: int
    agency: Named
    role: str
    assigned_to: str | None = Field(description="Username.")
    due_at: dt.datetime | None


class DossierItem(Schema):
    code: str = Field(examples=[CODE_EXAMPLE])
    version: int
    status: str
    status_label: str
    channel: str
    procedure: Named
    applicant_name: str
    receiving_point: Named
    lead_agency: Named
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str
    late: bool
    active_steps: list[ActiveStepOut]


class DossierPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[DossierItem]


READ_ERRORS: dict[int, type] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
