"""The public look-up of a dossier by code and secret, and its brute-force limit, shared by page and API.

Failed attempts are counted per client IP and per dossier code in Django's cache, in fixed ten-minute
windows; past the limit even the right secret is refused until the window ends. With several web workers
configure a shared cache (CACHE_BACKEND): the default LocMemCache counts per process.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from motcua.dossiers.models import Dossier

WINDOW_SECONDS = 600
DEFAULT_LIMITS = {"LOOKUP_FAILS_PER_IP": 20, "LOOKUP_FAILS_PER_CODE": 10}
TOO_MANY_MESSAGE = gettext_lazy("Too many failed look-ups; please try again in a few minutes.")
# Compared against when the code is unknown, so both answers take the same work.
_DUMMY_SECRET = "0" * 10


def find_for_lookup(code: str, secret: str) -> Dossier | None:
    """Return the dossier when code and secret match; None alike for a wrong code or a wrong secret."""
    dossier = (
        Dossier.objects.select_related("procedure", "procedure_version", "receiving_point")
        .filter(code=code.strip())
        .first()
    )
    expected = dossier.lookup_secret if dossier is not None else _DUMMY_SECRET
    matches = hmac.compare_digest(expected.encode(), secret.strip().upper().encode())
    return dossier if dossier is not None and matches else None


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the first address before our own proxies when it is one of TRUSTED_PROXIES."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(getattr(settings, "TRUSTED_PROXIES", []))
    if remote not in trusted:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote
    return remote


def _limit(name: str) -> int:
    return int(settings.MOTCUA.get(name, DEFAULT_LIMITS[name]))


@dataclass(frozen=True)
class LookupLimiter:
    """A budget of attempts in a fixed window, counted in the cache under one or more keys.

    The look-up's budget counts failures per client IP and per dossier code (`for_request`); other public
    actions that cost real work, or could be used to guess a secret, count per client IP (`per_ip`).
    """

    keys: tuple[tuple[str, int], ...]
    retry_after: int
    window: int = WINDOW_SECONDS

    @classmethod
    def for_request(cls, request: HttpRequest, code: str) -> LookupLimiter:
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        code_hash = hashlib.sha256(code.encode()).hexdigest()[:32]
        ip_hash = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
        return cls(
            keys=(
                (f"motcua:lookup:ip:{ip_hash}:{window}", _limit("LOOKUP_FAILS_PER_IP")),
                (f"motcua:lookup:code:{code_hash}:{window}", _limit("LOOKUP_FAILS_PER_CODE")),
            ),
            retry_after=int((window + 1) * WINDOW_SECONDS - now) + 1,
        )

    @classmethod
    def per_ip(
        cls, request: HttpRequest, name: str, limit: int, seconds: int = WINDOW_SECONDS
    ) -> LookupLimiter:
        """The budget of the request's client IP for the action `name`: `limit` per window of `seconds`."""
        now = time.time()
        window = int(now // seconds)
        ip_hash = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
        return cls(
            keys=((f"motcua:{name}:ip:{ip_hash}:{window}", limit),),
            retry_after=int((window + 1) * seconds - now) + 1,
            window=seconds,
        )

    def blocked(self) -> bool:
        """Tell whether the budget is spent; then even the right secret is refused until the window ends."""
        counts = cache.get_many([key for key, _ in self.keys])
        return any((counts.get(key) or 0) >= limit for key, limit in self.keys)

    def fail(self) -> None:
        """Spend one attempt of the budget."""
        for key, _ in self.keys:
            cache.add(key, 0, timeout=self.window)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=self.window)
