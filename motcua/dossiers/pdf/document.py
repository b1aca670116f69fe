"""The PDF every form draws on: paper, font, margins, metadata and page numbers."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from importlib.resources import files
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align

FONT = "serif"
# Source Serif Pro 2.007 (SIL OFL) covers Vietnamese upright; its italics (1.007) lack the letters with
# hooks and horns, so italic text is the upright face slanted (see `layout.italic`).
FONT_FILES = {"": "SourceSerifPro-Regular.ttf", "B": "SourceSerifPro-Bold.ttf"}

# Decree 30/2020, appendix I: 20-25 mm left (binding side), 15-20 mm top and bottom, 10-20 mm right.
MARGIN_LEFT = 20.0
MARGIN = 15.0
LINE_SPACING = 1.25


class Paper(StrEnum):
    """The sheet a form is printed on."""

    A4 = "A4"
    A5 = "A5"
    A4_LANDSCAPE = "A4-landscape"


@dataclass(frozen=True)
class Sizes:
    """Font sizes in points for one paper."""

    body: float
    heading: float  # the agency names and the national heading
    title: float
    table: float
    small: float  # form number, hints under a signature, page numbers


PAPER_SIZES = {Paper.A4: (210.0, 297.0), Paper.A5: (148.0, 210.0), Paper.A4_LANDSCAPE: (210.0, 297.0)}

SIZES = {
    # Official documents: 13-14 pt body, 12-13 pt heading (Decree 30/2020); A5 scales down to fit.
    Paper.A4: Sizes(body=13, heading=12.5, title=14, table=12, small=11),
    Paper.A5: Sizes(body=11, heading=9.5, title=12, table=10, small=9),
    Paper.A4_LANDSCAPE: Sizes(body=13, heading=12.5, title=14, table=9.5, small=10),
}


def font_path(style: str) -> str:
    """Return the path of the TTF file for `style` ("" or "B")."""
    return str(files("font_source_serif_pro") / "files" / FONT_FILES[style])


class FormPDF(FPDF):
    """An fpdf2 document set up for one official form."""

    def __init__(
        self, *, paper: Paper, title: str, author: str, created_at: datetime, always_number: bool = False
    ) -> None:
        landscape = paper is Paper.A4_LANDSCAPE
        # A5 as explicit sizes: fpdf2 warns on every "A5" since it corrected that format in 2.8.5.
        super().__init__(orientation="L" if landscape else "P", unit="mm", format=PAPER_SIZES[paper])
        self.paper = paper
        self.sizes = SIZES[paper]
        self.always_number = always_number
        self._page_follows = False
        for style in FONT_FILES:
            self.add_font(FONT, style, font_path(style))
        self.set_margins(left=MARGIN_LEFT, top=MARGIN, right=MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_title(title)
        self.set_author(author)
        self.set_creator("MotCua")
        self.set_lang("vi-VN")
        # The issuing moment, not the clock: the same data gives the same bytes (caching, signing).
        self.set_creation_date(created_at)
        self.add_page()
        self.use(self.sizes.body)

    def normalize_text(self, text: str) -> str:
        """Compose accents first: without a shaping engine a combining mark would print beside its letter."""
        return super().normalize_text(unicodedata.normalize("NFC", text))

    def use(self, size: float, *, bold: bool = False) -> None:
        """Switch to the form's font at `size` points."""
        self.set_font(FONT, "B" if bold else "", size)

    @property
    def leading(self) -> float:
        """Return the height of one line of the current font, in mm."""
        return float(self.font_size) * LINE_SPACING

    def room_left(self) -> float:
        """Return the height left above the bottom margin of the current page."""
        return float(self.page_break_trigger - self.y)

    def keep_together(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        if self.room_left() < height:
            self.add_page()

    def add_page(self, *args: Any, **kwargs: Any) -> None:
        """Start a page, letting the footer of the previous one know that it is not the only page."""
        self._page_follows = self.page > 0
        super().add_page(*args, **kwargs)

    def footer(self) -> None:
        """Write "Trang x/y" when the document has several pages (or always, for registers)."""
        # fpdf2 draws a page's footer as the next page starts or the document closes; a single-page
        # form is one whose first footer comes from the close.
        if not (self.always_number or self._page_follows or self.page > 1):
            return
        self.set_y(self.h - MARGIN + 4)
        self.use(self.sizes.small)
        # fpdf2 replaces the alias with the page count when writing the file.
        self.cell(self.epw, self.leading, f"Trang {self.page_no()}/{self.str_alias_nb_pages}", align=Align.C)

    def finish(self) -> bytes:
        """Return the PDF bytes."""
        return bytes(self.output())
