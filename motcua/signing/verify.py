"""Verify every signature of a PDF (pyHanko) and say in plain Vietnamese what it means.

Pure: bytes or a stream, the trusted roots and the moment in, a report out. This server reaches no certificate
authority: revocation (OCSP, CRL) is not checked, and a signing time is the one the signer's computer
declared unless a timestamp from a trusted authority is embedded. Every report says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature, async_validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.signing.coroutines import finish
from motcua.signing.models import SignatureStatus

S = SignatureStatus
# Worst first: a file is judged by its worst signature.
SEVERITY: list[str] = [S.INVALID, S.MODIFIED, S.EXPIRED, S.UNTRUSTED, S.VALID]
# Vietnamese CAs mark signing certificates with either usage; pyHanko alone would want non-repudiation.
KEY_USAGE = KeyUsageConstraints(
    key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
)
EXPIRY_INDICATIONS = {
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
}


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of the file, judged."""

    position: int
    field_name: str
    signer_name: str
    signer_organisation: str
    issuer: str
    serial: str
    fingerprint: str
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    signed_at: dt.datetime | None
    timestamped: bool
    reason: str
    location: str
    intact: bool
    trusted: bool
    covers_whole_file: bool
    changed_after: bool
    status: str
    problems: tuple[str, ...] = ()

    @property
    def status_label(self) -> str:
        return str(S(self.status).label)

    def details(self) -> dict[str, Any]:
        """What FileSignature.details keeps of the check."""
        return {
            "serial": self.serial,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "timestamped": self.timestamped,
            "reason": self.reason,
            "location": self.location,
            "changed_after": self.changed_after,
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class Report:
    sha256: str
    size: int
    checked_at: dt.datetime
    signatures: tuple[SignatureCheck, ...] = ()
    readable: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        """valid, untrusted, expired, modified or invalid (the worst signature); unsigned; unreadable."""
        if not self.readable:
            return "unreadable"
        if not self.signatures:
            return "unsigned"
        return min((s.status for s in self.signatures), key=SEVERITY.index)

    @property
    def summary(self) -> str:
        return summary_of(self)


def summary_of(report: Report) -> str:
    """One or two Vietnamese sentences for a person who holds the file."""
    status, count = report.status, len(report.signatures)
    if status == "unreadable":
        return _("The file could not be read as a PDF: it is damaged or not a PDF.")
    if status == "unsigned":
        return _("The file carries no digital signature.")
    head = ngettext(
        "The file carries %(count)s digital signature.",
        "The file carries %(count)s digital signatures.",
        count,
    ) % {"count": count}
    verdicts = {
        S.VALID: _("Every signature is valid: intact, by a certificate under a trusted root, and nothing "
                   "was changed after signing."),
        S.UNTRUSTED: _("The signatures are intact, but at least one certificate does not lead to a root "
                       "certificate this system trusts."),
        S.EXPIRED: _("At least one signature was made with a certificate outside its validity period."),
        S.MODIFIED: _("The document was changed after at least one signature: the signed version is not "
                      "the one you hold."),
        S.INVALID: _("At least one signature is broken: the file was altered after signing."),
    }  # fmt: skip
    return f"{head} {verdicts[S(status)]}"


def offline_notes(signatures: Sequence[SignatureCheck]) -> tuple[str, ...]:
    notes = [
        _("Revocation was not checked: this server has no access to the certificate authorities "
          "(OCSP, CRL).")
    ]  # fmt: skip
    if any(not s.timestamped for s in signatures):
        notes.append(
            _(
                "Signing times are those declared by the signer's computer: no trusted timestamp certifies "
                "them."
            )
        )
    return tuple(notes)


def verify_pdf(
    data: bytes | IO[bytes], *, trust_roots: Sequence[asn1_x509.Certificate], now: dt.datetime
) -> Report:
    """Check every signature of `data` (bytes, or a seekable binary stream read in chunks) against
    `trust_roots`, as of `now`."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    digest, size = _fingerprint(stream)
    try:
        reader = PdfFileReader(stream, strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except RuntimeError:
        raise
    except Exception:  # pyHanko raises many kinds of errors on a damaged file: one answer for all
        return Report(sha256=digest, size=size, checked_at=now, readable=False)
    context = ValidationContext(
        trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail", moment=now
    )
    checks = tuple(_check(position, signature, context, now) for position, signature in enumerate(embedded))
    return Report(
        sha256=digest,
        size=size,
        checked_at=now,
        signatures=checks,
        notes=offline_notes(checks) if checks else (),
    )


def _fingerprint(stream: IO[bytes]) -> tuple[str, int]:
    """SHA-256 and size of the whole stream, read in chunks; the stream is left at its start."""
    stream.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(64 * 1024):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def _check(
    position: int, signature: EmbeddedPdfSignature, context: ValidationContext, now: dt.datetime
) -> SignatureCheck:
    dictionary = signature.sig_object
    base: dict[str, Any] = {
        "position": position,
        "field_name": str(signature.field_name or ""),
        "reason": str(dictionary.get("/Reason", "")),
        "location": str(dictionary.get("/Location", "")),
    }
    try:
        certificate = signature.signer_cert
        status = finish(async_validate_pdf_signature(signature, context, key_usage_settings=KEY_USAGE))
    except RuntimeError:  # a fault of the program, not of the file
        raise
    except Exception:  # a signature whose data cannot even be parsed is as good as broken
        return SignatureCheck(
            **base,
            signer_name=_("unknown"),
            signer_organisation="",
            issuer="",
            serial="",
            fingerprint="",
            valid_from=None,
            valid_to=None,
            signed_at=None,
            timestamped=False,
            intact=False,
            trusted=False,
            covers_whole_file=False,
            changed_after=False,
            status=S.INVALID,
            problems=(_("The signature data cannot be read."),),
        )
    return _judged(base, certificate, status, now)


def _signing_time(status: PdfSignatureStatus) -> tuple[dt.datetime | None, bool]:
    stamp = status.timestamp_validity
    if stamp is not None and stamp.intact and stamp.valid and stamp.trusted:
        return stamp.timestamp, True
    return status.signer_reported_dt, False


def _judged(
    base: dict[str, Any], certificate: asn1_x509.Certificate, status: PdfSignatureStatus, now: dt.datetime
) -> SignatureCheck:
    subject = certificate.subject.native
    valid_from = certificate.not_valid_before
    valid_to = certificate.not_valid_after
    signed_at, timestamped = _signing_time(status)
    intact = bool(status.intact and status.valid)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = status.modification_level
    # Later signatures and form filling are expected; anything else after signing is a change.
    changed = not whole and (
        status.coverage != SignatureCoverageLevel.ENTIRE_REVISION
        or level is None
        or level > ModificationLevel.FORM_FILLING
        or status.docmdp_ok is False
    )
    out_of_period = not (valid_from <= now <= valid_to) or (
        signed_at is not None and not (valid_from <= signed_at <= valid_to)
    )
    problems: list[str] = []
    if not intact:
        verdict = S.INVALID
        problems.append(
            _("The signed content does not match the signature: the file was altered after signing.")
        )
    elif changed:
        verdict = S.MODIFIED
        problems.append(_("Content was added or changed after this signature."))
    elif not status.trusted and (out_of_period or status.trust_problem_indic in EXPIRY_INDICATIONS):
        verdict = S.EXPIRED
        problems.append(
            _("The certificate is valid from %(start)s to %(end)s: the signature cannot be trusted outside "
              "that period without a trusted timestamp.")
            % {"start": _day(valid_from), "end": _day(valid_to)}
        )  # fmt: skip
    elif not status.trusted:
        verdict = S.UNTRUSTED
        problems.append(_untrusted_reason(status))
    else:
        verdict = S.VALID
    if intact and not whole and not changed:
        problems.append(_("Other signatures were added after this one; that is allowed."))
    return SignatureCheck(
        **base,
        signer_name=str(subject.get("common_name", "")) or certificate.subject.human_friendly,
        signer_organisation=str(subject.get("organization_name", "")),
        issuer=str(certificate.issuer.native.get("common_name", "")) or certificate.issuer.human_friendly,
        serial=format(certificate.serial_number, "x"),
        fingerprint=certificate.sha256.hex(),
        valid_from=valid_from,
        valid_to=valid_to,
        signed_at=signed_at,
        timestamped=timestamped,
        intact=intact,
        trusted=bool(status.trusted),
        covers_whole_file=whole,
        changed_after=changed,
        status=verdict,
        problems=tuple(problems),
    )


def _untrusted_reason(status: PdfSignatureStatus) -> str:
    if status.revoked:
        return _("The certificate has been revoked.")
    if status.trust_problem_indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        return _("The signer's certificate does not lead to a root certificate this system trusts.")
    return _("The signer's certificate could not be validated (%(reason)s).") % {
        "reason": getattr(status.trust_problem_indic, "name", "") or "?"
    }


def _day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")
