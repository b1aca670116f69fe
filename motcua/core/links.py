"""Absolute addresses on the public site, for what leaves the server: messages, QR codes, gateways."""

from __future__ import annotations

from django.conf import settings

DEVELOPMENT_URL = "http://127.0.0.1:8000"


def public_url(path: str) -> str:
    """`path` on the public site (MOTCUA_PUBLIC_URL), e.g. /tra-cuu/… for a receipt's QR code."""
    base = str(getattr(settings, "MOTCUA", {}).get("PUBLIC_URL") or DEVELOPMENT_URL)
    return base.rstrip("/") + path
