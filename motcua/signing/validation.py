"""Validate one signature's certificate now, or as of its timestamp: the contexts and what revocation said.

Off (the default): no CA is reached and the file's own revocation info is not read, as before. Soft or
hard: CRLs and OCSP answers are fetched (longterm.py), the file's DSS is used too. Either way a signature
whose certificate is not valid now but which a trusted timestamp dates inside its validity period is
validated again as of that timestamp, with only what the file carries (PAdES B-LT): a land certificate
stays verifiable after the registrar's certificate expires. And a signature whose timestamp's own TSA
certificate has expired is validated as of the trusted archive timestamp after it (PAdES B-LTA,
archive.py), which proves that the timestamp existed while that certificate was valid.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

import aiohttp
from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature, async_validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from motcua.signing import longterm
from motcua.signing.evidence import Evidence, covers


class Revocation(enum.StrEnum):
    NOT_CHECKED = "not_checked"  # revocation off (or the chain did not even lead to a trusted root)
    GOOD = "good"  # checked: not revoked
    UNKNOWN = "unknown"  # soft: the CA did not answer, accepted with a warning
    FAILED = "failed"  # hard: the CA did not answer, not trusted
    REVOKED = "revoked"


@dataclass(frozen=True)
class Outcome:
    """pyHanko's verdict on a signature and what MotCua makes of its revocation and long-term proof."""

    status: PdfSignatureStatus
    revocation: Revocation
    validation_info: bool
    proven_at: dt.datetime | None = None  # validated as of this timestamp, not now
    archived_at: dt.datetime | None = None  # the earliest trusted archive timestamp sealing the signature


@dataclass
class Checker:
    """Validates the signatures of one file; `opened` is the HTTP session when revocation is checked."""

    roots: list[asn1_x509.Certificate]
    now: dt.datetime
    options: longterm.Options
    evidence: Evidence
    opened: aiohttp.ClientSession | None = None
    # The trusted archive timestamps (the file revision each seals, its time), in file order.
    archived: list[tuple[int, dt.datetime]] = field(default_factory=list)

    def archived_after(self, signature: EmbeddedPdfSignature) -> dt.datetime | None:
        """The time of the first trusted archive timestamp added after `signature`, which it covers."""
        return next((at for revision, at in self.archived if revision > signature.signed_revision), None)

    def context_now(self) -> ValidationContext:
        if self.opened is None or not self.options.checks_revocation:
            return ValidationContext(
                trust_roots=self.roots, allow_fetching=False, revocation_mode="soft-fail", moment=self.now
            )
        # Fetching is as of the present (pyHanko asks the CA about now, not about `self.now`), and the
        # file's own CRLs are left out: a CRL embedded at signing may be within its validity and yet
        # older than the revocation the CA has published since.
        return longterm.validation_context(
            self.options,
            self.opened,
            trust_roots=self.roots,
            other_certs=self.evidence.certificates,
            strict=False,
        )

    def context_at(self, moment: dt.datetime) -> ValidationContext:
        """As of `moment`, with only the file's own validation info: the CA is not asked about the past.

        Hard: the file must carry the revocation info for that moment (B-LT); otherwise, as for the
        present, a missing one is no failure.
        """
        checking = self.options.checks_revocation
        return ValidationContext(
            trust_roots=self.roots,
            other_certs=self.evidence.certificates,
            crls=self.evidence.crls if checking else [],
            ocsps=self.evidence.ocsps if checking else [],
            allow_fetching=False,
            revocation_mode="hard-fail" if self.options.revocation == "hard" else "soft-fail",
            moment=moment,
        )

    async def validate(self, signature: EmbeddedPdfSignature, *, key_usage: KeyUsageConstraints) -> Outcome:
        context = self.context_now()
        status = await async_validate_pdf_signature(signature, context, key_usage_settings=key_usage)
        archived = self.archived_after(signature)
        stamp_context = context
        if status.timestamp_validity is not None and trusted_stamp(status) is None and archived is not None:
            # The signature's timestamp no longer validates now (its TSA certificate has expired): the
            # archive timestamp proves it existed when it did validate.
            stamp_context = self.context_at(archived)
            status = await async_validate_pdf_signature(
                signature, context, ts_validation_context=stamp_context, key_usage_settings=key_usage
            )
        carried = covers(signature, self.evidence)
        outcome = Outcome(status, self._revocation(status, context), carried, archived_at=archived)
        stamp = trusted_stamp(status)
        certificate = signature.signer_cert
        if status.trusted or status.revoked or stamp is None:
            return outcome
        if not certificate.not_valid_before <= stamp <= certificate.not_valid_after:
            return outcome
        past = self.context_at(stamp)
        earlier = await async_validate_pdf_signature(
            signature, past, ts_validation_context=stamp_context, key_usage_settings=key_usage
        )
        if not earlier.trusted:
            return outcome
        return Outcome(
            earlier, self._revocation(earlier, past), carried, proven_at=stamp, archived_at=archived
        )

    def _revocation(self, status: PdfSignatureStatus, context: ValidationContext) -> Revocation:
        if not self.options.checks_revocation:
            return Revocation.NOT_CHECKED
        if status.revoked:
            return Revocation.REVOKED
        if context.soft_fail_exceptions:  # a CRL or OCSP service did not answer
            return Revocation.FAILED if self.options.revocation == "hard" else Revocation.UNKNOWN
        return Revocation.GOOD if status.trusted else Revocation.NOT_CHECKED


def trusted_stamp(status: PdfSignatureStatus) -> dt.datetime | None:
    stamp = status.timestamp_validity
    if stamp is not None and stamp.intact and stamp.valid and stamp.trusted:
        return stamp.timestamp
    return None


# What to tell a person, in Vietnamese ----------------------------------------------------------


def long_term_remarks(outcome: Outcome, valid_to: dt.datetime, now: dt.datetime) -> list[str]:
    remarks = []
    if outcome.proven_at is not None and valid_to < now:
        remarks.append(
            _("The certificate expired on %(date)s, but a trusted timestamp proves the signature was made "
              "while it was valid (long-term signature).") % {"date": day(valid_to)}
        )  # fmt: skip
    elif outcome.proven_at is not None:
        remarks.append(
            _("The certificate could not be validated now; it was validated as of the trusted timestamp, "
              "with the validation info the file carries (long-term signature).")
        )  # fmt: skip
    if outcome.revocation == Revocation.UNKNOWN:
        remarks.append(
            _("Warning: the revocation status of the certificate could not be checked (the certificate "
              "authority's CRL or OCSP service did not answer); the signature is accepted without it.")
        )  # fmt: skip
    return remarks


def authority_valid_to(status: PdfSignatureStatus) -> dt.datetime | None:
    """When the certificate of the signature timestamp's TSA expires: renew the archive before it."""
    stamp = status.timestamp_validity
    return stamp.signing_cert.not_valid_after if stamp is not None else None


def authority_of(status: PdfSignatureStatus) -> str:
    stamp = status.timestamp_validity
    if stamp is None:
        return ""
    name = stamp.signing_cert.subject
    return str(name.native.get("common_name", "")) or name.human_friendly


def revoked_reason(status: PdfSignatureStatus) -> str:
    details = status.revocation_details
    when = day(details.revocation_date) if details is not None else "?"
    if details is not None and details.ca_revoked:
        return _("A certificate of the issuing certificate authority was revoked on %(date)s: the signature "
                 "is not valid.") % {"date": when}  # fmt: skip
    return _("The signer's certificate was revoked by its certificate authority on %(date)s: the signature "
             "is not valid.") % {"date": when}  # fmt: skip


def day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")
