"""What each official form shows: plain frozen values, built by the dossier engine, read by the renderers.

Every moment is an aware datetime (shown in Asia/Ho_Chi_Minh); every text is printed as given, so
labels such as a document's form ("Bản chính") or a delivery method arrive already in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class FormName(StrEnum):
    """The seven forms of a dossier (Circular 03/2025/TT-VPCP), as `render` knows them."""

    RECEIPT = "receipt"
    SUPPLEMENT_REQUEST = "supplement_request"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    STOP_NOTICE = "stop_notice"
    CONTROL_SHEET = "control_sheet"
    TRACKING_BOOK = "tracking_book"


# The legal titles, printed in capitals under the heading.
FORM_TITLES: Mapping[FormName, str] = {
    FormName.RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    FormName.SUPPLEMENT_REQUEST: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    FormName.REFUSAL: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    FormName.APOLOGY: "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    FormName.STOP_NOTICE: "Thông báo dừng giải quyết hồ sơ",
    FormName.CONTROL_SHEET: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    FormName.TRACKING_BOOK: "Sổ theo dõi hồ sơ",
}


@dataclass(frozen=True)
class FormCodes:
    """The form numbers printed top right; the Circular's appendix may renumber them, so callers choose."""

    receipt: str = "Mẫu số 01"
    supplement_request: str = "Mẫu số 02"
    refusal: str = "Mẫu số 03"
    apology: str = "Mẫu số 04"
    stop_notice: str = "Mẫu số 05"
    control_sheet: str = "Mẫu số 06"
    tracking_book: str = "Mẫu số 07"

    def for_form(self, form: FormName) -> str:
        """Return the number printed on `form`."""
        return str(getattr(self, form.value))


DEFAULT_CODES = FormCodes()


class Outcome(StrEnum):
    """How a step or a dossier ended against its due moment; same values as the dossier's outcome."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label(self) -> str:
        """Return the wording of the control sheet."""
        return {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}[self.value]


@dataclass(frozen=True)
class Issuer:
    """The unit that issues a form, as named in the heading (Decree 30/2020, appendix I)."""

    name: str  # "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh", printed in capitals, bold
    parent_name: str = ""  # "Ủy ban nhân dân tỉnh Hà Tĩnh", printed in capitals above the name
    place: str = ""  # "Hà Tĩnh", opens the date line


@dataclass(frozen=True)
class Party:
    """An applicant (person or organisation) or an authorised representative."""

    name: str
    id_number: str = ""  # personal ID number (12 digits) or organisation tax code
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Signer:
    """Who signs: the heading of the block, the name, and for a deputy the authority line above."""

    title: str  # "Giám đốc", "Người tiếp nhận hồ sơ"
    name: str = ""
    authority: str = ""  # "KT. Giám đốc" when a deputy signs on behalf of the head


@dataclass(frozen=True)
class ReceivedDocument:
    """One paper of the dossier as received at the counter."""

    name: str
    form_label: str = ""  # "Bản chính", "Bản sao có chứng thực", "Bản điện tử"
    copies: int = 1


@dataclass(frozen=True)
class ReceiptSlip:
    """The receipt and appointment slip handed to the applicant."""

    issuer: Issuer
    dossier_code: str
    procedure_name: str
    applicant: Party
    received_at: datetime
    due_at: datetime
    documents: Sequence[ReceivedDocument] = ()
    representative: Party | None = None
    receiving_unit: str = ""  # the desk; the issuer's name when empty
    sets: int = 1
    time_limit: str = ""  # the legal limit as published: "05 ngày làm việc"
    # Some land dossiers have a second appointment, after the financial obligations are met.
    second_due_at: datetime | None = None
    second_due_label: str = "Thời gian hẹn trả kết quả lần 2"
    return_place: str = ""
    book_number: str = ""
    officer_name: str = ""
    lookup_url: str = ""  # the public look-up URL with the secret; printed as a QR code


@dataclass(frozen=True)
class SupplementItem:
    """One thing to add or correct, and why."""

    name: str
    reason: str = ""


@dataclass(frozen=True)
class SupplementRequest:
    """The one request to supplement or complete a dossier (Decree 118: asked only once)."""

    issuer: Issuer
    procedure_name: str
    applicant: Party
    requested_at: datetime
    items: Sequence[SupplementItem] = ()
    dossier_code: str = ""
    received_at: datetime | None = None
    deadline: datetime | None = None  # closed when not completed by then
    contact_name: str = ""
    contact_phone: str = ""
    receiving_unit: str = ""
    officer_name: str = ""


@dataclass(frozen=True)
class Refusal:
    """The refusal to receive and handle a dossier, with its reasons."""

    issuer: Issuer
    procedure_name: str
    applicant: Party
    issued_at: datetime
    reasons: Sequence[str] = ()
    dossier_code: str = ""
    receiving_unit: str = ""
    officer_name: str = ""


@dataclass(frozen=True)
class Apology:
    """The apology of the agency at fault, with the one new appointment it may set."""

    issuer: Issuer  # the agency at fault
    applicant: Party
    dossier_code: str
    procedure_name: str
    received_at: datetime
    previous_due_at: datetime
    new_due_at: datetime
    reason: str
    issued_at: datetime
    signer: Signer
    number: str = ""  # "Số: 12/PXL-STNMT"
    recipients: Sequence[str] = ()  # "Nơi nhận" lines; the applicant first


@dataclass(frozen=True)
class StopNotice:
    """The notice that handling stops at the applicant's request, before any result exists."""

    issuer: Issuer
    applicant: Party
    dossier_code: str
    procedure_name: str
    requested_at: datetime  # when the applicant asked to stop
    issued_at: datetime
    signer: Signer
    reason: str = ""
    received_at: datetime | None = None
    return_place: str = ""  # where the filed papers can be taken back
    number: str = ""
    recipients: Sequence[str] = ()


@dataclass(frozen=True)
class ControlRow:
    """One hand-over of the dossier between units, with the outcome of the step it closes."""

    from_unit: str
    to_unit: str
    handed_at: datetime
    from_person: str = ""
    to_person: str = ""
    outcome: Outcome | None = None
    note: str = ""


@dataclass(frozen=True)
class ControlSheet:
    """The sheet that travels with the dossier and records every hand-over."""

    issuer: Issuer
    dossier_code: str
    procedure_name: str
    applicant: Party
    received_at: datetime
    due_at: datetime
    rows: Sequence[ControlRow] = ()


@dataclass(frozen=True)
class BookRow:
    """One dossier in the tracking book."""

    dossier_code: str
    procedure_name: str
    applicant_name: str
    lead_agency: str
    received_at: datetime
    due_at: datetime
    returned_at: datetime | None = None
    delivery: str = ""  # "Trực tiếp", "Bưu chính công ích", "Trực tuyến"
    status: str = ""  # the result column; the outcome's label when empty
    outcome: Outcome | None = None


@dataclass(frozen=True)
class TrackingBook:
    """The electronic tracking book of one unit for a period, optionally one field of procedures."""

    issuer: Issuer
    period_from: date
    period_to: date
    rows: Sequence[BookRow] = ()
    field_name: str = ""
