from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.text import normalize_vietnamese, padded, search_tokens

VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
vietnamese_text = st.text(alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " ,.;:-–()/0123456789")


def test_diacritics_case_and_stroke_are_folded():
    assert normalize_vietnamese("Thủ tục ĐĂNG KÝ khai sinh") == "thu tuc dang ky khai sinh"
    assert normalize_vietnamese("Đường") == "duong"
    assert normalize_vietnamese("ưu tiên, Ở đâu?") == "uu tien o dau"


def test_punctuation_and_runs_of_spaces_collapse_to_one_space():
    assert normalize_vietnamese("  Cấp bản sao – (từ sổ gốc);\tlần 2 ") == "cap ban sao tu so goc lan 2"
    assert normalize_vietnamese("1.001193") == "1 001193"


def test_decomposed_and_precomposed_input_fold_alike():
    word = "Nghị định"
    assert (
        normalize_vietnamese(unicodedata.normalize("NFD", word)) == normalize_vietnamese(word) == "nghi dinh"
    )


def test_full_width_digits_fold_to_ascii():
    assert normalize_vietnamese("Nghị định １２３") == "nghi dinh 123"


@given(st.text())
def test_output_is_lowercase_ascii_words_separated_by_single_spaces(text):
    assert re.fullmatch(r"([a-z0-9]+( [a-z0-9]+)*)?", normalize_vietnamese(text))


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    once = normalize_vietnamese(text)
    assert normalize_vietnamese(once) == once


@given(vietnamese_text)
def test_vietnamese_text_folds_the_same_in_upper_and_lower_case(text):
    assert (
        normalize_vietnamese(text.upper()) == normalize_vietnamese(text.lower()) == normalize_vietnamese(text)
    )


@given(vietnamese_text)
def test_every_vietnamese_letter_keeps_one_ascii_letter(text):
    letters = [ch for ch in text if ch.isalpha()]
    assert len(normalize_vietnamese(text).replace(" ", "")) == len(letters) + sum(ch.isdigit() for ch in text)


@given(vietnamese_text, vietnamese_text)
def test_folding_joined_text_joins_the_folded_parts(left, right):
    parts = [p for p in (normalize_vietnamese(left), normalize_vietnamese(right)) if p]
    assert normalize_vietnamese(f"{left} {right}") == " ".join(parts)


def test_search_tokens_are_distinct_and_in_order():
    assert search_tokens("Đăng ký, đăng KÝ khai sinh") == ["dang", "ky", "khai", "sinh"]


def test_padded_text_has_a_space_at_both_ends_for_word_start_matching():
    assert padded("Khai sinh") == " khai sinh "
    assert padded(" – ") == ""
