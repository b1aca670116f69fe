"""The PDF itself: paper sizes, metadata, the look-up QR code, Vietnamese glyphs, reproducible bytes."""

from __future__ import annotations

import io
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from motcua.dossiers.pdf import (
    Refusal,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_tracking_book,
)
from motcua.dossiers.pdf.document import font_path
from motcua.dossiers.pdf.qr import BORDER, lookup_qr
from motcua.dossiers.tests.test_pdf_forms import (
    APPLICANT,
    CENTRE,
    LOOKUP,
    RECEIVED,
    control_sheet,
    receipt_slip,
    text_of,
    tracking_book,
)

VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
LETTERS = VOWELS + "đ" + VOWELS.upper() + "Đ"
POINTS_PER_MM = 72 / 25.4


def reader(pdf: bytes) -> PdfReader:
    """Open rendered bytes."""
    return PdfReader(io.BytesIO(pdf))


def page_size_mm(pdf: bytes) -> tuple[int, int]:
    """Return the first page's width and height, rounded to whole millimetres."""
    box = reader(pdf).pages[0].mediabox
    return round(float(box.width) / POINTS_PER_MM), round(float(box.height) / POINTS_PER_MM)


def test_receipt_is_a4_portrait_by_default_and_a5_on_request() -> None:
    assert page_size_mm(render_receipt(receipt_slip())) == (210, 297)
    assert page_size_mm(render_receipt(receipt_slip(), paper="A5")) == (148, 210)


def test_control_sheet_is_a4_portrait_and_tracking_book_a4_landscape() -> None:
    assert page_size_mm(render_control_sheet(control_sheet())) == (210, 297)
    assert page_size_mm(render_tracking_book(tracking_book(3))) == (297, 210)


def test_metadata_names_the_form_and_the_issuing_unit() -> None:
    metadata = reader(render_receipt(receipt_slip())).metadata
    assert metadata is not None
    assert metadata.title == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert metadata.author == CENTRE.name


def test_receipt_embeds_a_qr_image_that_encodes_the_lookup_url() -> None:
    page = reader(render_receipt(receipt_slip())).pages[0]
    images = page.images
    assert len(images) == 1
    picture = images[0].image
    assert picture is not None
    image = picture.convert("L")
    expected = lookup_qr(LOOKUP).matrix
    side = len(expected) + 2 * BORDER
    module = image.width / side
    # Sample the centre of every module of the embedded picture and compare with the URL's symbol.
    sampled = [
        [
            image.getpixel((int((col + BORDER + 0.5) * module), int((row + BORDER + 0.5) * module))) < 128
            for col in range(len(expected))
        ]
        for row in range(len(expected))
    ]
    assert sampled == [[bool(bit) for bit in line] for line in expected]


def test_receipt_prints_the_lookup_line_beside_the_qr_code() -> None:
    assert "Tra cứu hồ sơ: https://dichvucong.hatinh.gov.vn/tra-cuu/" in text_of(
        render_receipt(receipt_slip())
    )


def test_receipt_without_lookup_url_has_no_image() -> None:
    assert len(reader(render_receipt(receipt_slip(lookup_url=""))).pages[0].images) == 0


@pytest.mark.parametrize("style", ["", "B"])
def test_font_faces_cover_every_vietnamese_letter(style: str) -> None:
    cmap = TTFont(font_path(style)).getBestCmap()
    assert [letter for letter in LETTERS if ord(letter) not in cmap] == []


def test_every_vietnamese_letter_reads_back_even_when_given_decomposed() -> None:
    words = [LETTERS[i : i + 12] for i in range(0, len(LETTERS), 12)]
    decomposed = unicodedata.normalize("NFD", " ".join(words))
    refusal = Refusal(
        issuer=CENTRE,
        procedure_name="Thủ tục",
        applicant=APPLICANT,
        issued_at=RECEIVED,
        reasons=(decomposed,),
    )
    content = "".join(text_of(render_refusal(refusal)).split())
    assert "".join(words) in content


def test_same_data_renders_the_same_bytes() -> None:
    assert render_receipt(receipt_slip()) == render_receipt(receipt_slip())


def test_long_refusal_numbers_every_page_in_readable_text() -> None:
    refusal = Refusal(
        issuer=CENTRE,
        procedure_name="Thủ tục",
        applicant=APPLICANT,
        issued_at=RECEIVED,
        reasons=["Giấy tờ chưa hợp lệ theo quy định hiện hành. " * 6] * 20,
    )
    texts = [" ".join(page.extract_text().split()) for page in reader(render_refusal(refusal)).pages]
    assert len(texts) > 1
    assert [f"Trang {n}/{len(texts)}" in text for n, text in enumerate(texts, start=1)] == [True] * len(texts)


def test_single_page_form_carries_no_page_number() -> None:
    assert "Trang" not in text_of(render_refusal(Refusal(CENTRE, "Thủ tục", APPLICANT, RECEIVED)))
