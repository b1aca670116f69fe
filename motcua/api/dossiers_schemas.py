"""Input and output schemas of /api/v1/dossiers: explicit fields, never auto-serialised models."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from motcua.api.errors import ErrorOut

CODE_EXAMPLE = "H42.50.01-251103-010001"
AT_EXAMPLE = "2025-11-03T09:00:00+07:00"


class Named(Schema):
    code: str = Field(examples=["H42.50.01"])
    name: str = Field(examples=["UBND phường Thành Sen"])


class UserRef(Schema):
    username: str = Field(examples=["cv.tuphap.thanhsen"])
    name: str = Field(examples=["Lương Thị Xuân"])


# Inputs ---------------------------------------------------------------------------------------------


class ApplicantIn(Schema):
    name: str = Field(max_length=255, examples=["Trần Văn Bình"])
    id_number: str = Field(
        max_length=20, description="Personal ID number (12 digits) or tax code.", examples=["042090001234"]
    )
    kind: Literal["person", "organisation"] = "person"
    date_of_birth: dt.date | None = Field(None, examples=["1990-05-17"])
    address: str = Field("", max_length=500, examples=["Tổ 3, phường Thành Sen"])
    phone: str = Field("", max_length=20, examples=["0912345678"])
    email: str = Field("", max_length=254, examples=["binh@example.vn"])


class FileIn(Schema):
    name: str = Field(max_length=255, examples=["giay-chung-sinh.pdf"])
    content_base64: str = Field(
        description="The file's bytes in standard base64: PDF, JPEG, PNG, TIFF or WebP, at most "
        "MAX_UPLOAD_MB. Large files: use POST /api/v1/dossiers/multipart.",
        examples=["JVBERi0xLjQKJSVFT0YK"],
    )
    document_position: int | None = Field(
        None, description="Position of the procedure's required document this file is.", examples=[1]
    )


class ReusedIn(Schema):
    position: int = Field(
        description="Position of the procedure's listed document it stands for.", examples=[2]
    )
    file_id: int = Field(
        description="`file_id` of one of the applicant's digitised documents "
        "(GET /api/v1/applicants/documents; a citizen: GET /api/v1/applicants/me/documents).",
        examples=[41],
    )


class ItemIn(Schema):
    position: int = Field(description="Position of a document of the procedure's list.", examples=[2])
    reason: str = Field(max_length=1000, examples=["Thiếu giấy tờ chứng minh chỗ ở hợp pháp."])


class IntakeBase(Schema):
    procedure_code: str = Field(max_length=30, examples=["2.002621"])
    service_point: str = Field(
        max_length=40, description="Receiving point code.", examples=["ttpvhcc-thanhsen"]
    )
    applicant: ApplicantIn
    provided: list[int] = Field([], description="Positions of the documents handed in.", examples=[[0, 1, 3]])
    delivery: Literal["counter", "post", "online"] = "counter"
    delivery_address: str = Field("", max_length=500)
    form_data: dict[str, Any] = Field({}, examples=[{"child_name": "Trần Gia An"}])
    representative: dict[str, Any] = Field({}, examples=[{}])
    sets: int = Field(1, ge=1, le=50)
    files: list[FileIn] = Field([], max_length=50)
    reused: list[ReusedIn] = Field(
        [],
        max_length=50,
        description="Digitised documents of the applicant used instead of a new scan (Decree 45/2020 art. "
        "16–17): each listed document named here counts as provided and gets a copy of the stored file, "
        "without the bytes being sent again. A file that is not one of this applicant's digitised "
        "documents (at the counter: same ID number and full name; online: the citizen's own dossiers) is "
        "refused with 422 reused_file_not_available, naming the document.",
        examples=[[{"position": 2, "file_id": 41}]],
    )


class CounterIntakeIn(IntakeBase):
    channel: Literal["counter", "post"] = "counter"
    postmarked_at: dt.datetime | None = Field(None, description="Required for the post channel.")
    outcome: Literal["accept", "request_completion", "refuse", "on_the_spot"] = Field(
        "accept",
        description="accept: a complete dossier; request_completion: record it and ask once for `items` "
        "(form 02); refuse: record the refusal with `reasons` (form 03); on_the_spot: receive, decide and "
        "hand over at once, with `result_files`.",
    )
    items: list[ItemIn] = Field([], description="For request_completion.")
    reasons: str = Field("", max_length=2000, description="For refuse.")
    result_files: list[FileIn] = Field([], max_length=20, description="For on_the_spot.")
    comment: str = Field("", max_length=2000)


class MultipartIntakeIn(CounterIntakeIn):
    file_positions: list[int | None] = Field(
        [],
        description="Document position of each `files` part, in the order of the parts.",
        examples=[[0, 1]],
    )


class OnlineIntakeIn(IntakeBase):
    delivery: Literal["counter", "post", "online"] = "online"


class VersionIn(Schema):
    expected_version: int | None = Field(
        None,
        description="The dossier `version` you saw; 409 dossier_changed if it moved since.",
        examples=[3],
    )


class ItemsIn(VersionIn):
    items: list[ItemIn] = Field(min_length=1)


class ReasonsIn(VersionIn):
    reasons: str = Field(max_length=2000, examples=["Giấy chứng sinh không hợp lệ."])


class ReasonIn(VersionIn):
    reason: str = Field("", max_length=2000, examples=["Theo đề nghị của người nộp hồ sơ."])


class FilesIn(VersionIn):
    files: list[FileIn] = Field([], max_length=50)
    provided: list[int] = Field([], examples=[[2]])
    reused: list[ReusedIn] = Field(
        [],
        max_length=50,
        description="Requested documents answered with the applicant's digitised documents, as in an "
        "intake's `reused`; only for documents the request listed (before acceptance: any the procedure "
        "lists), else 422 document_not_requested; a file not hers: 422 reused_file_not_available.",
    )


class CompleteStepIn(VersionIn):
    comment: str = Field("", max_length=2000, examples=["Đủ điều kiện, trình lãnh đạo."])


class AssignStepIn(VersionIn):
    assignee: str = Field(
        max_length=150, description="Username of the assignee.", examples=["cv.tuphap.thanhsen"]
    )


class ReturnStepIn(VersionIn):
    to_step_id: int = Field(examples=[41])
    reason: str = Field(max_length=2000, examples=["Kiểm tra lại địa chỉ thường trú."])


class ApologyIn(VersionIn):
    reason: str = Field(max_length=2000, examples=["Cần xác minh thông tin cư trú."])
    new_due_at: dt.datetime = Field(examples=["2025-11-12T16:00:00+07:00"])
    signer_name: str = Field("", max_length=255, examples=["Tạ Văn Nam"])
    signer_title: str = Field("", max_length=255, examples=["Chủ tịch UBND phường"])


class ResultIn(VersionIn):
    files: list[FileIn] = Field([], max_length=20, description="The result documents.")
    comment: str = Field("", max_length=2000)
    sign: bool = Field(
        False,
        description="Also sign the unsigned results (PDFs, images put into a PDF) with the handling agency's "
        "seal, as copies beside them; 422 agency_has_no_seal without one. Results that arrive signed are "
        "verified either way: one altered after signing is refused (422 result_signature_broken).",
    )


class HandOverIn(VersionIn):
    method: Literal["counter", "post", "online"] | None = Field(
        None, description="Default: as the applicant chose."
    )
    tracking_number: str = Field("", max_length=60, description="Required for post.")
    recipient: str = Field("", max_length=255, examples=["Trần Văn Bình"])


# Outputs --------------------------------------------------------------------------------------------


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
