"""Who calls the API: a browser session (CSRF-checked on writes) or a bearer token of staff or software.

Tokens are `secrets.token_urlsafe(32)` keys shown once at creation; the database keeps the first eight
characters (to find the row) and the SHA-256 of the whole key (to prove it), compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from motcua.api.models import ApiToken
from motcua.core.errors import DomainError
from motcua.core.models import User

PREFIX_LENGTH = 8
# Writing last_used_at on every call would turn each read into a write; a minute is precise enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class InvalidToken(DomainError):
    code = "invalid_token"
    status = 401


class CsrfFailed(DomainError):
    code = "csrf_failed"
    status = 403


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(*, user: User, name: str, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user` and return it with its key; the key cannot be shown again."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires_at=expires_at,
    )
    return token, key


def revoke_token(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])


def token_user(key: str, *, now: dt.datetime | None = None) -> tuple[ApiToken, User]:
    """Return the live token of `key` and its user, or raise InvalidToken (unknown, revoked, expired)."""
    now = now or timezone.now()
    digest = hash_key(key)
    candidates = ApiToken.objects.filter(key_prefix=key[:PREFIX_LENGTH]).select_related("user")
    token = next((t for t in candidates if hmac.compare_digest(t.key_hash, digest)), None)
    if (
        token is None
        or token.revoked_at is not None
        or (token.expires_at is not None and token.expires_at <= now)
        or not token.user.is_active
    ):
        raise InvalidToken(_("The access token is not valid, has been revoked or has expired."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token, token.user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`; a wrong key is a 401 at once, never a fall-back to the session."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        api_token, user = token_user(token.strip())
        request.user = user
        request.api_token = api_token  # type: ignore[attr-defined]
        return user


class SessionAuth(APIKeyCookie):
    """The Django session of the browser; unsafe methods must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        # Anonymous callers get a 401, not a CSRF 403: the check only matters for a logged-in browser.
        if not request.user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if request.method in UNSAFE_METHODS and not exempt and check_csrf(request) is not None:
            raise CsrfFailed(_("The CSRF token is missing or wrong; reload the page."))
        return request.user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


token_auth = TokenAuth()
session_auth = SessionAuth()
STAFF_OR_SESSION = [token_auth, session_auth]


def is_token_client(request: HttpRequest) -> bool:
    return getattr(request, "api_token", None) is not None
