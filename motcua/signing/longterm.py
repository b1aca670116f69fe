"""Long-term signatures: a timestamp authority (PAdES B-T), revocation checks (B-LT) and, with both, a
document timestamp after the validation info (B-LTA), from settings.

Both are off by default: the embedded set-up reaches no CA and signs and verifies as it always did. A
province whose servers reach an intranet TSA and its CA's CRL/OCSP turns them on
(MOTCUA_SIGNING_TSA_URL, MOTCUA_SIGNING_REVOCATION). Requests go through HTTP_PROXY / HTTPS_PROXY
(NO_PROXY honoured) and check TLS against the system's CA store, where an intranet CA is added.
Once configured, signing never quietly degrades: a TSA or CA that does not answer stops it.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import (
    InsufficientRevinfoError,
    PathError,
    PathValidationError,
    RevokedError,
)
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
from pyhanko_certvalidator.fetchers.api import FetchLimits

from motcua.core.errors import DomainError, ValidationFailed

REVOCATION_MODES = ("off", "soft", "hard")
# CRLs and OCSP only, never issuer certificates: their addresses come from the certificate being checked,
# which on the public check page is anyone's, and would make this server fetch any URL (SSRF). Issuers
# come from the file and the trusted roots; a chain that does not reach a root is never asked about.
FETCH_LIMITS = FetchLimits(max_requests=20, max_cert_requests=0, max_aia_urls_per_object=0)


@dataclass(frozen=True)
class Options:
    """How long-term signatures are made and checked; the defaults are the embedded, offline set-up."""

    tsa_url: str = ""
    tsa_user: str = ""
    tsa_password: str = ""
    tsa_timeout: int = 10
    revocation: str = "off"
    revocation_timeout: int = 10
    archive_renew_days: int = 90

    @property
    def checks_revocation(self) -> bool:
        return self.revocation != "off"

    @property
    def uses_network(self) -> bool:
        return bool(self.tsa_url) or self.checks_revocation

    @property
    def archives(self) -> bool:
        """PAdES B-LTA: a document timestamp needs a TSA, and the validation info it seals needs the CA."""
        return bool(self.tsa_url) and self.checks_revocation


OFF = Options()


def configured() -> Options:
    """The options of this installation (settings.MOTCUA, from the environment)."""
    conf = settings.MOTCUA
    return Options(
        tsa_url=str(conf.get("SIGNING_TSA_URL", "")),
        tsa_user=str(conf.get("SIGNING_TSA_USER", "")),
        tsa_password=str(conf.get("SIGNING_TSA_PASSWORD", "")),
        tsa_timeout=int(conf.get("SIGNING_TSA_TIMEOUT", 10)),
        revocation=str(conf.get("SIGNING_REVOCATION", "off")),
        revocation_timeout=int(conf.get("SIGNING_REVOCATION_TIMEOUT", 10)),
        archive_renew_days=int(conf.get("SIGNING_ARCHIVE_RENEW_DAYS", 90)),
    )


class SigningUnavailable(DomainError):
    """A service a long-term signature needs (the TSA, the CA's CRL or OCSP) did not answer: try later."""

    code = "signing_unavailable"
    status = 503


@asynccontextmanager
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """One HTTP session for every request of one operation, closed at its end.

    pyHanko's coroutines run in an event loop of their own each time (coroutines.finish), and a session
    belongs to the loop that made it: none is kept between operations.
    """
    connector = aiohttp.TCPConnector(ssl=ssl.create_default_context())
    async with aiohttp.ClientSession(connector=connector, trust_env=True) as opened:
        yield opened


def timestamper(options: Options, opened: aiohttp.ClientSession) -> HTTPTimeStamper | None:
    """The RFC 3161 client of the configured TSA, or None when no TSA is configured."""
    if not options.tsa_url:
        return None
    auth = (options.tsa_user, options.tsa_password) if options.tsa_user else None
    return HTTPTimeStamper(options.tsa_url, timeout=options.tsa_timeout, auth=auth, session=opened)


def validation_context(
    options: Options,
    opened: aiohttp.ClientSession,
    *,
    trust_roots: Iterable[asn1_x509.Certificate],
    other_certs: Iterable[asn1_x509.Certificate] = (),
    strict: bool,
) -> ValidationContext:
    """A context that checks revocation now, fetching CRLs and OCSP answers through `opened`.

    `strict` (to sign in hard mode): a CA that does not answer fails the validation. Otherwise pyHanko
    accepts the certificate and keeps the failure in `soft_fail_exceptions`, where verification reads
    it: a warning when soft, a failure when hard (pyHanko's own hard-fail would not say why).
    """
    return ValidationContext(
        trust_roots=list(trust_roots),
        other_certs=list(other_certs),
        allow_fetching=True,
        revocation_mode="hard-fail" if strict and options.revocation == "hard" else "soft-fail",
        fetcher_backend=AIOHttpFetcherBackend(
            opened, per_request_timeout=options.revocation_timeout, limits=FETCH_LIMITS
        ),
    )


def _causes(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def refusal(exc: BaseException, *, signer: str) -> DomainError | None:
    """What to tell the signer when pyHanko could not make a long-term signature; None if unrelated."""
    causes = _causes(exc)
    if any(isinstance(e, TimestampRequestError) for e in causes):
        return SigningUnavailable(
            _("The timestamp authority (TSA) did not answer, so nothing was signed or stored. Please try "
              "again in a few minutes; if it keeps failing, tell the administrator."),
            code="tsa_unavailable",
        )  # fmt: skip
    if not any(isinstance(e, SigningError) for e in causes):
        return None
    if any(isinstance(e, RevokedError) for e in causes):
        return ValidationFailed(
            _("The certificate of %(name)s has been revoked by its certificate authority: it can no longer "
              "sign.") % {"name": signer},
            code="certificate_revoked",
        )  # fmt: skip
    if any(isinstance(e, InsufficientRevinfoError) for e in causes):
        return SigningUnavailable(
            _("The revocation status of the certificate of %(name)s could not be checked (the certificate "
              "authority's CRL or OCSP service did not answer), so nothing was signed. Please try again "
              "later.") % {"name": signer},
            code="revocation_unavailable",
        )  # fmt: skip
    if any(isinstance(e, PathError | PathValidationError) for e in causes):
        return ValidationFailed(
            _("The certificate of %(name)s cannot be validated: it does not lead to a trusted root "
              "certificate, or it is not valid now.") % {"name": signer},
            code="certificate_not_validated",
        )  # fmt: skip
    return None
