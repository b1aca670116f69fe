"""The certificate watch: warn before a seal or a personal certificate expires, and when its CA revokes it.

Run daily (`signing_watch_certificates`). Each expiry threshold (MOTCUA_SIGNING_EXPIRY_WARN_DAYS, working
days, selectors.expiry_cutoffs)
is warned about once per certificate: the tightest threshold given is recorded on the certificate
(`expiry_warned_days`) in the transaction that queues its messages, under the row's lock, and the
messages' source names the certificate and the threshold, so the outbox drops a repeat even from two
runs at once. A certificate that crossed several thresholds since the last run (a new import, the watch
down) is told only the tightest. With revocation checks on, the CAs are asked with no lock held; then a
short transaction records what was found on the certificate (never on its signatures) and, the first
time it is found revoked, queues the message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from motcua.notify.kinds import MessageKind
from motcua.signing import longterm, revocation, selectors
from motcua.signing.certificates import asn1_certificate, read_pem_chain
from motcua.signing.models import Certificate, Standing
from motcua.signing.services.watch_messages import days_text, tell
from motcua.signing.validation import day


@dataclass
class CertificateWatch:
    """What one run found, as lines for the command: each list names the certificates."""

    warned: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # the CA did not answer: could not check
    checked: int = 0
    revocation_off: bool = False


def due_threshold(valid_to: dt.datetime, now: dt.datetime, cutoffs: dict[int, dt.datetime]) -> int | None:
    """The tightest threshold the certificate is within: 0 once expired, None if outside them all."""
    if valid_to <= now:
        return 0
    crossed = [d for d, cutoff in cutoffs.items() if valid_to <= cutoff]
    return min(crossed) if crossed else None


def watch_certificates(
    *,
    now: dt.datetime | None = None,
    options: longterm.Options | None = None,
    days: tuple[int, ...] | None = None,
) -> CertificateWatch:
    """Warn about every active certificate that expires soon, has expired or was revoked; safe to rerun."""
    now = now or timezone.now()
    options = options or longterm.configured()
    days = days or selectors.expiry_warn_days()
    report = CertificateWatch()
    cutoffs = selectors.expiry_cutoffs(now, days)
    horizon = cutoffs[max(days)]
    for certificate in Certificate.objects.filter(is_active=True, valid_to__lte=horizon).order_by("pk"):
        threshold = due_threshold(certificate.valid_to, now, cutoffs)
        if threshold is None or not _warn_expiry(certificate.pk, threshold, now):
            continue
        (report.expired if threshold == 0 else report.warned).append(f"{certificate} · {threshold}d")
    if options.checks_revocation:
        _check_revocation(report, now, options)
    else:
        report.revocation_off = True
    return report


@transaction.atomic
def _warn_expiry(certificate_id: int, threshold: int, now: dt.datetime) -> bool:
    """Give the warning for `threshold` once; False if it (or a tighter one) was given already."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("agency", "user")
        .get(pk=certificate_id)
    )
    given = certificate.expiry_warned_days
    if not certificate.is_active or (given is not None and given <= threshold):
        return False
    if threshold == 0:
        source = f"certificate:{certificate.pk}:expired"
        tell(certificate, kind=MessageKind.CERTIFICATE_EXPIRED, source=source, now=now)
    else:
        left = str(max(0, (certificate.valid_to - now).days))
        tell(
            certificate,
            kind=MessageKind.CERTIFICATE_EXPIRING,
            source=f"certificate:{certificate.pk}:expiring:{threshold}d",
            now=now,
            extra=lambda language: {"threshold": days_text(threshold, language), "days_left": left},
        )
    certificate.expiry_warned_days = threshold
    certificate.save(update_fields=["expiry_warned_days"])
    return True


def _check_revocation(report: CertificateWatch, now: dt.datetime, options: longterm.Options) -> None:
    # Expired certificates are reported as such: a CA may drop them from its CRL, nothing to ask.
    certificates = list(Certificate.objects.filter(is_active=True, valid_to__gt=now).order_by("pk"))
    subjects = [
        revocation.Subject(
            leaf=asn1_certificate(read_pem_chain(c.certificate_pem)[0]),
            chain=tuple(asn1_certificate(issuer) for issuer in read_pem_chain(c.chain_pem)),
        )
        for c in certificates
    ]
    findings = revocation.check_all(subjects, options=options, roots=selectors.trust_roots())
    for certificate, finding in zip(certificates, findings, strict=True):
        report.checked += 1
        if finding.standing == Standing.UNKNOWN:
            report.unknown.append(f"{certificate}: {finding.detail}")
        if _record_standing(certificate.pk, finding, now):
            report.revoked.append(str(certificate))


@transaction.atomic
def _record_standing(certificate_id: int, finding: revocation.Finding, now: dt.datetime) -> bool:
    """Record what the CA said; True (and the message queued) the first time it is found revoked."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("agency", "user")
        .get(pk=certificate_id)
    )
    was_revoked = certificate.standing == Standing.REVOKED
    certificate.standing_checked_at = now
    # A revocation is final: a CA that does not answer later does not make it unknown again; only
    # the CA saying "good" (a hold lifted) does.
    if not was_revoked or finding.standing in (Standing.GOOD, Standing.REVOKED):
        certificate.standing = finding.standing
        certificate.revoked_at = finding.revoked_at
    certificate.save(update_fields=["standing", "standing_checked_at", "revoked_at"])
    if finding.standing != Standing.REVOKED or was_revoked or not certificate.is_active:
        return False
    revoked_at = finding.revoked_at
    tell(
        certificate,
        kind=MessageKind.CERTIFICATE_REVOKED,
        source=f"certificate:{certificate.pk}:revoked",
        now=now,
        extra=lambda language: {"revoked_at": day(revoked_at) if revoked_at else ""},
    )
    return True
