"""The QR code printed on the receipt: the public look-up URL, secret included."""

from __future__ import annotations

import io

import segno

ERROR_LEVEL = "m"  # 15 % recovery: survives a crease or a stamp on the printed slip
BORDER = 2  # modules of quiet zone in the image; the white page around it supplies the rest
SCALE = 8  # pixels per module, so that viewers scaling the image up keep the edges sharp


def lookup_qr(url: str) -> segno.QRCode:
    """Encode `url` as a (full, not micro) QR code."""
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_png(url: str) -> bytes:
    """Return the QR code of `url` as a black-and-white PNG."""
    buffer = io.BytesIO()
    lookup_qr(url).save(buffer, kind="png", scale=SCALE, border=BORDER)
    return buffer.getvalue()
