"""Input and output schemas of /api/v1/feedback: explicit fields, never auto-serialised models."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from motcua.api.dossiers_schemas import FileIn
from motcua.api.errors import ErrorOut

CODE = "PAKN-251117-0001"
ERRORS: dict[int, type] = {404: ErrorOut, 422: ErrorOut}
PUBLIC_WRITE: dict[int, type] = {409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
STAFF_READ: dict[int, type] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
STAFF_WRITE: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ON_BEHALF = (
    "Required of a leader acting for the specialist who holds the feedback (kept in its history); "
    "another specialist than the holder is refused with 409 holder_required."
)


class FeedbackIn(Schema):
    topic: str = Field(description="regulation, handling, conduct or other.", examples=["regulation"])
    subject: str = Field(max_length=200, examples=["Thời hạn giải quyết liên thông khai sinh"])
    content: str = Field(max_length=10000, examples=["Vì sao phải nộp bản sao giấy chứng sinh?"])
    sender_name: str = Field(max_length=200, examples=["Trần Văn Bình"])
    sender_phone: str = Field(
        "", max_length=20, description="A phone or an e-mail is required.", examples=["0912345678"]
    )
    sender_email: str = Field("", max_length=254, examples=["binh@example.vn"])
    procedure_code: str = Field("", max_length=30, examples=["2.002621"])
    agency_code: str = Field(
        "", max_length=35, description="The agency chosen; else routed.", examples=["H42.50.01"]
    )
    dossier_code: str = Field("", max_length=60, description="For topic handling.", examples=[""])
    dossier_secret: str = Field("", max_length=32, description="The dossier's look-up secret.", examples=[""])
    follow_up_code: str = Field("", max_length=30, description="An earlier feedback written about again.")
    follow_up_secret: str = Field("", max_length=32)
    files: list[FileIn] = Field([], max_length=5)


class CreatedOut(Schema):
    code: str = Field(examples=[CODE])
    secret: str = Field(
        description="Shown once: with the code it lets the sender follow it.", examples=["K7QW2M9XHA"]
    )
    status: str = Field(examples=["open"])
    agency: str = Field(examples=["Ủy ban nhân dân phường Thành Sen"])
    received_at: dt.datetime
    due_at: dt.datetime = Field(examples=["2025-12-01T09:00:00+07:00"])


class StepOut(Schema):
    at: dt.datetime
    action: str = Field(examples=["forward"])
    label: str = Field(examples=["Chuyển cơ quan khác"])
    agency: str | None = Field(None, examples=["Công an phường Thành Sen"])


class TrackOut(Schema):
    code: str = Field(examples=[CODE])
    status: str = Field(description="open, answered or declined.", examples=["answered"])
    topic: str = Field(examples=["regulation"])
    subject: str
    agency: str
    received_at: dt.datetime
    due_at: dt.datetime
    closed_at: dt.datetime | None
    on_time: bool | None
    answer: str = Field(examples=["Giấy chứng sinh là giấy tờ bắt buộc theo Luật Hộ tịch."])
    decline_reason: str = Field(examples=[""])
    reaction: str = Field(description="satisfied, unsatisfied or empty.", examples=[""])
    corrected_answer: str = Field(
        "",
        description="The published answer, once the agency corrected it and sent it to the sender.",
        examples=[""],
    )
    steps: list[StepOut]


class ReactionIn(Schema):
    reaction: str = Field(description="satisfied or unsatisfied.", examples=["satisfied"])
    comment: str = Field("", max_length=10000)


class PublishedOut(Schema):
    code: str = Field(examples=[CODE])
    topic: str
    procedure_code: str | None = Field(examples=["2.002621"])
    agency: str
    question: str = Field(description="As published: personal data removed.")
    answer: str
    published_at: dt.datetime


class PublishedPage(Schema):
    count: int
    page: int
    pages: int
    items: list[PublishedOut]


class PublishedQuery(Schema):
    procedure: str = Field("", max_length=30, examples=["2.002621"])
    topic: str = Field("", max_length=20)
    page: int = Field(1, ge=1, le=10000)


class AnswerChoiceOut(Schema):
    points: int = Field(examples=[2])
    label: str = Field(examples=["Lịch sự, tận tình"])


class QuestionOut(Schema):
    code: str = Field(examples=["staff_attitude"])
    question: str
    answers: list[AnswerChoiceOut]


class LevelOut(Schema):
    code: str = Field(examples=["satisfied"])
    label: str = Field(examples=["Hài lòng"])
    satisfied: bool


class SchemeOut(Schema):
    code: str = Field(examples=["nd61-2018"])
    levels: list[LevelOut]
    questions: list[QuestionOut]
    max_points: int = Field(examples=[18])


class RatingIn(Schema):
    level: str = Field(examples=["satisfied"])
    answers: dict[str, int] = Field(
        description="Points chosen for each question of the scheme (GET /ratings/scheme).",
        examples=[{"agencies_contacted": 2, "desk_handling": 2, "staff_attitude": 2}],
    )
    comment: str = Field("", max_length=2000)


class CriterionOut(Schema):
    code: str = Field(examples=["total_time"])
    points: int = Field(examples=[1])
    max: int = Field(examples=[2])
    source: str = Field(description="computed or citizen.", examples=["computed"])
    value: str | int = Field(examples=["on_time"])


class RatingOut(Schema):
    dossier: str = Field(examples=["H42.50.01-251103-010001"])
    scheme: str
    level: str
    satisfied: bool
    total: int = Field(examples=[16])
    max_total: int = Field(examples=[18])
    criteria: list[CriterionOut]
    channel: str
    rated_at: dt.datetime


class HolderOut(Schema):
    username: str = Field(examples=["cv.tuphap.thanhsen"])
    name: str = Field(examples=["Lương Thị Xuân"])


class ItemOut(Schema):
    code: str = Field(examples=[CODE])
    version: int
    status: str
    urgency: str = Field(description="late, today, soon, ok; done when closed.", examples=["soon"])
    topic: str
    subject: str
    procedure_code: str | None
    agency: str
    received_at: dt.datetime
    due_at: dt.datetime
    assignee: HolderOut | None = Field(description="The specialist of the agency who holds it, if any.")
    assigned_at: dt.datetime | None


class ItemPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ItemOut]


class InboxQuery(Schema):
    status: str = Field("open", description="open, answered, declined or all.")
    urgency: str = Field("", description="late, today, soon or ok.")
    topic: str = Field("")
    holder: str = Field(
        "", description="mine: held by the caller (her own list); none: not assigned yet.", examples=["mine"]
    )
    page: int = Field(1, ge=1, le=10000)


class PublicationOut(Schema):
    revision: int = Field(examples=[1])
    question: str
    answer: str
    published_at: dt.datetime
    published_by: str = Field(examples=["Tạ Văn Nam"])
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None = Field(examples=[None])
    withdraw_reason: str = Field(examples=[""])


class DetailOut(ItemOut):
    content: str
    sender_name: str
    sender_phone: str
    sender_email: str
    dossier_code: str | None
    answer: str
    on_time: bool | None
    reaction: str
    published: bool
    publications: list[PublicationOut] = Field(description="Every version published, newest first.")
    steps: list[StepOut]
    allowed_actions: list[str] = Field(
        description=(
            "What the caller may do now, by action path (forward, answer, decline, assign, take, release, "
            "publish, unpublish): a guide for buttons, never a permission."
        ),
        examples=[["assign", "answer", "forward", "decline"]],
    )
    on_behalf_reason_required: bool = Field(
        description=(
            "Another specialist holds it: the caller, a leader, answers, declines or forwards it only on "
            "her behalf, sending on_behalf_reason."
        ),
        examples=[False],
    )


class ForwardIn(Schema):
    agency_code: str = Field(max_length=35, examples=["H42.30.01"])
    reason: str = Field(max_length=10000, examples=["Thuộc thẩm quyền của Công an phường."])
    on_behalf_reason: str = Field(
        "",
        max_length=10000,
        description=ON_BEHALF,
        examples=[""],
    )
    expected_version: int | None = None


class AnswerIn(Schema):
    answer: str = Field(max_length=10000, examples=["Giấy chứng sinh là giấy tờ bắt buộc theo Luật Hộ tịch."])
    on_behalf_reason: str = Field(
        "",
        max_length=10000,
        description=ON_BEHALF,
        examples=[""],
    )
    expected_version: int | None = None


class DeclineIn(Schema):
    kind: str = Field(description="out_of_scope, duplicate or abusive.", examples=["duplicate"])
    reason: str = Field(max_length=10000, examples=["Đã trả lời tại phản ánh PAKN-251110-0003."])
    on_behalf_reason: str = Field(
        "",
        max_length=10000,
        description=ON_BEHALF,
        examples=[""],
    )
    expected_version: int | None = None


class PublishIn(Schema):
    question: str = Field(max_length=10000)
    answer: str = Field(max_length=10000)
    expected_version: int | None = None


class AssignIn(Schema):
    assignee: str = Field(
        max_length=150,
        description="User name of a specialist of the agency.",
        examples=["cv.tuphap.thanhsen"],
    )
    reason: str = Field(
        "",
        max_length=10000,
        description="Required when it is taken from the specialist who holds it.",
        examples=["Đồng chí Xuân phụ trách hộ tịch."],
    )
    expected_version: int | None = None


class TakeIn(Schema):
    expected_version: int | None = Field(None, examples=[1])


class ReleaseIn(Schema):
    reason: str = Field(
        max_length=10000, examples=["Tôi nghỉ phép từ ngày mai; nhờ lãnh đạo giao người khác."]
    )
    expected_version: int | None = Field(None, examples=[2])


class UnpublishIn(Schema):
    reason: str = Field(
        max_length=10000, examples=["Trả lời viện dẫn văn bản đã hết hiệu lực; sẽ đính chính."]
    )
    expected_version: int | None = None


class SecretQuery(Schema):
    secret: str = Field(min_length=1, max_length=32, description="The secret given when it was sent.")


class OptionalSecret(Schema):
    secret: str = Field(
        "", max_length=32, description="The receipt's secret; not needed on your own account."
    )
