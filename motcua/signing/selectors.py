"""Reads of the signing app: certificates to sign with, trusted roots, signatures of files, issued results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.db.models import Q, QuerySet

from motcua.core.models import User
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, FileKind, StoredFile
from motcua.org.access import Scope
from motcua.org.models import Agency, Role
from motcua.signing import rules
from motcua.signing.certificates import asn1_certificate, read_pem_chain
from motcua.signing.models import Certificate, FileSignature, SignatureStatus, Standing, TrustedRoot
from motcua.workdays.calendar import is_working_day
from motcua.workdays.selectors import calendar_for


def trust_roots() -> list[asn1_x509.Certificate]:
    """The certificates of the CAs whose signatures count as trusted (one query)."""
    pems = TrustedRoot.objects.filter(is_active=True).values_list("certificate_pem", flat=True)
    return [asn1_certificate(c) for pem in pems for c in read_pem_chain(pem)]


def active_seal(agency_id: int) -> Certificate | None:
    return Certificate.objects.filter(agency_id=agency_id, is_active=True).first()


def active_certificate_of(user: User) -> Certificate | None:
    return Certificate.objects.filter(user_id=user.pk, is_active=True).first()


def certificates_by_expiry() -> QuerySet[Certificate]:
    """Every certificate, those that expire soonest first (the active ones before the others)."""
    return Certificate.objects.select_related("agency", "user").order_by("-is_active", "valid_to", "pk")


def expiry_warn_days() -> tuple[int, ...]:
    """The certificate watch's expiry thresholds in working days, widest first (settings.py checked them)."""
    raw = str(settings.MOTCUA.get("SIGNING_EXPIRY_WARN_DAYS", "30,7,1"))
    return tuple(sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True))


def expiry_cutoffs(now: dt.datetime, days: Iterable[int]) -> dict[int, dt.datetime]:
    """For each threshold `d`, the moment a certificate must end by to be within `d` working days.

    That is the start (local midnight) of the working day after the `d`-th, today counting when it is
    one: a certificate ending on a Sunday or during Tết is then warned on the last working day before,
    when someone is at the office to renew it, not on the day off itself.
    """
    wanted = sorted(set(days))
    if not wanted:
        return {}
    cal = calendar_for(years=range(now.year, now.year + 2 + max(wanted) // 200))
    day = now.astimezone(cal.tz).date()
    cutoffs: dict[int, dt.datetime] = {}
    counted = 0
    while len(cutoffs) < len(wanted):
        if is_working_day(cal, day):
            counted += 1
            for d in wanted:
                if counted == d + 1:
                    cutoffs[d] = dt.datetime.combine(day, dt.time(), tzinfo=cal.tz)
        day += dt.timedelta(days=1)
    return cutoffs


@dataclass(frozen=True)
class CertificateNotice:
    """A certificate a staff member should act on, as the top of her pages says it."""

    certificate: Certificate
    state: str  # "revoked", "expired" or "expiring"
    days_left: int


def certificate_notices(
    *, user: User, scope: Scope, now: dt.datetime, days: int | None = None
) -> list[CertificateNotice]:
    """The active certificates `user` should hear about on her pages (one query): her own; the seals of
    the agencies she leads, of those her centre serves (director), every seal (province administrator);
    each expiring within `days` working days (the widest expiry threshold), expired, or found revoked by
    the watch."""
    owners = Q(user_id=user.pk)
    if led := scope.ids_for(Role.AGENCY_LEADER):
        owners |= Q(agency_id__in=led)
    if points := scope.ids_for(Role.CENTRE_DIRECTOR):
        served = Agency.objects.filter(Q(service_points__in=points) | Q(own_service_points__in=points))
        owners |= Q(agency_id__in=served.values("pk"))
    if scope.is_province_admin:
        owners |= Q(agency__isnull=False)
    days = max(expiry_warn_days()) if days is None else days
    attention = Q(valid_to__lte=expiry_cutoffs(now, (days,))[days]) | Q(standing=Standing.REVOKED)
    found = Certificate.objects.filter(owners, attention, is_active=True).select_related("agency", "user")
    notices = []
    for certificate in found.order_by("valid_to", "pk"):
        left = certificate.valid_to - now
        state = "expired" if left <= dt.timedelta(0) else "expiring"
        state = "revoked" if certificate.standing == Standing.REVOKED else state
        notices.append(CertificateNotice(certificate, state, max(0, left.days)))
    return notices


def has_valid_result_signature(dossier: Dossier) -> bool:
    return FileSignature.objects.filter(
        file__dossier_id=dossier.pk, file__kind=FileKind.RESULT, status=SignatureStatus.VALID
    ).exists()


@dataclass(frozen=True)
class IssuedResult:
    """What the public may learn of a result MotCua issued: no personal data."""

    dossier_code: str
    procedure_name: str
    agency: str
    issued_at: dt.datetime | None


def issued_result(sha256: str) -> IssuedResult | None:
    """The result whose bytes hash to `sha256`, if a dossier issued it (result ready or returned)."""
    stored = (
        StoredFile.objects.filter(
            sha256=sha256,
            kind=FileKind.RESULT,
            dossier__status__in=[Status.RESULT_READY, Status.RETURNED],
        )
        .select_related("dossier__lead_agency", "dossier__procedure_version")
        .order_by("uploaded_at")
        .first()
    )
    if stored is None:
        return None
    dossier = stored.dossier
    return IssuedResult(
        dossier_code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        agency=dossier.lead_agency.name,
        issued_at=dossier.result_ready_at,
    )


@dataclass
class FileState:
    """A stored file's signatures as the dossier page shows them, and whether the viewer may sign it."""

    signatures: list[FileSignature] = field(default_factory=list)
    copy_of: StoredFile | None = None
    copies: list[StoredFile] = field(default_factory=list)
    may_sign: bool = False


def annotate_files(files: Sequence[StoredFile], *, user: User, scope: Scope, dossier: Dossier) -> None:
    """Give each file a `signing` FileState: one query for the signatures, one more if the user may sign.

    A file loaded twice (the dossier's files, a document's files) shares one state.
    """
    instances: dict[int, list[StoredFile]] = {}
    for stored in files:
        instances.setdefault(stored.pk, []).append(stored)
    states = {pk: FileState() for pk in instances}
    for pk, same in instances.items():
        for stored in same:
            stored.signing = states[pk]  # type: ignore[attr-defined]
    if not instances:
        return
    first = {pk: same[0] for pk, same in instances.items()}
    for signature in FileSignature.objects.filter(file_id__in=first).order_by("file_id", "position"):
        state = states[signature.file_id]
        state.signatures.append(signature)
        if signature.source_file_id in first and state.copy_of is None:
            state.copy_of = first[signature.source_file_id]
            states[signature.source_file_id].copies.append(first[signature.file_id])
    _mark_signable(list(first.values()), states, user=user, scope=scope, dossier=dossier)


def _mark_signable(
    files: list[StoredFile],
    states: dict[int, FileState],
    *,
    user: User,
    scope: Scope,
    dossier: Dossier,
) -> None:
    candidates = [
        f
        for f in files
        if rules.status_allows_signing(dossier.status)
        and rules.can_be_signed(f.content_type)
        and rules.may_sign(user, scope, dossier, f.kind)
    ]
    if not candidates:
        return
    owned = Certificate.objects.filter(is_active=True).filter(
        Q(agency_id=dossier.lead_agency_id) | Q(user_id=user.pk)
    )
    seal: Certificate | None = None
    personal: Certificate | None = None
    for certificate in owned:
        if certificate.agency_id is not None:
            seal = certificate
        else:
            personal = certificate
    for stored in candidates:
        signer = seal if rules.signed_with_seal(stored.kind) else personal
        state = states[stored.pk]
        done = {s.certificate_id for s in state.signatures}
        done |= {s.certificate_id for copy in state.copies for s in states[copy.pk].signatures}
        state.may_sign = signer is not None and signer.pk not in done


def scans_to_sign(files: Iterable[StoredFile]) -> int:
    """How many scans the viewer may still sign, once `annotate_files` has run (each file counted once)."""
    states = {f.pk: getattr(f, "signing", None) for f in files if f.kind in rules.SCAN_KINDS}
    return sum(1 for state in states.values() if state is not None and state.may_sign)


def signatures_on(stored: StoredFile) -> list[FileSignature]:
    """The signatures recorded on a stored file, by position; prefetched (`signatures`) or one query."""
    return sorted(stored.signatures.all(), key=lambda s: s.position)
