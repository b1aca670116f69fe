"""Remove personal data from a question or an answer before it is published.

The leader publishing reads and edits the text; this is the safety net run on what she submits and the
first draft she is shown: the sender's name, phone numbers, e-mail addresses, ID numbers, dossier codes
and look-up secrets become “[…]”. Names other than the sender's cannot be recognised reliably,
which is why a person still reviews the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from motcua.catalog.text import normalize_vietnamese

HIDDEN = "[…]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Vietnamese phones (0xx…, +84…) and ID numbers (9–12 digits), with spaces, dots or dashes inside.
_DIGITS = re.compile(r"(?<![\w.])(\+?84|0)?[\d][\d .-]{7,14}\d(?![\w])")
# Dossier codes of both layouts: "H42.50.01-251103-010001", "000.01.50.H42-251103-0001".
_DOSSIER_CODE = re.compile(r"\b[\w.]+-\d{6}-\d{4,}\b")


def _name_pattern(name: str) -> re.Pattern[str] | None:
    words = [w for w in name.split() if len(w) > 1]
    if len(words) < 2:
        return None
    # The full name, or its last two words ("Văn Bình"), written with or without diacritics.
    variants = {" ".join(words), " ".join(words[-2:])}
    variants |= {normalize_vietnamese(v) for v in list(variants)}
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"\b({alternatives})\b", re.IGNORECASE)


def redact(text: str, *, names: Iterable[str] = (), secrets: Iterable[str] = ()) -> str:
    """Return `text` with names and secrets given, e-mails, phones, ID numbers and dossier codes hidden."""
    result = _EMAIL.sub(HIDDEN, text)
    result = _DOSSIER_CODE.sub(HIDDEN, result)
    result = _DIGITS.sub(HIDDEN, result)
    for secret in secrets:
        if secret:
            result = re.sub(re.escape(secret), HIDDEN, result, flags=re.IGNORECASE)
    for name in names:
        pattern = _name_pattern(name.strip())
        if pattern is not None:
            result = pattern.sub(HIDDEN, result)
    return result
