"""The e-receipt (biên lai thu phí, lệ phí) and the desk's daily statement, on the forms' PDF pieces.

Circular 78/2021/TT-BTC (check): an e-receipt names the collecting body, its form number and symbol
("BL-26E": E for electronic, 26 for the year), a number of seven digits, the payer, what was collected and
the amount in digits and in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf.enums import Align

from motcua.dossiers.pdf import layout
from motcua.dossiers.pdf.data import Issuer, Signer
from motcua.dossiers.pdf.dates import VIETNAM, format_moment
from motcua.dossiers.pdf.document import FormPDF, Paper
from motcua.dossiers.pdf.layout import Column
from motcua.payments.words import amount_sentence, format_vnd

RECEIPT_TITLE = "Biên lai thu phí, lệ phí"
DAY_TITLE = "Bảng kê thu phí, lệ phí"
METHOD_LABELS = {
    "cash": "Tiền mặt",
    "transfer": "Chuyển khoản",
    "card": "Thẻ (máy POS)",
    "online": "Thanh toán trực tuyến",
    "gateway": "Qua cổng thanh toán",
}


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    amount_vnd: int


@dataclass(frozen=True)
class Receipt:
    """What an e-receipt prints: plain values, built from a payment (payments/receipts.py)."""

    issuer: Issuer
    form: str  # "01BLP0-001"
    symbol: str  # "BL-26E"
    number: int
    paid_at: dt.datetime
    payer_name: str
    payer_address: str
    dossier_code: str
    procedure_name: str
    method: str
    lines: Sequence[ReceiptLine]
    amount_vnd: int
    collector_name: str = ""
    reference: str = ""


def _begin(title: str, issuer: Issuer, *, paper: Paper, dated: dt.datetime, code: str = "") -> FormPDF:
    pdf = FormPDF(
        paper=paper, title=title, author=issuer.name, created_at=dated, always_number=paper != Paper.A4
    )
    layout.form_code(pdf, code)
    layout.heading(pdf, issuer, dated=dated)
    return pdf


def render_receipt(receipt: Receipt) -> bytes:
    """Render one e-receipt on A4; the same payment gives the same bytes."""
    pdf = _begin(
        RECEIPT_TITLE, receipt.issuer, paper=Paper.A4, dated=receipt.paid_at, code=f"Mẫu số: {receipt.form}"
    )
    layout.title(pdf, RECEIPT_TITLE, subtitle="(Biên lai điện tử)")
    layout.fields_inline(pdf, [("Ký hiệu", receipt.symbol), ("Số", f"{receipt.number:07d}")])
    layout.field(pdf, "Đơn vị thu", receipt.issuer.name)
    layout.field(pdf, "Họ và tên người nộp tiền", receipt.payer_name, strong=True)
    layout.field(pdf, "Địa chỉ", receipt.payer_address)
    layout.field(pdf, "Mã hồ sơ", receipt.dossier_code)
    layout.field(pdf, "Thủ tục hành chính", receipt.procedure_name)
    layout.fields_inline(
        pdf,
        [
            ("Hình thức thanh toán", METHOD_LABELS.get(receipt.method, receipt.method)),
            ("Mã giao dịch", receipt.reference),
        ],
    )
    layout.field(pdf, "Thời điểm nộp", format_moment(receipt.paid_at))
    layout.gap(pdf, 0.3)
    columns = (Column("STT", 10, Align.C), Column("Nội dung thu", 70), Column("Số tiền (đồng)", 25, Align.R))
    rows = [[str(n), line.name, format_vnd(line.amount_vnd)] for n, line in enumerate(receipt.lines, start=1)]
    rows.append(["", "Tổng cộng", format_vnd(receipt.amount_vnd)])
    layout.table(pdf, columns, rows)
    layout.field(pdf, "Số tiền bằng chữ", amount_sentence(receipt.amount_vnd), strong=True)
    layout.signatures(pdf, None, Signer(title="Người thu tiền", name=receipt.collector_name), hint="")
    return pdf.finish()


@dataclass(frozen=True)
class DayRow:
    """One receipt (or refund, with a negative amount) of the day's statement."""

    at: dt.datetime
    receipt: str
    dossier_code: str
    payer_name: str
    method: str
    collector: str
    amount_vnd: int


@dataclass(frozen=True)
class DayStatement:
    issuer: Issuer
    day: dt.date
    scope_label: str
    rows: Sequence[DayRow]
    by_method: Sequence[tuple[str, int, int]]
    by_officer: Sequence[tuple[str, int, int]]
    by_line: Sequence[tuple[str, int, int]]
    collected_vnd: int
    refunded_vnd: int
    overpaid_vnd: int = 0  # received online after the fees were settled, refunded (no receipt)


def _summary(pdf: FormPDF, heading: str, totals: Sequence[tuple[str, int, int]]) -> None:
    layout.text(pdf, heading, bold=True)
    columns = (Column(heading, 60), Column("Số biên lai", 15, Align.R), Column("Số tiền (đồng)", 25, Align.R))
    layout.table(
        pdf, columns, [[label, str(n), format_vnd(amount)] for label, n, amount in totals], empty="–"
    )


def render_day(statement: DayStatement) -> bytes:
    """Render the desk's statement of one day on A4 landscape, to check against the cash and the bank."""
    dated = dt.datetime.combine(statement.day, dt.time(17, 0), tzinfo=VIETNAM)
    pdf = _begin(DAY_TITLE, statement.issuer, paper=Paper.A4_LANDSCAPE, dated=dated)
    layout.title(pdf, DAY_TITLE, subtitle=f"Ngày {statement.day:%d/%m/%Y}")
    if statement.scope_label:
        layout.text(pdf, f"Phạm vi: {statement.scope_label}", align=Align.C)
        layout.gap(pdf)
    columns = (
        Column("STT", 6, Align.C),
        Column("Giờ", 8, Align.C),
        Column("Biên lai", 16),
        Column("Mã hồ sơ", 24),
        Column("Người nộp", 22),
        Column("Hình thức", 14),
        Column("Người thu", 20),
        Column("Số tiền (đồng)", 14, Align.R),
    )
    rows = [
        [
            str(n),
            f"{row.at.astimezone(VIETNAM):%H:%M}",
            row.receipt,
            row.dossier_code,
            row.payer_name,
            METHOD_LABELS.get(row.method, row.method),
            row.collector,
            format_vnd(row.amount_vnd) if row.amount_vnd >= 0 else f"−{format_vnd(-row.amount_vnd)}",
        ]
        for n, row in enumerate(statement.rows, start=1)
    ]
    layout.table(pdf, columns, rows, empty="Không có khoản thu trong ngày")
    _summary(pdf, "Theo hình thức thanh toán", statement.by_method)
    _summary(pdf, "Theo người thu", statement.by_officer)
    _summary(pdf, "Theo khoản phí, lệ phí", statement.by_line)
    net = statement.collected_vnd + statement.overpaid_vnd - statement.refunded_vnd
    layout.field(pdf, "Tổng số tiền thu", f"{format_vnd(statement.collected_vnd)} đồng", strong=True)
    if statement.overpaid_vnd:
        layout.field(pdf, "Nộp thừa (hoàn trả)", f"{format_vnd(statement.overpaid_vnd)} đồng")
    if statement.refunded_vnd or statement.overpaid_vnd:
        layout.field(pdf, "Hoàn trả", f"{format_vnd(statement.refunded_vnd)} đồng")
        layout.field(pdf, "Còn lại", f"{format_vnd(net)} đồng", strong=True)
    layout.field(pdf, "Bằng chữ", amount_sentence(max(net, 0)))
    layout.signatures(pdf, Signer(title="Người lập bảng kê"), Signer(title="Thủ trưởng đơn vị"))
    return pdf.finish()
