"""Renew the archive timestamps (PAdES B-LTA) of stored signed files before their TSA's certificate expires.

A timestamp proves a time only while the certificate of its timestamp authority is valid. Before the
latest timestamp of a stored file (its last archive timestamp, or its signatures' own timestamps) loses
that, `renew_archive` adds a document timestamp over the validation info of the previous one
(archive.py) and stores the result as a new file beside it: the one it renews stays as it was, and its
signatures point at it (`FileSignature.source_file`), so the pages serve the renewed copy as they serve
a signed one. The TSA and the CA are asked with no lock held; then a short transaction locks the
dossier, checks that no other worker renewed the file meanwhile, stores it and appends the event.
Files stored before their timestamps' expiry was recorded are read once to learn it.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import tempfile
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, StoredFile
from motcua.dossiers.transitions import apply_action, lock_dossier, operation
from motcua.dossiers.uploads import Upload, store_upload
from motcua.signing import longterm, rules, selectors
from motcua.signing.models import ArchiveTimestamp, FileSignature, SignaturePurpose
from motcua.signing.services.files import _opened, _verified, record_archive, record_signatures

if TYPE_CHECKING:
    from motcua.signing.verify import Report

logger = logging.getLogger("motcua.signing.archive")


class Outcome(enum.StrEnum):
    RENEWED = "renewed"
    NOT_DUE = "not_due"
    ALREADY = "already_renewed"  # a newer copy of the file exists: that one is renewed instead
    TOO_LATE = "too_late"  # the latest timestamp's TSA certificate has expired: nothing can renew it
    FAILED = "failed"  # the TSA or the CA did not answer, or the file cannot be renewed: tried again
    BUSY = "busy"  # another worker holds the dossier: the next run comes back


@dataclass(frozen=True)
class Renewal:
    outcome: Outcome
    file: StoredFile | None = None  # the renewed copy
    error: str = ""  # the refusal's code when FAILED


def _superseded() -> Exists:
    """A newer copy of the file exists (signed or renewed): that copy is the one to keep renewed."""
    return Exists(FileSignature.objects.filter(source_file=OuterRef("pk")))


def _expiry() -> Coalesce:
    """When the file's latest timestamp stops proving its time: its last archive timestamp's TSA
    certificate expiry, or, before it has one, the earliest of its signatures' timestamps'."""
    archive = ArchiveTimestamp.objects.filter(file=OuterRef("pk")).order_by("-position")
    stamps = FileSignature.objects.filter(file=OuterRef("pk"), timestamp_valid_to__isnull=False)
    return Coalesce(
        Subquery(archive.values("authority_valid_to")[:1]),
        Subquery(stamps.order_by("timestamp_valid_to").values("timestamp_valid_to")[:1]),
    )


def due_files(*, now: dt.datetime, days: int) -> QuerySet[StoredFile]:
    """The signed files (the latest copy of each) whose latest timestamp expires within `days`, soonest
    first, then those timestamped before the expiry was recorded."""
    unknown = FileSignature.objects.filter(
        file=OuterRef("pk"), timestamp_valid_to__isnull=True, details__timestamped=True
    )
    return (
        StoredFile.objects.filter(content_type=rules.PDF)
        .filter(Exists(FileSignature.objects.filter(file=OuterRef("pk"))))
        .exclude(_superseded())
        .annotate(expires=_expiry())
        .filter(Q(expires__lte=now + dt.timedelta(days=days)) | Q(expires__isnull=True) & Exists(unknown))
        .order_by("expires", "pk")
    )


def renew_archive(
    file_id: int, *, options: longterm.Options, skip_locked: bool = False, now: dt.datetime | None = None
) -> Renewal:
    """Add an archive timestamp to the stored file `file_id` when it is due, as a new file beside it."""
    now = now or timezone.now()
    stored = StoredFile.objects.select_related("dossier").filter(pk=file_id).exclude(_superseded()).first()
    if stored is None:
        return Renewal(Outcome.ALREADY)
    roots = selectors.trust_roots()
    expires = _learned_expiry(stored, roots, now, options)
    if expires is None or expires > now + dt.timedelta(days=options.archive_renew_days):
        return Renewal(Outcome.NOT_DUE)
    if expires <= now:
        return Renewal(Outcome.TOO_LATE)
    try:
        renewed = _renewed(stored, options, roots)
    except DomainError as refused:
        logger.warning("archive timestamp of file %s not renewed: %s", stored.pk, refused.code)
        return Renewal(Outcome.FAILED, error=refused.code)
    try:
        report = _verified(renewed, roots, now)
        renewed.seek(0)
        return _store(stored.pk, renewed, report, skip_locked=skip_locked, now=now)
    finally:
        renewed.close()


def _learned_expiry(
    stored: StoredFile, roots: list[Any], now: dt.datetime, options: longterm.Options
) -> dt.datetime | None:
    """The file's expiry as recorded; read from the file once when it was stored without it."""
    expires = (
        StoredFile.objects.filter(pk=stored.pk).annotate(expires=_expiry()).values("expires")[0]["expires"]
    )
    unknown = stored.signatures.filter(timestamp_valid_to__isnull=True, details__timestamped=True)
    if expires is not None or not unknown.exists():
        return expires
    with _opened(stored) as source:
        report = _verified(source, roots, now)
    with transaction.atomic():
        for check in report.signatures:
            if check.timestamp_valid_to is not None:
                stored.signatures.filter(position=check.position).update(
                    timestamp_valid_to=check.timestamp_valid_to
                )
        if not stored.archive_timestamps.exists():
            record_archive(report, stored=stored, now=now)
    return StoredFile.objects.filter(pk=stored.pk).annotate(expires=_expiry()).values("expires")[0]["expires"]


def _renewed(stored: StoredFile, options: longterm.Options, roots: list[Any]) -> IO[bytes]:
    """A temporary file holding `stored` with a new archive timestamp."""
    from motcua.signing.archive import renew_stream  # pyHanko: imported when first needed

    output = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    try:
        with _opened(stored) as source:
            renew_stream(source, output, options=options, trust_roots=roots)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


@operation
def _store(
    file_id: int, renewed: IO[bytes], report: Report, *, skip_locked: bool, now: dt.datetime
) -> Renewal:
    dossier_id, code = StoredFile.objects.filter(pk=file_id).values_list("dossier_id", "dossier__code")[0]
    if skip_locked and not list(
        Dossier.objects.select_for_update(skip_locked=True).filter(pk=dossier_id).values_list("pk")
    ):
        return Renewal(Outcome.BUSY)
    dossier = lock_dossier(code)
    source = StoredFile.objects.select_related("document").filter(pk=file_id).exclude(_superseded()).first()
    if source is None:  # another worker renewed it (or an officer signed it) meanwhile
        return Renewal(Outcome.ALREADY)
    copy = store_upload(
        dossier=dossier,
        upload=Upload.from_file(renewed, name=source.original_name),
        kind=source.kind,
        actor=None,
        document=source.document,
    )
    purpose = rules.purpose_of(source.kind)
    earlier = list(FileSignature.objects.filter(file=source))
    record_signatures(report, stored=copy, purpose=purpose, now=now, earlier=earlier, renews=source)
    _renew_event(dossier, copy, source, report, purpose=purpose, now=now)
    return Renewal(Outcome.RENEWED, file=copy)


def _renew_event(
    dossier: Dossier, copy: StoredFile, source: StoredFile, report: Report, *, purpose: str, now: dt.datetime
) -> None:
    """Made by the system: the version stays, so an officer with the dossier open is not asked to reload."""
    last = report.archive[-1] if report.archive else None
    apply_action(
        dossier,
        Action.RENEW_ARCHIVE,
        actor=None,
        at=now,
        agency=rules.acting_agency_id(dossier, purpose),
        comment=_("The archive timestamp of “%(file)s” was renewed by %(authority)s.")
        % {"file": source.original_name, "authority": last.authority if last else "?"},
        data={
            "file": copy.original_name,
            "file_id": copy.pk,
            "source_file_id": source.pk,
            "authority": last.authority if last else "",
            "authority_valid_to": last.authority_valid_to.isoformat()
            if last and last.authority_valid_to
            else "",
            "status": report.status,
        },
        # The applicant is served the renewed result from now on; scans are the desk's own.
        public=purpose == SignaturePurpose.RESULT,
        versioned=False,
    )


@dataclass
class ArchiveSweep:
    """What one run did, for the command's report."""

    reason: str = ""  # why nothing was tried: the installation makes no archive timestamps
    renewed: list[StoredFile] = field(default_factory=list)
    too_late: list[StoredFile] = field(default_factory=list)
    failed: list[tuple[StoredFile, str]] = field(default_factory=list)
    not_due: int = 0
    skipped: int = 0  # held by another worker, or renewed by it meanwhile


def renew_due_archives(
    *, limit: int = 200, now: dt.datetime | None = None, options: longterm.Options | None = None
) -> ArchiveSweep:
    """Renew every due archive timestamp, soonest expiry first, each file in its own transaction."""
    now = now or timezone.now()
    options = options or longterm.configured()
    if not options.archives:
        return ArchiveSweep(reason=not_configured_reason(options))
    sweep = ArchiveSweep()
    due = list(due_files(now=now, days=options.archive_renew_days).select_related("dossier")[:limit])
    for stored in due:
        renewal = renew_archive(stored.pk, options=options, skip_locked=True, now=now)
        _count(sweep, stored, renewal)
    return sweep


def _count(sweep: ArchiveSweep, stored: StoredFile, renewal: Renewal) -> None:
    if renewal.outcome == Outcome.RENEWED and renewal.file is not None:
        sweep.renewed.append(renewal.file)
    elif renewal.outcome == Outcome.TOO_LATE:
        sweep.too_late.append(stored)
    elif renewal.outcome == Outcome.FAILED:
        sweep.failed.append((stored, renewal.error))
    elif renewal.outcome == Outcome.NOT_DUE:
        sweep.not_due += 1
    else:
        sweep.skipped += 1


def not_configured_reason(options: longterm.Options) -> str:
    if not options.tsa_url:
        return _("No timestamp authority is configured (MOTCUA_SIGNING_TSA_URL): there is nothing to renew.")
    return _(
        "Revocation checks are off (MOTCUA_SIGNING_REVOCATION): an archive timestamp needs the validation "
        "info of the previous timestamp, fetched from the certificate authority."
    )
