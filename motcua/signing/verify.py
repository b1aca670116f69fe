"""Verify every signature of a PDF (pyHanko) and say in plain Vietnamese what it means.

Pure: bytes or a stream, the trusted roots, the moment and the long-term options in, a report out. By
default this server reaches no certificate authority: revocation (OCSP, CRL) is not checked, and every
report says so. With MOTCUA_SIGNING_REVOCATION soft or hard it is checked (longterm.py). A signing time is
the one the signer's computer declared unless a trusted timestamp certifies it; a timestamped signature
whose certificate has expired since is validated as of its timestamp, with the validation info the file
carries (PAdES B-LT), so a result stays verifiable after its signer's certificate expires; the file's
document timestamps (PAdES B-LTA, archive.py) keep that timestamp provable after its TSA's own
certificate expires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from typing import IO, Any

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel

from motcua.signing import longterm
from motcua.signing.archive import ArchiveCheck, check_archive
from motcua.signing.coroutines import finish
from motcua.signing.evidence import Evidence, read_evidence
from motcua.signing.models import SignatureStatus
from motcua.signing.report import Report, SignatureCheck, offline_notes
from motcua.signing.validation import (
    Checker,
    Outcome,
    Revocation,
    authority_of,
    authority_valid_to,
    day,
    long_term_remarks,
    revoked_reason,
    trusted_stamp,
)

S = SignatureStatus
# Vietnamese CAs mark signing certificates with either usage; pyHanko alone would want non-repudiation.
KEY_USAGE = KeyUsageConstraints(
    key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
)
EXPIRY_INDICATIONS = {
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
}


def verify_pdf(
    data: bytes | IO[bytes],
    *,
    trust_roots: Sequence[asn1_x509.Certificate],
    now: dt.datetime,
    options: longterm.Options = longterm.OFF,
) -> Report:
    """Check every signature of `data` (bytes, or a seekable binary stream read in chunks) against
    `trust_roots`, as of `now`; revocation as `options` say (not at all by default)."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    digest, size = _fingerprint(stream)
    try:
        reader = PdfFileReader(stream, strict=False)
        embedded = list(reader.embedded_regular_signatures)
        timestamps = list(reader.embedded_timestamp_signatures)
        evidence = read_evidence(reader)
    except RuntimeError:
        raise
    except Exception:  # pyHanko raises many kinds of errors on a damaged file: one answer for all
        return Report(sha256=digest, size=size, checked_at=now, readable=False)
    checks, archive = (
        finish(_check_all(embedded, timestamps, evidence, list(trust_roots), now, options))
        if embedded
        else ((), ())
    )
    return Report(
        sha256=digest,
        size=size,
        checked_at=now,
        signatures=checks,
        notes=offline_notes(checks, options) if checks else (),
        archive=archive,
    )


Checked = tuple[tuple[SignatureCheck, ...], tuple[ArchiveCheck, ...]]


async def _check_all(
    embedded: list[EmbeddedPdfSignature],
    timestamps: list[EmbeddedPdfSignature],
    evidence: Evidence,
    roots: list[asn1_x509.Certificate],
    now: dt.datetime,
    options: longterm.Options,
) -> Checked:
    if not options.checks_revocation:
        checker = Checker(roots=roots, now=now, options=options, evidence=evidence)
        return await _check_with(checker, embedded, timestamps)
    async with longterm.session() as opened:
        checker = Checker(roots=roots, now=now, options=options, evidence=evidence, opened=opened)
        return await _check_with(checker, embedded, timestamps)


async def _check_with(
    checker: Checker, embedded: list[EmbeddedPdfSignature], timestamps: list[EmbeddedPdfSignature]
) -> Checked:
    """The archive timestamps first: what they prove is used for the signatures they seal."""
    archive = await check_archive(timestamps, checker)
    checker.archived = [(a.revision, a.timestamp_at) for a in archive if a.trusted and a.timestamp_at]
    checks = tuple([await _check(i, s, checker, len(embedded)) for i, s in enumerate(embedded)])
    return checks, archive


def _fingerprint(stream: IO[bytes]) -> tuple[str, int]:
    """SHA-256 and size of the whole stream, read in chunks; the stream is left at its start."""
    stream.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(64 * 1024):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


async def _check(
    position: int, signature: EmbeddedPdfSignature, checker: Checker, count: int
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
        outcome = await checker.validate(signature, key_usage=KEY_USAGE)
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
    base["later"] = position < count - 1
    return _judged(base, certificate, outcome, checker.now)


def _signing_time(status: PdfSignatureStatus) -> tuple[dt.datetime | None, bool]:
    stamp = trusted_stamp(status)
    return (stamp, True) if stamp is not None else (status.signer_reported_dt, False)


def _judged(
    base: dict[str, Any], certificate: asn1_x509.Certificate, outcome: Outcome, now: dt.datetime
) -> SignatureCheck:
    status = outcome.status
    later = base.pop("later")
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
    elif status.revoked:
        verdict = S.REVOKED
        problems.append(revoked_reason(status))
    elif outcome.revocation == Revocation.FAILED:
        verdict = S.UNTRUSTED
        problems.append(
            _("The revocation status of the certificate could not be determined (the certificate "
              "authority's CRL or OCSP service did not answer): the signature cannot be trusted.")
        )  # fmt: skip
    elif not status.trusted and (out_of_period or status.trust_problem_indic in EXPIRY_INDICATIONS):
        verdict = S.EXPIRED
        problems.append(
            _("The certificate is valid from %(start)s to %(end)s: the signature cannot be trusted outside "
              "that period without a trusted timestamp.")
            % {"start": day(valid_from), "end": day(valid_to)}
        )  # fmt: skip
    elif not status.trusted:
        verdict = S.UNTRUSTED
        problems.append(_untrusted_reason(status))
    else:
        verdict = S.VALID
        problems.extend(long_term_remarks(outcome, valid_to, now))
    if intact and later and not changed:
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
        timestamp_at=signed_at if timestamped else None,
        timestamp_authority=authority_of(status) if timestamped else "",
        validation_info=outcome.validation_info,
        revocation=outcome.revocation,
        timestamp_valid_to=authority_valid_to(status),
        archived_at=outcome.archived_at,
    )


def _untrusted_reason(status: PdfSignatureStatus) -> str:
    if status.revoked:
        return _("The certificate has been revoked.")
    if status.trust_problem_indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        return _("The signer's certificate does not lead to a root certificate this system trusts.")
    return _("The signer's certificate could not be validated (%(reason)s).") % {
        "reason": getattr(status.trust_problem_indic, "name", "") or "?"
    }
