"""Amounts of money as receipts write them: digits with dots ("150.000") and Vietnamese words.

Receipts and invoices write the amount in words too ("Số tiền bằng chữ"), read the way Vietnamese is
spoken in financial documents: groups of three digits named nghìn, triệu, tỷ; "mười"/"mươi", "mốt",
"lăm", "lẻ" and "không trăm" where a group inside the number has no hundreds.
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")
BILLION = 10**9


def format_vnd(amount: int) -> str:
    """Write digits grouped by dots: 1250000 → "1.250.000"."""
    return f"{amount:,}".replace(",", ".")


def _below_thousand(number: int, *, leading: bool) -> list[str]:
    """Read 0–999; a group after another one says its empty hundreds ("không trăm") and "lẻ"."""
    hundreds, tens, ones = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if ones:
            if words:
                words.append("lẻ")
            words.append(DIGITS[ones])
        return words
    words += ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if ones == 1 and tens > 1:
        words.append("mốt")
    elif ones == 5:
        words.append("lăm")
    elif ones:
        words.append(DIGITS[ones])
    return words


def _below_billion(number: int, *, leading: bool) -> list[str]:
    groups = [(number // 10**6) % 1000, (number // 1000) % 1000, number % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if not group:
            continue
        words += _below_thousand(group, leading=leading and not words)
        name = GROUPS[len(groups) - 1 - index]
        if name:
            words.append(name)
    return words


def _number_words(number: int, *, leading: bool = True) -> list[str]:
    if number >= BILLION:
        head, rest = divmod(number, BILLION)
        return [*_number_words(head, leading=leading), "tỷ", *_below_billion(rest, leading=False)]
    return _below_billion(number, leading=leading)


def amount_in_words(amount: int) -> str:
    """Say an amount of VND in Vietnamese: 150000 → "một trăm năm mươi nghìn đồng"."""
    if amount < 0:
        raise ValueError("An amount of money is never negative")
    words = _number_words(amount) or ["không"]
    return " ".join([*words, "đồng"])


def amount_sentence(amount: int) -> str:
    """The amount in words as a receipt writes it: "Một trăm năm mươi nghìn đồng."."""
    words = amount_in_words(amount)
    return words[0].upper() + words[1:] + "."
