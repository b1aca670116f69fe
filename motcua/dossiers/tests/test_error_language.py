"""Domain errors speak the reader's language: Vietnamese by default, English when English is chosen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from motcua.core.errors import NotFound, ValidationFailed
from motcua.dossiers import services

from .conftest import at, birth_bundle

UNKNOWN = "H42.50.01-251103-019999"


def _refused_without_reasons(people, points) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        services.refuse_at_counter(
            data=birth_bundle(),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            reasons=" ",
        )
    return caught.value


def _received_with_a_document_missing(people, points) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        services.receive_dossier(
            data=birth_bundle(provided=[0, 3]),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            now=at("2025-11-03 09:00"),
        )
    return caught.value


def _handed_over_unknown(people) -> NotFound:
    with pytest.raises(NotFound) as caught:
        services.hand_over_result(code=UNKNOWN, actor=people["motcua.thanhsen"])
    return caught.value


def test_a_dossier_not_found_is_told_in_vietnamese_by_default_and_in_english_on_request(people):
    assert _handed_over_unknown(people).message == f"Không tìm thấy hồ sơ {UNKNOWN}."
    with translation.override("en"):
        error = _handed_over_unknown(people)

    assert (error.code, error.message) == ("dossier_not_found", f"Dossier {UNKNOWN} was not found.")


def test_a_missing_document_is_named_in_either_language(people, points):
    vietnamese = _received_with_a_document_missing(people, points)
    with translation.override("en"):
        english = _received_with_a_document_missing(people, points)

    # The document's name is catalog data and stays as published; only the sentence around it changes.
    assert vietnamese.message == "Hồ sơ còn thiếu: Giấy chứng sinh. Hãy yêu cầu bổ sung hoặc nhận đủ giấy tờ."
    assert english.message == (
        "The dossier is missing: Giấy chứng sinh. Request completion or receive all the documents."
    )
    assert vietnamese.code == english.code == "documents_missing"
    assert vietnamese.fields == english.fields == {"missing": ["Giấy chứng sinh"]}


def test_a_refusal_without_reasons_is_refused_in_either_language(people, points):
    vietnamese = _refused_without_reasons(people, points)
    with translation.override("en"):
        english = _refused_without_reasons(people, points)

    assert vietnamese.message == "Cần ghi rõ lý do từ chối."
    assert english.message == "State the reasons for refusal."
    assert vietnamese.code == english.code == "reason_required"
    assert vietnamese.fields == english.fields == {"reasons": "required"}


def test_the_api_answers_errors_in_the_language_of_accept_language(people):
    officer = Client()
    officer.force_login(people["motcua.thanhsen"])

    # LocaleMiddleware leaves the request's language active in this thread: the block puts it back.
    with translation.override(translation.get_language()):
        default = officer.get(f"/api/v1/dossiers/{UNKNOWN}")
        english = officer.get(f"/api/v1/dossiers/{UNKNOWN}", headers={"Accept-Language": "en"})

    assert default.status_code == english.status_code == 404
    assert default.json()["error"]["message"] == f"Không tìm thấy hồ sơ {UNKNOWN}."
    assert english.json()["error"] == {
        "code": "dossier_not_found",
        "message": f"Dossier {UNKNOWN} was not found.",
        "fields": {},
    }
