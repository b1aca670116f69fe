"""Signing a dossier's files: scans by the receiving officer, results with the handling agency's seal
(results at "result ready": results.py).

A signed copy is a new stored file beside the one it was made from: nothing a citizen or an agency sent
is overwritten (DOMAIN: nothing submitted is lost or silently altered). Every signature found in a
stored file, made here or elsewhere, is recorded with what its verification found.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.lifecycle import Action, next_status
from motcua.dossiers.models import Dossier, FileKind, StoredFile
from motcua.dossiers.transitions import apply_action, lock_dossier, operation
from motcua.dossiers.uploads import Upload, store_upload
from motcua.org.access import scope_for
from motcua.signing import longterm, rules, selectors
from motcua.signing.models import (
    ArchiveTimestamp,
    Certificate,
    FileSignature,
    SignatureOrigin,
    SignaturePurpose,
)
from motcua.signing.services.certificates import credential_of

if TYPE_CHECKING:
    from motcua.signing.verify import Report

SIGNED_SUFFIX = "-da-ky-so.pdf"


def signed_name(original: str) -> str:
    stem = original.rsplit(".", 1)[0] if "." in original else original
    return stem[: 255 - len(SIGNED_SUFFIX)] + SIGNED_SUFFIX


def _stamp(purpose: str, certificate: Certificate, now: dt.datetime) -> list[str]:
    titles = {
        SignaturePurpose.RESULT: _("Result signed digitally"),
        SignaturePurpose.SCAN: _("Scan signed digitally"),
        SignaturePurpose.FORM: _("Form signed digitally"),
        SignaturePurpose.RECEIPT: _("E-receipt signed digitally"),
    }
    lines = [titles[SignaturePurpose(purpose)], _("Signed by: %(name)s") % {"name": certificate.common_name}]
    if certificate.organisation and certificate.organisation.casefold() != certificate.common_name.casefold():
        lines.append(_("Organisation: %(name)s") % {"name": certificate.organisation})
    lines.append(_("Signed at: %(time)s") % {"time": timezone.localtime(now).strftime("%H:%M %d/%m/%Y")})
    return lines


def _reason(purpose: str, code: str) -> str:
    reasons = {
        SignaturePurpose.RESULT: _("Result of dossier %(code)s"),
        SignaturePurpose.SCAN: _("Scan of dossier %(code)s, certified by the receiving officer"),
        SignaturePurpose.FORM: _("Form of dossier %(code)s"),
        SignaturePurpose.RECEIPT: _("E-receipt of the fees of dossier %(code)s"),
    }
    return reasons[SignaturePurpose(purpose)] % {"code": code}


def _usable(certificate: Certificate | None, *, seal: bool, now: dt.datetime) -> Certificate:
    if certificate is None:
        if seal:
            raise ValidationFailed(
                _("The handling agency has no active seal (digital certificate): ask the administrator to "
                  "import it."),
                code="agency_has_no_seal",
            )  # fmt: skip
        raise ValidationFailed(
            _("You have no active personal signing certificate: ask the administrator to import it."),
            code="officer_has_no_certificate",
        )
    if not certificate.valid_from <= now < certificate.valid_to:
        raise ValidationFailed(
            _("The certificate of %(name)s is not valid now (valid until %(date)s).")
            % {
                "name": certificate.common_name,
                "date": timezone.localtime(certificate.valid_to).strftime("%d/%m/%Y"),
            },
            code="certificate_expired",
        )
    return certificate


def _signed(
    source: IO[bytes],
    content_type: str,
    *,
    name: str,
    certificate: Certificate,
    purpose: str,
    code: str,
    now: dt.datetime,
    roots: list[Any],
) -> IO[bytes]:
    """Return a temporary file (in memory while small) holding the signed PDF of `source`.

    Timestamped and with validation info embedded when configured (longterm.py); a TSA or CA that does
    not answer then stops the signing before anything is stored.
    """
    from motcua.signing.pdfsign import (  # pyHanko: imported when first needed
        LongTerm,
        image_to_pdf,
        sign_pdf_stream,
    )

    output = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    try:
        pdf = source if content_type == rules.PDF else io.BytesIO(image_to_pdf(source))
        sign_pdf_stream(
            pdf,
            output,
            credential=credential_of(certificate),
            reason=_reason(purpose, code),
            location="",
            stamp=_stamp(purpose, certificate, now),
            long_term=LongTerm(options=longterm.configured(), trust_roots=roots),
        )
    except ValidationFailed as exc:
        output.close()
        raise ValidationFailed(
            _("“%(name)s” cannot be signed. %(reason)s") % {"name": name, "reason": exc.message},
            code=exc.code,
            fields={"file": name},
        ) from None
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def _verified(data: IO[bytes], roots: list[Any], now: dt.datetime) -> Report:
    from motcua.signing.verify import verify_pdf  # pyHanko takes half a second to import: only when needed

    return verify_pdf(data, trust_roots=roots, now=now, options=longterm.configured())


@dataclass(frozen=True)
class Made:
    """The signature this operation added: the last one of the file."""

    certificate: Certificate
    actor: User | None
    source: StoredFile | None  # None: made here from data, not from a stored file (an e-receipt)


def record_signatures(
    report: Report,
    *,
    stored: StoredFile,
    purpose: str,
    now: dt.datetime,
    made: Made | None = None,
    earlier: list[FileSignature] | None = None,
    renews: StoredFile | None = None,
) -> list[FileSignature]:
    """Record every signature of `report` on `stored`, and its archive timestamps; those known on its
    source keep their origin.

    `renews`: `stored` is that file with a new archive timestamp (services/archive.py); every signature
    then points at it, so that the pages serve the renewed copy as they serve a signed one.
    """
    record_archive(report, stored=stored, now=now, renews=renews)
    known = {(s.position, s.signer_fingerprint): s for s in earlier or []}
    last = len(report.signatures) - 1
    found = []
    for check in report.signatures:
        mine = made if made is not None and check.position == last else None
        prior = known.get((check.position, check.fingerprint))
        found.append(
            FileSignature(
                file=stored,
                position=check.position,
                field_name=check.field_name[:255],
                source_file=mine.source if mine else renews,
                origin=SignatureOrigin.SIGNED
                if mine
                else (prior.origin if prior else SignatureOrigin.RECEIVED),
                purpose=prior.purpose if prior and not mine else purpose,
                certificate=mine.certificate if mine else (prior.certificate if prior else None),
                signed_by=mine.actor if mine else (prior.signed_by if prior else None),
                signer_name=check.signer_name[:255],
                signer_organisation=check.signer_organisation[:255],
                signer_fingerprint=check.fingerprint,
                issuer=check.issuer[:1000],
                signed_at=check.signed_at,
                status=check.status,
                intact=check.intact,
                trusted=check.trusted,
                covers_whole_file=check.covers_whole_file,
                details=check.details(),
                timestamp_valid_to=check.timestamp_valid_to,
                verified_at=now,
            )
        )
    return FileSignature.objects.bulk_create(found)


def record_archive(
    report: Report, *, stored: StoredFile, now: dt.datetime, renews: StoredFile | None = None
) -> list[ArchiveTimestamp]:
    """Record the archive timestamps (PAdES B-LTA) of `report` on `stored`; the last one renews `renews`."""
    last = len(report.archive) - 1
    return ArchiveTimestamp.objects.bulk_create(
        ArchiveTimestamp(
            file=stored,
            position=check.position,
            field_name=check.field_name[:255],
            timestamp_at=check.timestamp_at,
            authority=check.authority[:255],
            authority_valid_to=check.authority_valid_to,
            trusted=check.trusted,
            renews=renews if check.position == last else None,
            verified_at=now,
        )
        for check in report.archive
    )


@contextmanager
def _opened(stored: StoredFile) -> Iterator[IO[bytes]]:
    """Open a stored file to read it in chunks; pyHanko reads a PDF from the stream as it needs."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise ValidationFailed(
            _("The stored file “%(name)s” is missing from the storage.") % {"name": stored.original_name},
            code="file_missing",
        ) from None
    with handle:
        yield handle


@operation
def sign_file(
    *,
    code: str,
    file_id: int,
    actor: User,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> StoredFile:
    """Sign one file of the dossier: a result with the handling agency's seal, a scan with the officer's own.

    Return the signed copy, a new file beside the original.
    """
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    stored = StoredFile.objects.filter(pk=file_id, dossier=dossier).select_related("document").first()
    if stored is None or not rules.may_sign(actor, scope_for(actor), dossier, stored.kind):
        raise access.not_found(code)
    next_status(dossier.status, Action.SIGN_FILE)  # refused before any work when the dossier is closed
    if not rules.can_be_signed(stored.content_type):
        raise ValidationFailed(
            _("Only PDF files and scanned images can be signed."), code="file_not_signable"
        )
    seal = rules.signed_with_seal(stored.kind)
    certificate = _usable(
        selectors.active_seal(dossier.lead_agency_id) if seal else selectors.active_certificate_of(actor),
        seal=seal,
        now=now,
    )
    if FileSignature.objects.filter(Q(file=stored) | Q(source_file=stored), certificate=certificate).exists():
        raise Conflict(
            _("“%(name)s” is already signed with this certificate.") % {"name": stored.original_name},
            code="already_signed",
        )
    roots = selectors.trust_roots()
    signed = _sign_stored(dossier, stored, certificate, now=now, roots=roots)
    return _store_signed(dossier, stored, signed, certificate, actor=actor, now=now, roots=roots)


def _sign_stored(
    dossier: Dossier, stored: StoredFile, certificate: Certificate, *, now: dt.datetime, roots: list[Any]
) -> IO[bytes]:
    with _opened(stored) as source:
        return _signed(
            source,
            stored.content_type,
            name=stored.original_name,
            certificate=certificate,
            purpose=rules.purpose_of(stored.kind),
            code=dossier.code,
            now=now,
            roots=roots,
        )


def _store_signed(
    dossier: Dossier,
    stored: StoredFile,
    signed: IO[bytes],
    certificate: Certificate,
    *,
    actor: User,
    now: dt.datetime,
    roots: list[Any],
) -> StoredFile:
    """Store the signed copy of `stored` beside it, record its signatures and the event."""
    purpose = rules.purpose_of(stored.kind)
    with signed:
        report = _verified(signed, roots, now)
        copy = store_upload(
            dossier=dossier,
            upload=Upload.from_file(signed, name=signed_name(stored.original_name)),
            kind=stored.kind,
            actor=actor,
            document=stored.document,
        )
    earlier = list(FileSignature.objects.filter(file=stored)) if len(report.signatures) > 1 else []
    made = Made(certificate=certificate, actor=actor, source=stored)
    record_signatures(report, stored=copy, purpose=purpose, now=now, made=made, earlier=earlier)
    _sign_event(dossier, copy, stored, certificate, report, actor=actor, now=now, purpose=purpose)
    return copy


@operation
def sign_scans(
    *,
    code: str,
    actor: User,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> list[StoredFile]:
    """Sign every scan of the dossier the officer has not signed yet, with her own certificate (one sitting).

    Decree 45/2020 art. 25: the receiving officer certifies the scans of the papers. Files already signed
    with her certificate, signed copies and files that are neither PDFs nor images are left as they are.
    Return the signed copies; refused when there is nothing left to sign.
    """
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    if not rules.may_sign(actor, scope_for(actor), dossier, FileKind.SCAN):
        raise access.not_found(code)
    next_status(dossier.status, Action.SIGN_FILE)
    certificate = _usable(selectors.active_certificate_of(actor), seal=False, now=now)
    scans = StoredFile.objects.filter(dossier=dossier, kind__in=rules.SCAN_KINDS).select_related("document")
    done = FileSignature.objects.filter(file__dossier=dossier, certificate=certificate)
    covered = {pk for pair in done.values_list("file_id", "source_file_id") for pk in pair if pk}
    copies = set(
        FileSignature.objects.filter(file__dossier=dossier)
        .exclude(source_file=None)
        .values_list("file_id", flat=True)
    )
    todo = [
        f
        for f in scans.order_by("pk")
        if f.pk not in covered and f.pk not in copies and rules.can_be_signed(f.content_type)
    ]
    if not todo:
        raise ValidationFailed(_("Every scan of this dossier is already signed."), code="nothing_to_sign")
    roots = selectors.trust_roots()
    # Every scan is signed before any is stored: a TSA that stops answering half-way leaves nothing behind.
    signed: list[IO[bytes]] = []
    try:
        for stored in todo:
            signed.append(_sign_stored(dossier, stored, certificate, now=now, roots=roots))
    except BaseException:
        for made in signed:
            made.close()
        raise
    return [
        _store_signed(dossier, f, copy, certificate, actor=actor, now=now, roots=roots)
        for f, copy in zip(todo, signed, strict=True)
    ]


def _sign_event(
    dossier: Dossier,
    copy: StoredFile,
    source: StoredFile,
    certificate: Certificate,
    report: Report,
    *,
    actor: User | None,
    now: dt.datetime,
    purpose: str,
) -> None:
    apply_action(
        dossier,
        Action.SIGN_FILE,
        actor=actor,
        at=now,
        agency=rules.acting_agency_id(dossier, purpose),
        comment=_("“%(file)s” signed with the certificate of %(signer)s.")
        % {"file": source.original_name, "signer": certificate.common_name},
        data={
            "file": copy.original_name,
            "file_id": copy.pk,
            "source_file_id": source.pk,
            "certificate": certificate.fingerprint,
            "signer": certificate.common_name,
            "purpose": purpose,
            "status": report.signatures[-1].status if report.signatures else "",
        },
        # The applicant sees the result being signed; scans are the desk's own work.
        public=purpose == SignaturePurpose.RESULT,
    )
