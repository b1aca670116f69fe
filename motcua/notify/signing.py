"""Webhook signatures: HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret.

A receiver recomputes it over the raw body it got, compares in constant time, and refuses a timestamp
more than five minutes away from its clock, so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return the X-MotCua-Signature header value: "sha256=<hex>"."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Return True if `header` signs `body` at `timestamp` with `secret`, and the timestamp is fresh."""
    try:
        moment = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - moment) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header or "")
