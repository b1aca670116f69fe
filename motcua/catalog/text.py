"""Vietnamese text folded for search: no diacritics, no case, words separated by single spaces."""

from __future__ import annotations

import re
import unicodedata

# Đ/đ carry a stroke, not a combining mark, so decomposition leaves them alone. NFKD rather than NFD
# also folds compatibility forms (full-width digits, ligatures) pasted from office documents.
_STROKES = str.maketrans({"đ": "d", "Đ": "d"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalize_vietnamese(text: str) -> str:
    """Fold text to lowercase ASCII words: "Đăng ký khai sinh" → "dang ky khai sinh"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_STROKES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", stripped.lower()).strip()


def search_tokens(text: str) -> list[str]:
    """Split a query into distinct folded words, in order."""
    return list(dict.fromkeys(normalize_vietnamese(text).split()))


def padded(text: str) -> str:
    """Fold text and wrap it in spaces so that LIKE '% word%' matches at word starts only."""
    folded = normalize_vietnamese(text)
    return f" {folded} " if folded else ""
