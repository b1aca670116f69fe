"""Ask the CAs now whether signing certificates are revoked (the certificate watch): no database here.

Only the certificate itself is judged, as of now: the signatures it made keep the status recorded when
they were made (what a revocation found later means for them is a legal decision, docs/signing.md).
Fetching follows longterm.py's limits: CRLs and OCSP only, and a chain that reaches no trusted root is
never asked about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError

from motcua.signing import longterm
from motcua.signing.coroutines import finish
from motcua.signing.models import Standing


@dataclass(frozen=True)
class Subject:
    """A certificate to ask about: its PEM-decoded leaf and the issuers kept with it."""

    leaf: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...] = ()


@dataclass(frozen=True)
class Finding:
    standing: Standing
    revoked_at: dt.datetime | None = None
    detail: str = ""


def names_a_service(leaf: asn1_x509.Certificate) -> bool:
    """The certificate says where its CA publishes revocation (a CRL or an OCSP responder)."""
    return bool(leaf.crl_distribution_points or leaf.ocsp_urls)


def check_all(
    subjects: Sequence[Subject], *, options: longterm.Options, roots: list[asn1_x509.Certificate]
) -> list[Finding]:
    """Ask about each certificate in turn, over one HTTP session; one finding per subject, in order."""
    return finish(_check_all(subjects, options, roots))


async def _check_all(
    subjects: Sequence[Subject], options: longterm.Options, roots: list[asn1_x509.Certificate]
) -> list[Finding]:
    async with longterm.session() as opened:
        # One context for the whole run: it keeps each CRL and OCSP answer it fetched, so a CA's CRL is
        # downloaded once for the hundreds of seals and officers' certificates it covers, not once each.
        # Soft-fail in every mode: a CA that does not answer is "could not check", never an alarm here.
        context = longterm.validation_context(
            options,
            opened,
            trust_roots=roots,
            other_certs=[issuer for subject in subjects for issuer in subject.chain],
            strict=False,
        )
        return [await _check(subject, context) for subject in subjects]


async def _check(subject: Subject, context: ValidationContext) -> Finding:
    if not names_a_service(subject.leaf):
        return Finding(Standing.NOT_CHECKED, detail="no CRL or OCSP address")
    failed_before = len(context.soft_fail_exceptions)  # the shared context keeps every subject's
    validator = CertificateValidator(subject.leaf, validation_context=context)
    try:
        await validator.async_validate_usage(set())
    except RevokedError as revoked:
        return Finding(Standing.REVOKED, revoked_at=revoked.revocation_dt, detail=str(revoked))
    except PathBuildingError as exc:
        return Finding(Standing.NOT_CHECKED, detail=f"no trusted root: {exc}")
    except PathValidationError as exc:
        return Finding(Standing.NOT_CHECKED, detail=str(exc))
    if len(context.soft_fail_exceptions) > failed_before:
        return Finding(Standing.UNKNOWN, detail=str(context.soft_fail_exceptions[failed_before]))
    return Finding(Standing.GOOD)
