"""How citizens prove who they are: pluggable identity providers behind one account-linking step.

Every provider ends in a `VerifiedIdentity`; `motcua.portal.accounts.account_for` turns it into the
citizen's `User` (creating it the first time and remembering the link in `CitizenIdentity`), and the
view logs that user in. Two shapes of provider exist:

* a *challenge* provider asks for something the citizen has and answers a challenge: `OtpProvider`
  sends a six-digit code to a phone or e-mail (the only provider today);
* a *redirect* provider sends the browser to an outside identity service and reads the answer on the
  way back. VNeID and the National Public Service Portal SSO (OpenID Connect, Circular 04/2025/TT-VPCP
  data exchange) belong here: implement `RedirectProvider` in e.g. `motcua/portal/vneid.py`
  (`authorization_url` builds the request with `state` and a PKCE verifier kept in the session;
  `complete` checks `state`, exchanges the code for tokens, verifies the ID token and returns a
  `VerifiedIdentity` whose subject is the VNeID subject and whose `id_number`/`full_name` come from the
  token with `assurance=2`), add it to `MOTCUA["IDENTITY_PROVIDERS"]`, and route
  `/tai-khoan/<key>/bat-dau/` and `/tai-khoan/<key>/ve/` to two thin views. Nothing else changes: the
  account step links the new subject to the existing account of the same phone/e-mail or ID number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.portal import otp
from motcua.portal.accounts import is_email, normalise_identifier


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who the provider vouches for; `subject` is stable at that provider."""

    provider: str
    subject: str
    phone: str = ""
    email: str = ""
    full_name: str = ""
    id_number: str = ""  # a national e-ID gives the personal ID number; a one-time code never does
    assurance: int = 1  # 1: controls a phone or mailbox; 2: VNeID level-2 (identity checked in person)


@runtime_checkable
class IdentityProvider(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def label(self) -> str:
        """Say it on the sign-in page, in the current language."""
        ...


@runtime_checkable
class ChallengeProvider(IdentityProvider, Protocol):
    def send_challenge(self, *, identifier: str, ip: str = "", now: dt.datetime | None = None) -> str:
        """Send a challenge and return the normalised identifier it went to."""
        ...

    def verify(self, *, identifier: str, answer: str, now: dt.datetime | None = None) -> VerifiedIdentity:
        """Return the identity when the answer is right, or raise a DomainError."""
        ...


@runtime_checkable
class RedirectProvider(IdentityProvider, Protocol):
    def authorization_url(self, *, request: HttpRequest, state: str) -> str:
        """Return where to send the browser to sign in at the outside service."""
        ...

    def complete(self, *, request: HttpRequest) -> VerifiedIdentity:
        """Read the outside service's answer on the callback request, or raise a DomainError."""
        ...


class OtpProvider:
    """A six-digit one-time code sent by SMS or e-mail."""

    key = "otp"

    @property
    def label(self) -> str:
        return str(_("One-time code by SMS or e-mail"))

    def send_challenge(self, *, identifier: str, ip: str = "", now: dt.datetime | None = None) -> str:
        normalised = normalise_identifier(identifier)
        otp.request_code(identifier=normalised, ip=ip, now=now)
        return normalised

    def verify(self, *, identifier: str, answer: str, now: dt.datetime | None = None) -> VerifiedIdentity:
        otp.verify_code(identifier=identifier, code=answer, now=now)
        return VerifiedIdentity(
            provider=self.key,
            subject=identifier,
            email=identifier if is_email(identifier) else "",
            phone="" if is_email(identifier) else identifier,
        )


DEFAULT_PROVIDERS = ["motcua.portal.identity.OtpProvider"]


def providers() -> dict[str, IdentityProvider]:
    """Return the configured providers by key (MOTCUA["IDENTITY_PROVIDERS"], dotted class paths)."""
    paths = settings.MOTCUA.get("IDENTITY_PROVIDERS") or DEFAULT_PROVIDERS
    found: dict[str, IdentityProvider] = {}
    for path in paths:
        provider = import_string(path)()
        found[provider.key] = provider
    return found


def challenge_provider(key: str = "otp") -> ChallengeProvider:
    provider = providers().get(key)
    if not isinstance(provider, ChallengeProvider):
        raise LookupError(f"no challenge identity provider {key!r}")
    return provider
