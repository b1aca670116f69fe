"""Input and output schemas of /api/v1/dossiers: explicit fields, never auto-serialised models."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

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
