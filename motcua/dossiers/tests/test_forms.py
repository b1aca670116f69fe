"""The forms built from real dossiers, read back from the PDF text."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from motcua.core.errors import NotFound
from motcua.dossiers import services
from motcua.dossiers.forms import available_forms, render_form, tracking_book
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.services import RequestItem

from .conftest import at, birth_bundle


def _text(data: bytes) -> str:
    # Table cells wrap: compare on text with every run of white space folded to one space.
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join((page.extract_text() or "") for page in pages).split())


@pytest.fixture
def dossier(people, points):
    return services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )


def test_the_receipt_shows_the_code_the_applicant_the_documents_and_the_appointment(dossier):
    text = _text(render_form(dossier, "receipt"))

    assert dossier.code in text
    assert "Trần Văn Bình" in text and "042090001234" in text
    assert "Giấy chứng sinh" in text
    assert "09:00, ngày 06/11/2025" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG THÀNH SEN" in text.upper()
    assert "tra-cuu/" + dossier.code in text.replace(" ", "")


def test_every_form_of_a_dossier_that_went_wrong_is_available(dossier, people):
    services.request_supplement(
        code=dossier.code,
        actor=people["cv.tuphap.thanhsen"],
        items=[RequestItem(2, "Thiếu giấy tờ về chỗ ở.")],
        now=at("2025-11-03 10:00"),
    )
    services.receive_supplement(
        code=dossier.code,
        actor=people["motcua.thanhsen"],
        uploads=[],
        provided=[2],
        now=at("2025-11-04 09:00"),
    )
    services.issue_apology(
        code=dossier.code,
        actor=people["cv.tuphap.thanhsen"],
        reason="Chờ xác minh nơi cư trú.",
        new_due_at=at("2025-11-14 16:00"),
        signer_name="Tạ Văn Nam",
        signer_title="Chủ tịch",
        now=at("2025-11-06 08:00"),
    )
    services.stop_dossier(
        code=dossier.code,
        actor=people["motcua.thanhsen"],
        reason="Gia đình xin dừng.",
        now=at("2025-11-06 09:00"),
    )
    dossier = Dossier.objects.get(pk=dossier.pk)

    assert set(available_forms(dossier)) == {
        "receipt",
        "supplement_request",
        "apology",
        "stop_notice",
        "control_sheet",
    }
    assert "Thiếu giấy tờ về chỗ ở." in _text(render_form(dossier, "supplement_request"))
    apology = _text(render_form(dossier, "apology"))
    assert "Chờ xác minh nơi cư trú." in apology and "16:00, ngày 14/11/2025" in apology
    assert "Gia đình xin dừng." in _text(render_form(dossier, "stop_notice"))
    with pytest.raises(NotFound):
        render_form(dossier, "refusal")


def test_the_control_sheet_has_one_row_per_hand_over_with_its_outcome(dossier, people):
    step = dossier.steps.get(status=StepStatus.ACTIVE)
    services.complete_step(
        code=dossier.code, step_id=step.pk, actor=people["cv.tuphap.thanhsen"], now=at("2025-11-04 16:00")
    )

    text = _text(render_form(dossier, "control_sheet"))

    assert "Quá hạn" in text  # the review had 0.75 working day
    assert "Đúng hạn" in text  # the receipt itself
    assert "Công an phường Thành Sen" in text


def test_the_refusal_lists_the_reasons(people, points):
    refused = services.refuse_at_counter(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        reasons="Người nộp không phải cha, mẹ của trẻ.\nKhông có văn bản ủy quyền.",
        now=at("2025-11-03 09:00"),
    )

    text = _text(render_form(refused, "refusal"))

    assert "Người nộp không phải cha, mẹ của trẻ." in text and "Không có văn bản ủy quyền." in text


def test_the_tracking_book_lists_the_period(dossier, points):
    data = tracking_book(
        dossiers=Dossier.objects.all(),
        issuer_point=points["ttpvhcc-thanhsen"],
        period_from=at("2025-11-01 00:00").date(),
        period_to=at("2025-11-30 00:00").date(),
    )

    text = _text(data)
    assert dossier.code in text and "Trần Văn Bình" in text
