"""Amounts in Vietnamese words, as receipts write them: known values, and every amount reads back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.payments.words import amount_in_words, amount_sentence, format_vnd

KNOWN = [
    (0, "không đồng"),
    (5, "năm đồng"),
    (10, "mười đồng"),
    (15, "mười lăm đồng"),
    (21, "hai mươi mốt đồng"),
    (24, "hai mươi bốn đồng"),
    (105, "một trăm lẻ năm đồng"),
    (3_000, "ba nghìn đồng"),
    (20_000, "hai mươi nghìn đồng"),
    (150_000, "một trăm năm mươi nghìn đồng"),
    (1_050_000, "một triệu không trăm năm mươi nghìn đồng"),
    (1_000_005, "một triệu không trăm lẻ năm đồng"),
    (2_005_001_000, "hai tỷ không trăm lẻ năm triệu không trăm lẻ một nghìn đồng"),
    (1_000_000_000_000, "một nghìn tỷ đồng"),
]


@pytest.mark.parametrize(("amount", "words"), KNOWN)
def test_known_amounts_read_as_a_receipt_writes_them(amount, words):
    assert amount_in_words(amount) == words


def test_the_receipt_sentence_starts_with_a_capital_and_digits_group_by_dots():
    assert amount_sentence(150_000) == "Một trăm năm mươi nghìn đồng."
    assert format_vnd(1_250_000) == "1.250.000"


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        amount_in_words(-1)


# A reader of its own: the words back to digits, knowing nothing of how they were made.
DIGIT = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5}
DIGIT |= {"sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
SCALE = {"nghìn": 1_000, "triệu": 1_000_000}


def _group(words: list[str]) -> int:
    """0–999 from words such as ["một", "trăm", "lẻ", "năm"] or ["hai", "mươi", "mốt"]."""
    value, digit = 0, 0
    for word in words:
        if word == "trăm":
            value, digit = value + digit * 100, 0
        elif word == "mười":
            value += 10
        elif word == "mươi":
            value, digit = value + digit * 10, 0
        elif word != "lẻ":
            digit = DIGIT[word]
    return value + digit


def _below_billion(words: list[str]) -> int:
    total, current = 0, []
    for word in words:
        if word in SCALE:
            total += _group(current) * SCALE[word]
            current = []
        else:
            current.append(word)
    return total + _group(current)


def read_back(text: str) -> int:
    words = text.split()
    assert words.pop() == "đồng"
    if "tỷ" in words:
        at = len(words) - 1 - words[::-1].index("tỷ")
        return read_back(" ".join([*words[:at], "đồng"])) * 10**9 + _below_billion(words[at + 1 :])
    return _below_billion(words)


@given(st.integers(min_value=0, max_value=10**12))
def test_every_amount_up_to_a_thousand_billion_reads_back(amount):
    text = amount_in_words(amount)

    assert read_back(text) == amount
    assert "  " not in text and text.endswith(" đồng")
