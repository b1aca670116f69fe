"""The records kept of dossiers: the process control sheet of one dossier and the tracking book."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, time

from fpdf.enums import Align

from motcua.dossiers.pdf import layout
from motcua.dossiers.pdf.data import (
    DEFAULT_CODES,
    BookRow,
    ControlRow,
    ControlSheet,
    FormCodes,
    FormName,
    Outcome,
    TrackingBook,
)
from motcua.dossiers.pdf.dates import VIETNAM, format_day, format_moment, format_stacked
from motcua.dossiers.pdf.document import FormPDF, Paper
from motcua.dossiers.pdf.layout import Column

# Widths in mm of the printable width; the codes of both layouts (Circular 01/2018 and 03/2025) fit one line.
CONTROL_COLUMNS = (
    Column("TT", 10, Align.C),
    Column("Bên giao", 44),
    Column("Bên nhận", 44),
    Column("Thời gian giao, nhận", 23, Align.C),
    Column("Kết quả", 23, Align.C),
    Column("Ghi chú", 31),
)
BOOK_COLUMNS = (
    Column("TT", 9, Align.C),
    Column("Mã hồ sơ", 43),
    Column("Thủ tục hành chính", 56),
    Column("Tổ chức, cá nhân", 30),
    Column("Cơ quan chủ trì giải quyết", 30),
    Column("Ngày nhận", 19, Align.C),
    Column("Ngày hẹn trả", 19, Align.C),
    Column("Ngày trả kết quả", 19, Align.C),
    Column("Hình thức trả", 18, Align.C),
    Column("Kết quả", 19, Align.C),
)


def render_control_sheet(sheet: ControlSheet, *, codes: FormCodes = DEFAULT_CODES) -> bytes:
    """Render the control sheet: one row per hand-over, headings repeated on every page."""
    pdf = layout.begin(FormName.CONTROL_SHEET, codes, sheet.issuer, dated=sheet.received_at)
    layout.code_line(pdf, sheet.dossier_code)
    layout.field(pdf, "Thủ tục hành chính", sheet.procedure_name, strong=True)
    layout.field(pdf, "Tổ chức/cá nhân", sheet.applicant.name)
    layout.field(pdf, "Địa chỉ", sheet.applicant.address)
    layout.field(pdf, "Thời gian nhận hồ sơ", format_moment(sheet.received_at))
    layout.field(pdf, "Thời gian hẹn trả kết quả", format_moment(sheet.due_at))
    layout.gap(pdf, 0.3)
    rows = [_control_cells(number, row) for number, row in enumerate(sheet.rows, start=1)]
    layout.table(pdf, CONTROL_COLUMNS, rows, empty="Chưa có lượt giao, nhận hồ sơ")
    return pdf.finish()


def _control_cells(number: int, row: ControlRow) -> list[str]:
    """Return the cells of one hand-over."""
    return [
        str(number),
        _unit_and_person(row.from_unit, row.from_person),
        _unit_and_person(row.to_unit, row.to_person),
        format_stacked(row.handed_at),
        row.outcome.label if row.outcome else "",
        row.note,
    ]


def _unit_and_person(unit: str, person: str) -> str:
    """Put the unit on one line and the person on the next."""
    return f"{unit}\n{person}" if person else unit


def render_tracking_book(book: TrackingBook, *, codes: FormCodes = DEFAULT_CODES) -> bytes:
    """Render the tracking book on A4 landscape with totals at the end and "Trang x/y" on every page."""
    subtitle = f"Lĩnh vực: {book.field_name}" if book.field_name else ""
    pdf = layout.begin(
        FormName.TRACKING_BOOK,
        codes,
        book.issuer,
        # Dated by the end of its period, so that its bytes do not change with the printing day.
        dated=datetime.combine(book.period_to, time(23, 59), tzinfo=VIETNAM),
        paper=Paper.A4_LANDSCAPE,
        subtitle=subtitle,
        date_line=False,
        always_number=True,
    )
    period = f"Từ ngày {format_day(book.period_from)} đến ngày {format_day(book.period_to)}"
    layout.text(pdf, period, align=Align.C)
    layout.gap(pdf)
    rows = [_book_cells(number, row) for number, row in enumerate(book.rows, start=1)]
    layout.table(pdf, BOOK_COLUMNS, rows, empty="Không có hồ sơ trong kỳ")
    _totals(pdf, book.rows)
    return pdf.finish()


def _book_cells(number: int, row: BookRow) -> list[str]:
    """Return the cells of one dossier in the book."""
    return [
        str(number),
        row.dossier_code,
        row.procedure_name,
        row.applicant_name,
        row.lead_agency,
        format_stacked(row.received_at),
        format_stacked(row.due_at),
        format_stacked(row.returned_at) if row.returned_at else "",
        row.delivery,
        row.status or (row.outcome.label if row.outcome else ""),
    ]


def _totals(pdf: FormPDF, rows: Sequence[BookRow]) -> None:
    """Write how many dossiers the book holds, how many were returned, and how they ended."""
    returned = sum(1 for row in rows if row.returned_at is not None)
    layout.gap(pdf)
    layout.text(
        pdf,
        f"Tổng số hồ sơ: {len(rows)}; đã trả kết quả: {returned}; chưa trả kết quả: {len(rows) - returned}.",
        bold=True,
    )
    outcomes = Counter(row.outcome for row in rows if row.outcome is not None)
    if outcomes:
        parts = [f"{outcome.label}: {outcomes[outcome]}" for outcome in Outcome if outcomes[outcome]]
        layout.text(pdf, "Trong đó: " + "; ".join(parts) + ".")
