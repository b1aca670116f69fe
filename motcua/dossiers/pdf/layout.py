"""The pieces every form is built from: heading, title, fields, tables, signatures and the look-up QR code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace

from motcua.dossiers.pdf.data import FORM_TITLES, FormCodes, FormName, Issuer, Party, Signer
from motcua.dossiers.pdf.dates import dated_line
from motcua.dossiers.pdf.document import LINE_SPACING, FormPDF, Paper
from motcua.dossiers.pdf.qr import qr_png

ITALIC_SLANT = 12  # degrees; the slant of a typical serif italic
SIGN_HINT = "(Ký và ghi rõ họ tên)"
SIGN_SPACE = 20.0  # mm left blank for the handwritten signature and the seal
CELL_PADDING = 1.2


@dataclass(frozen=True)
class Column:
    """One column of a table: heading, relative width and alignment of its cells."""

    heading: str
    width: float
    align: Align = Align.L


def begin(
    form: FormName,
    codes: FormCodes,
    issuer: Issuer,
    *,
    dated: datetime,
    paper: Paper = Paper.A4,
    number: str = "",
    subtitle: str = "",
    date_line: bool = True,
    always_number: bool = False,
) -> FormPDF:
    """Open a form's PDF and draw its number, heading and title."""
    pdf = FormPDF(
        paper=paper,
        title=FORM_TITLES[form],
        author=issuer.name,
        created_at=dated,
        always_number=always_number,
    )
    form_code(pdf, codes.for_form(form))
    heading(pdf, issuer, number=number, dated=dated if date_line else None)
    title(pdf, FORM_TITLES[form], subtitle=subtitle)
    return pdf


def code_line(pdf: FormPDF, code: str) -> None:
    """Write "Mã hồ sơ: …" centred in bold, when there is a code."""
    if code:
        text(pdf, f"Mã hồ sơ: {code}", bold=True, align=Align.C)
        gap(pdf)


def text(
    pdf: FormPDF, value: str, *, size: float | None = None, bold: bool = False, align: Align = Align.L
) -> None:
    """Write a line of text across the page, wrapped."""
    pdf.use(size or pdf.sizes.body, bold=bold)
    pdf.multi_cell(pdf.epw, pdf.leading, value, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def prose(pdf: FormPDF, value: str) -> None:
    """Write a justified paragraph followed by a little space, as the body of official letters."""
    text(pdf, value, align=Align.J)
    gap(pdf, 0.25)


def italic(
    pdf: FormPDF,
    value: str,
    *,
    width: float,
    size: float | None = None,
    bold: bool = False,
    align: Align = Align.C,
) -> None:
    """Write italic text in a column starting at the cursor, slanting the upright face."""
    pdf.use(size or pdf.sizes.body, bold=bold)
    x, y = pdf.x, pdf.y
    # Slanted about the first baseline, so the first line stays where an upright one would be.
    with pdf.skew(ax=ITALIC_SLANT, x=x, y=y + pdf.leading * 0.8):
        pdf.multi_cell(width, pdf.leading, value, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_x(x)


def gap(pdf: FormPDF, lines: float = 0.5) -> None:
    """Leave vertical space, in lines of body text."""
    pdf.ln(lines * pdf.sizes.body * LINE_SPACING / pdf.k)


def field(pdf: FormPDF, label: str, value: str, *, strong: bool = False) -> None:
    """Write "label: value" as one wrapped paragraph; an empty value writes nothing."""
    if not value.strip():
        return
    pdf.set_x(pdf.l_margin)
    pdf.use(pdf.sizes.body)
    pdf.write(pdf.leading, f"{label}: ")
    pdf.use(pdf.sizes.body, bold=strong)
    pdf.write(pdf.leading, value)
    pdf.ln(pdf.leading)


def fields_inline(pdf: FormPDF, pairs: Sequence[tuple[str, str]]) -> None:
    """Write several short "label: value" pairs on one line, skipping the empty ones."""
    shown = [f"{label}: {value}" for label, value in pairs if value.strip()]
    if shown:
        text(pdf, "; ".join(shown))


def numbered(pdf: FormPDF, items: Sequence[str]) -> None:
    """Write "1. …", "2. …" paragraphs with a hanging indent."""
    pdf.use(pdf.sizes.body)
    indent = pdf.get_string_width("10. ")
    for number, item in enumerate(items, start=1):
        pdf.set_x(pdf.l_margin)
        pdf.cell(indent, pdf.leading, f"{number}.")
        pdf.multi_cell(
            pdf.epw - indent, pdf.leading, item, align=Align.J, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )


def party(pdf: FormPDF, who: Party, *, name_label: str) -> None:
    """Write a person's or organisation's name, ID number, address and contacts."""
    field(pdf, name_label, who.name, strong=True)
    field(pdf, "Số định danh cá nhân/Mã số doanh nghiệp", who.id_number)
    field(pdf, "Địa chỉ", who.address)
    fields_inline(pdf, [("Số điện thoại", who.phone), ("Thư điện tử", who.email)])


def party_inline(pdf: FormPDF, who: Party, *, name_label: str) -> None:
    """Write a second party (an authorised representative) on as few lines as its data needs."""
    pairs = [
        (name_label, who.name),
        ("Số định danh cá nhân", who.id_number),
        ("Địa chỉ", who.address),
        ("Số điện thoại", who.phone),
        ("Thư điện tử", who.email),
    ]
    fields_inline(pdf, pairs)


def form_code(pdf: FormPDF, code: str) -> None:
    """Write the form number at the top right."""
    if code:
        pdf.use(pdf.sizes.small, bold=True)
        pdf.cell(pdf.epw, pdf.leading, code, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def heading(pdf: FormPDF, issuer: Issuer, *, number: str = "", dated: date | None = None) -> None:
    """Draw the two-column heading: the issuing unit left, the national heading and date line right."""
    size = pdf.sizes.heading
    pdf.use(size, bold=True)
    right = pdf.get_string_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + 4
    # On landscape paper the unit's block keeps a portrait width instead of filling the gap.
    left = min(pdf.epw - right, right * 1.15)
    top = pdf.y
    _issuing_unit(pdf, issuer, number=number, width=left)
    bottom = pdf.y
    pdf.set_xy(pdf.l_margin + pdf.epw - right, top)
    _national_heading(pdf, width=right)
    if dated is not None:
        pdf.ln(1.5)
        pdf.set_x(pdf.l_margin + pdf.epw - right)
        italic(pdf, dated_line(issuer.place, dated), width=right)
    pdf.set_xy(pdf.l_margin, max(bottom, pdf.y))
    gap(pdf)


def _issuing_unit(pdf: FormPDF, issuer: Issuer, *, number: str, width: float) -> None:
    """Draw the parent body, the unit in bold, a short rule, and the document number."""
    x = pdf.l_margin
    if issuer.parent_name:
        pdf.use(pdf.sizes.heading)
        pdf.multi_cell(
            width, pdf.leading, issuer.parent_name.upper(), align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT
        )
    pdf.use(pdf.sizes.heading, bold=True)
    pdf.multi_cell(width, pdf.leading, issuer.name.upper(), align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
    # Decree 30/2020: a rule one third to one half as long as the name, centred beneath it.
    rule = min(width / 3, pdf.get_string_width(issuer.name.upper()) / 2)
    pdf.line(x + (width - rule) / 2, pdf.y + 0.8, x + (width + rule) / 2, pdf.y + 0.8)
    pdf.ln(2.5)
    if number:
        pdf.use(pdf.sizes.body)
        pdf.set_x(x)
        pdf.multi_cell(width, pdf.leading, f"Số: {number}", align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)


def _national_heading(pdf: FormPDF, *, width: float) -> None:
    """Draw "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and the motto, underlined across its own width."""
    x = pdf.x
    pdf.use(pdf.sizes.heading, bold=True)
    pdf.cell(
        width,
        pdf.leading,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        align=Align.C,
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    motto = "Độc lập - Tự do - Hạnh phúc"
    pdf.use(pdf.sizes.heading + 0.5, bold=True)
    pdf.cell(width, pdf.leading, motto, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
    length = pdf.get_string_width(motto)
    pdf.line(x + (width - length) / 2, pdf.y + 0.3, x + (width + length) / 2, pdf.y + 0.3)
    pdf.ln(1.5)


def title(pdf: FormPDF, value: str, *, subtitle: str = "") -> None:
    """Write the form's title in bold capitals, centred, and an optional bold line beneath."""
    gap(pdf)
    text(pdf, value.upper(), size=pdf.sizes.title, bold=True, align=Align.C)
    if subtitle:
        text(pdf, subtitle, bold=True, align=Align.C)
    gap(pdf)


def table(pdf: FormPDF, columns: Sequence[Column], rows: Sequence[Sequence[str]], *, empty: str = "") -> None:
    """Draw a bordered table whose heading row repeats on every page it spans."""
    pdf.use(pdf.sizes.table)
    heading_style = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(
        width=pdf.epw,
        col_widths=[column.width for column in columns],
        line_height=pdf.leading * 0.95,
        padding=CELL_PADDING,
        headings_style=heading_style,
        repeat_headings=1,
        v_align="M",
    ) as grid:
        head = grid.row()
        for column in columns:
            head.cell(column.heading, align=Align.C)
        for values in rows:
            row = grid.row()
            for column, value in zip(columns, values, strict=True):
                row.cell(value, align=column.align)
        if not rows and empty:
            grid.row().cell(empty, align=Align.C, colspan=len(columns))
    pdf.use(pdf.sizes.body)
    gap(pdf, 0.3)


def _signature(pdf: FormPDF, signer: Signer, *, x: float, width: float, hint: str) -> float:
    """Draw one signature block in a column; return the y it ends at."""
    pdf.set_xy(x, pdf.y)
    for line in (signer.authority, signer.title):
        if line:
            pdf.use(pdf.sizes.body, bold=True)
            pdf.multi_cell(width, pdf.leading, line.upper(), align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
    if hint:
        italic(pdf, hint, width=width, size=pdf.sizes.small)
    pdf.set_xy(x, pdf.y + SIGN_SPACE)
    if signer.name:
        pdf.use(pdf.sizes.body, bold=True)
        pdf.multi_cell(width, pdf.leading, signer.name, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
    return float(pdf.y)


def signatures(pdf: FormPDF, left: Signer | None, right: Signer | None, *, hint: str = SIGN_HINT) -> None:
    """Draw up to two signature blocks side by side, kept on one page."""
    gap(pdf)
    pdf.keep_together(SIGN_SPACE + 5 * pdf.leading)
    top, half = pdf.y, pdf.epw / 2
    ends = [top]
    for signer, x in ((left, pdf.l_margin), (right, pdf.l_margin + half)):
        if signer is not None:
            pdf.set_y(top)
            ends.append(_signature(pdf, signer, x=x, width=half, hint=hint))
    pdf.set_xy(pdf.l_margin, max(ends))


def recipients_and_signer(pdf: FormPDF, recipients: Sequence[str], signer: Signer) -> None:
    """Draw "Nơi nhận" at the left and the head's signature at the right, as official letters end."""
    gap(pdf)
    pdf.keep_together(SIGN_SPACE + 5 * pdf.leading)
    top, half = pdf.y, pdf.epw / 2
    if recipients:
        pdf.set_x(pdf.l_margin)
        # Decree 30/2020: "Nơi nhận" in bold italic, the recipients one size smaller.
        italic(pdf, "Nơi nhận:", width=half, size=pdf.sizes.small + 1, bold=True, align=Align.L)
        pdf.use(pdf.sizes.small)
        last = len(recipients) - 1
        for index, name in enumerate(recipients):
            mark = "." if index == last else ";"
            pdf.multi_cell(
                half - 4, pdf.leading, f"- {name}{mark}", align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
    bottom = pdf.y
    pdf.set_y(top)
    # Signed for the agency: no "(Ký và ghi rõ họ tên)" hint, per the format of official letters.
    end = _signature(pdf, signer, x=pdf.l_margin + half, width=half, hint="")
    pdf.set_xy(pdf.l_margin, max(bottom, end))


def lookup(pdf: FormPDF, url: str) -> None:
    """Draw the QR code of the public look-up URL, with the URL written beside it."""
    if not url:
        return
    side = 26.0 if pdf.epw > 150 else 22.0
    gap(pdf)
    pdf.keep_together(side)
    x, y = pdf.l_margin, pdf.y
    pdf.image(qr_png(url), x=x, y=y, w=side, h=side, link=url, alt_text="Mã QR tra cứu hồ sơ")
    pdf.set_xy(x + side + 4, y + 3)
    pdf.use(pdf.sizes.small)
    width = pdf.epw - side - 4
    note = "Quét mã QR hoặc truy cập địa chỉ dưới đây để tra cứu tình trạng giải quyết hồ sơ."
    pdf.multi_cell(width, pdf.leading, note, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT)
    line = f"Tra cứu hồ sơ: {url}"
    # Shrink the line until the URL fits unbroken, down to a size still legible on paper.
    points = pdf.sizes.small
    while points > 7 and pdf.get_string_width(line) > width - 1:
        points -= 0.5
        pdf.use(points)
    pdf.multi_cell(width, pdf.leading, line, align=Align.L, link=url, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(pdf.l_margin, max(y + side, pdf.y))
    pdf.use(pdf.sizes.body)
