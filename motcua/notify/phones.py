"""Phone numbers in one form, +84…, so that "0912 345 678", "84912345678" and "+84 912-345-678" match."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-()/]")


def normalise_phone(raw: str | None) -> str:
    """Return the number in E.164 (+84912345678), or "" when it is not a phone number."""
    digits = _SEPARATORS.sub("", raw or "")
    international = digits.startswith("+") or digits.startswith("00")
    digits = digits.removeprefix("+") if digits.startswith("+") else digits
    if digits.startswith("00"):
        digits = digits[2:]
    if not digits.isdigit():
        return ""
    if digits.startswith("84") and 10 <= len(digits) <= 12:
        return "+" + digits
    if digits.startswith("0") and 10 <= len(digits) <= 11 and not international:
        # A national number: drop the trunk 0, add the country code.
        return "+84" + digits[1:]
    if international and 8 <= len(digits) <= 15:
        return "+" + digits
    return ""


def same_phone(a: str | None, b: str | None) -> bool:
    left, right = normalise_phone(a), normalise_phone(b)
    return bool(left) and left == right
