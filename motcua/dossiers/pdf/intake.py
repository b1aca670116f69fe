"""The three forms a receipt ends in: the receipt slip, the supplement request, the refusal."""

from __future__ import annotations

from fpdf.enums import Align

from motcua.dossiers.pdf import layout
from motcua.dossiers.pdf.data import (
    DEFAULT_CODES,
    FormCodes,
    FormName,
    Party,
    ReceiptSlip,
    Refusal,
    Signer,
    SupplementRequest,
)
from motcua.dossiers.pdf.dates import format_moment
from motcua.dossiers.pdf.document import FormPDF, Paper
from motcua.dossiers.pdf.layout import Column

# Widths in mm of the printable width of A4 portrait; A5 scales them down.
DOCUMENT_COLUMNS = (
    Column("TT", 11, Align.C),
    Column("Tên giấy tờ", 106),
    Column("Hình thức", 38, Align.C),
    Column("Số lượng", 20, Align.C),
)
SUPPLEMENT_COLUMNS = (
    Column("TT", 11, Align.C),
    Column("Nội dung cần bổ sung, hoàn thiện", 84),
    Column("Lý do", 80),
)


def filed_by(pdf: FormPDF, *, unit: str, applicant: Party, procedure_name: str) -> None:
    """Write who received the dossier from whom, and what was asked."""
    layout.text(pdf, f"{unit} tiếp nhận hồ sơ của:")
    layout.party(pdf, applicant, name_label="Tổ chức/cá nhân")
    layout.field(pdf, "Nội dung yêu cầu giải quyết", procedure_name, strong=True)


def render_receipt(
    slip: ReceiptSlip, *, codes: FormCodes = DEFAULT_CODES, paper: Paper | str = Paper.A4
) -> bytes:
    """Render the receipt and appointment slip, on A4 or A5."""
    pdf = layout.begin(FormName.RECEIPT, codes, slip.issuer, dated=slip.received_at, paper=Paper(paper))
    layout.code_line(pdf, slip.dossier_code)
    unit = slip.receiving_unit or slip.issuer.name
    filed_by(pdf, unit=unit, applicant=slip.applicant, procedure_name=slip.procedure_name)
    if slip.representative is not None:
        layout.party_inline(pdf, slip.representative, name_label="Người được ủy quyền")
    layout.text(pdf, "1. Thành phần hồ sơ nộp gồm:")
    rows = [
        [str(number), document.name, document.form_label, f"{document.copies:02d}"]
        for number, document in enumerate(slip.documents, start=1)
    ]
    layout.table(pdf, DOCUMENT_COLUMNS, rows, empty="Không có giấy tờ kèm theo")
    layout.text(pdf, f"2. Số lượng hồ sơ: {slip.sets:02d} bộ.")
    layout.text(pdf, f"3. Thời hạn giải quyết hồ sơ theo quy định: {slip.time_limit or 'không quy định'}.")
    layout.text(pdf, f"4. Thời gian nhận hồ sơ: {format_moment(slip.received_at)}.")
    layout.text(pdf, f"5. Thời gian hẹn trả kết quả giải quyết hồ sơ: {format_moment(slip.due_at)}.")
    if slip.second_due_at is not None:
        layout.text(pdf, f"    {slip.second_due_label}: {format_moment(slip.second_due_at)}.")
    layout.text(pdf, f"6. Nơi trả kết quả: {slip.return_place or unit}.")
    if slip.book_number:
        layout.text(pdf, f"Vào Sổ theo dõi hồ sơ, số: {slip.book_number}.")
    layout.signatures(
        pdf,
        Signer("Người nộp hồ sơ", slip.applicant.name),
        Signer("Người tiếp nhận hồ sơ", slip.officer_name),
    )
    layout.lookup(pdf, slip.lookup_url)
    return pdf.finish()


def render_supplement_request(request: SupplementRequest, *, codes: FormCodes = DEFAULT_CODES) -> bytes:
    """Render the request to supplement or complete a dossier, every item with its reason."""
    pdf = layout.begin(FormName.SUPPLEMENT_REQUEST, codes, request.issuer, dated=request.requested_at)
    layout.code_line(pdf, request.dossier_code)
    unit = request.receiving_unit or request.issuer.name
    filed_by(pdf, unit=unit, applicant=request.applicant, procedure_name=request.procedure_name)
    if request.received_at is not None:
        layout.field(pdf, "Thời gian tiếp nhận", format_moment(request.received_at))
    layout.prose(
        pdf,
        "Sau khi xem xét, đối chiếu thành phần hồ sơ với quy định, đề nghị Ông/Bà bổ sung, "
        "hoàn thiện hồ sơ gồm những nội dung sau:",
    )
    rows = [[str(n), item.name, item.reason] for n, item in enumerate(request.items, start=1)]
    layout.table(pdf, SUPPLEMENT_COLUMNS, rows, empty="Không có nội dung")
    layout.gap(pdf, 0.3)
    if request.deadline is not None:
        layout.field(pdf, "Thời hạn bổ sung, hoàn thiện hồ sơ", f"trước {format_moment(request.deadline)}")
    contact = ", ".join(part for part in (request.contact_name, _phone(request.contact_phone)) if part)
    if contact:
        layout.prose(
            pdf,
            "Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
            f"{contact} để được hướng dẫn.",
        )
    layout.signatures(pdf, None, Signer("Người hướng dẫn", request.officer_name))
    return pdf.finish()


def render_refusal(refusal: Refusal, *, codes: FormCodes = DEFAULT_CODES) -> bytes:
    """Render the refusal to receive and handle a dossier, with its reasons."""
    pdf = layout.begin(FormName.REFUSAL, codes, refusal.issuer, dated=refusal.issued_at)
    layout.code_line(pdf, refusal.dossier_code)
    unit = refusal.receiving_unit or refusal.issuer.name
    filed_by(pdf, unit=unit, applicant=refusal.applicant, procedure_name=refusal.procedure_name)
    layout.prose(
        pdf,
        f"Qua xem xét hồ sơ và đối chiếu với các quy định hiện hành, {unit} từ chối tiếp nhận, "
        "giải quyết hồ sơ này với lý do cụ thể như sau:",
    )
    layout.numbered(pdf, refusal.reasons)
    layout.text(pdf, "Xin thông báo để Ông/Bà được biết và thực hiện./.")
    layout.signatures(pdf, None, Signer("Người tiếp nhận hồ sơ", refusal.officer_name))
    return pdf.finish()


def _phone(number: str) -> str:
    """Word a contact phone number, if any."""
    return f"số điện thoại {number}" if number else ""
