"""The results report printed on A4 landscape, with the national heading, for the province's files."""

from __future__ import annotations

import datetime as dt

from fpdf.enums import Align

from motcua.dossiers.pdf import layout
from motcua.dossiers.pdf.data import Issuer, Signer
from motcua.dossiers.pdf.dates import VIETNAM
from motcua.dossiers.pdf.document import FormPDF, Paper
from motcua.dossiers.pdf.layout import Column
from motcua.reports.results import ResultRow, ResultTable

TITLE = "Báo cáo tình hình, kết quả giải quyết thủ tục hành chính"
FIRST_COLUMN = {
    "field": "Lĩnh vực",
    "agency": "Cơ quan chủ trì giải quyết",
    "point": "Nơi tiếp nhận",
    "procedure": "Thủ tục hành chính",
}
# Relative widths; the headings say which group (received, resolved, in hand) a column belongs to.
NUMBERS = (
    Column("Kỳ trước chuyển qua", 14, Align.R),
    Column("Mới nhận trực tuyến", 14, Align.R),
    Column("Mới nhận trực tiếp, bưu chính", 16, Align.R),
    Column("Tổng số nhận giải quyết", 15, Align.R),
    Column("Đã giải quyết trước hạn", 14, Align.R),
    Column("Đã giải quyết đúng hạn", 14, Align.R),
    Column("Đã giải quyết quá hạn", 14, Align.R),
    Column("Tổng số đã giải quyết", 14, Align.R),
    Column("Không có kết quả (từ chối, dừng)", 16, Align.R),
    Column("Đang giải quyết trong hạn", 15, Align.R),
    Column("Đang giải quyết quá hạn", 15, Align.R),
    Column("Tỷ lệ đúng hạn", 13, Align.R),
)


def _cells(number: str, label: str, row: ResultRow) -> list[str]:
    rate = row.on_time_rate
    return [
        number,
        label,
        *(
            f"{value:,}".replace(",", ".")
            for value in (
                row.carried_over,
                row.new_online,
                row.new_direct,
                row.received,
                row.early,
                row.on_time,
                row.late,
                row.resolved,
                row.without_result,
                row.in_hand_on_time,
                row.in_hand_late,
            )
        ),
        f"{rate * 100:.1f}%".replace(".", ",") if rate is not None else "–",
    ]


def render_results(table: ResultTable, *, issuer: Issuer, scope_label: str, printed: dt.date) -> bytes:
    """Render the report; the same table and day give the same bytes."""
    dated = dt.datetime.combine(printed, dt.time(8, 0), tzinfo=VIETNAM)
    pdf = FormPDF(
        paper=Paper.A4_LANDSCAPE, title=TITLE, author=issuer.name, created_at=dated, always_number=True
    )
    layout.heading(pdf, issuer, dated=dated)
    layout.title(
        pdf,
        TITLE,
        subtitle=f"Kỳ báo cáo: từ ngày {table.period.first:%d/%m/%Y} đến ngày {table.period.last:%d/%m/%Y}",
    )
    if scope_label:
        layout.text(pdf, f"Phạm vi: {scope_label}", align=Align.C)
        layout.gap(pdf)
    columns = (Column("TT", 7, Align.C), Column(FIRST_COLUMN[table.grouping], 45), *NUMBERS)
    rows = [_cells(str(n), row.label, row) for n, row in enumerate(table.rows, start=1)]
    if rows:
        rows.append(_cells("", "Tổng cộng", table.total))
    layout.table(pdf, columns, rows, empty="Không có hồ sơ trong kỳ")
    layout.gap(pdf)
    layout.italic(
        pdf,
        "Tỷ lệ đúng hạn = (số hồ sơ giải quyết trước hạn + đúng hạn) ÷ tổng số hồ sơ đã giải quyết. "
        "Hồ sơ quá hạn được tính theo ngày hẹn trả ban đầu, kể cả khi đã có phiếu xin lỗi và hẹn lại.",
        width=pdf.epw,
        size=pdf.sizes.small,
        align=Align.L,
    )
    layout.signatures(pdf, None, Signer(title="Thủ trưởng đơn vị"))
    return pdf.finish()
