"""SMS text: GSM-7 or UCS-2, segment counts, the unaccented fallback, and fitting a maximum of segments.

Vietnamese with diacritics needs UCS-2: 70 characters in one SMS, 67 per part once concatenated (the
user-data header takes the rest). Plain text fits GSM-7: 160, then 153 per part; the extension
characters (^ { } [ ] ~ \\ | €) take two septets. Counting is per part, so an escape pair or a UTF-16
surrogate pair is never split between parts, as handsets do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
GSM_LIMITS = (160, 153)
UCS2_LIMITS = (70, 67)

# What stripping the marks cannot reach: letters without a decomposition and common typography.
_ASCII_MAP = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "…": "...",
        "•": "-",
        "·": "-",
        "×": "x",
        "\u00a0": " ",
        "\t": " ",
    }
)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{2,}")


@dataclass(frozen=True)
class SmsText:
    text: str
    unicode: bool
    segments: int


_GSM_ALL = GSM_BASIC | GSM_EXTENSION


def is_gsm(text: str) -> bool:
    return _GSM_ALL.issuperset(text)


def _wide_count(text: str, gsm: bool) -> int:
    """Return how many characters take two units: GSM escapes, or UTF-16 surrogate pairs."""
    if gsm:
        return sum(text.count(ch) for ch in GSM_EXTENSION)
    return len(text.encode("utf-16-le")) // 2 - len(text)


def _width(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in GSM_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def units(text: str, gsm: bool) -> int:
    """Return septets (GSM-7) or UTF-16 code units (UCS-2)."""
    return len(text) + _wide_count(text, gsm)


def segments(text: str, gsm: bool | None = None) -> int:
    """Return how many SMS parts `text` takes in its encoding (GSM-7 when it fits, else UCS-2)."""
    gsm = is_gsm(text) if gsm is None else gsm
    single, part = GSM_LIMITS if gsm else UCS2_LIMITS
    wide = _wide_count(text, gsm)
    if len(text) + wide <= single:
        return 1
    if not wide:  # every character one unit: parts are simply full
        return -(-len(text) // part)
    count, used = 1, 0
    for ch in text:
        width = _width(ch, gsm)
        if used + width > part:
            count, used = count + 1, 0
        used += width
    return count


def unaccent(text: str) -> str:
    """Return plain-ASCII text for gateways without Unicode: "Hồ sơ đã" → "Ho so da"."""
    mapped = unicodedata.normalize("NFD", text.translate(_ASCII_MAP))
    stripped = "".join(ch for ch in mapped if not unicodedata.combining(ch))
    return "".join(ch if ch in GSM_BASIC or ch in GSM_EXTENSION else "?" for ch in stripped)


def clean(text: str) -> str:
    """Collapse runs of spaces and blank lines: templates are written for people, SMS is paid by length."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


def truncate(text: str, *, gsm: bool, max_segments: int) -> str:
    """Cut `text` to fit `max_segments`, at a word boundary when one is near, marking the cut."""
    if segments(text, gsm) <= max_segments:
        return text
    single, part = GSM_LIMITS if gsm else UCS2_LIMITS
    capacity = single if max_segments == 1 else part * max_segments
    mark = "..." if gsm else "…"
    room = capacity - units(mark, gsm)
    cut, used = 0, 0
    for index, ch in enumerate(text):
        used += _width(ch, gsm)
        if used > room:
            break
        cut = index + 1
    head = text[:cut]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space >= cut * 0.7:
        head = head[:space]
    result = head.rstrip(" ,.;:\n") + mark
    # Part boundaries can waste a unit or two; shave until the count is right.
    while segments(result, gsm) > max_segments and len(head) > 1:
        head = head[:-1]
        result = head.rstrip(" ,.;:\n") + mark
    return result


def fit(text: str, *, mode: str = "auto", max_segments: int = 3) -> SmsText:
    """Choose the encoding and fit the maximum of segments.

    `always`: Unicode whenever the text needs it. `never`: unaccented GSM-7 for gateways that need it.
    `auto`: Unicode if the whole message fits the maximum that way, else unaccented (which holds 2.3×
    more), so the applicant gets the whole message rather than a cut Vietnamese one.
    """
    text = unicodedata.normalize("NFC", clean(text))
    max_segments = max(1, max_segments)
    if not is_gsm(text):
        unicode_fits = segments(text, gsm=False) <= max_segments
        if mode == "always" or (mode == "auto" and unicode_fits):
            fitted = truncate(text, gsm=False, max_segments=max_segments)
            return SmsText(fitted, True, segments(fitted, gsm=False))
        text = unaccent(text)
    fitted = truncate(text, gsm=True, max_segments=max_segments)
    return SmsText(fitted, False, segments(fitted, gsm=True))
