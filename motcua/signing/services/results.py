"""Results at "result ready": verify the results that arrive signed, seal the unsigned ones, store both.

Decree 45/2020 art. 25: an electronic result carries the issuing agency's digital signature. Everything
is read, verified and signed before anything is written (`prepare_results`), so a broken signature or a
TSA that does not answer leaves the dossier as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.dossiers.models import Dossier, FileKind, StoredFile
from motcua.dossiers.uploads import Upload, check_upload, max_upload_bytes, store_upload
from motcua.org.access import Scope
from motcua.signing import rules, selectors
from motcua.signing.models import Certificate, SignaturePurpose, SignatureStatus
from motcua.signing.services.files import (
    Made,
    _sign_event,
    _signed,
    _usable,
    _verified,
    record_signatures,
    signed_name,
)

if TYPE_CHECKING:
    from motcua.signing.verify import Report

# A result whose signature is one of these was altered after signing: it is refused, not stored.
BROKEN = {SignatureStatus.INVALID, SignatureStatus.MODIFIED}


@dataclass
class ResultFile:
    upload: Upload
    content_type: str
    report: Report | None = None  # the signatures it arrived with
    sealed: IO[bytes] | None = None  # the copy signed with the agency's seal, in a temporary file
    sealed_report: Report | None = None


@dataclass
class Results:
    files: list[ResultFile] = field(default_factory=list)
    seal: Certificate | None = None


def prepare_results(
    *, dossier: Dossier, results: list[Upload], sign: bool, now: dt.datetime, actor: User, scope: Scope
) -> Results:
    """Before anything is written: verify results that arrive signed, refusing one altered after signing,
    and with `sign` seal the unsigned ones (PDFs, and scanned images put into a PDF).

    No reads at all when there are no results, and none for unsigned files unless `sign`.
    """
    prepared = Results(files=[ResultFile(upload=u, content_type=check_upload(u)) for u in results])
    roots, limit = None, max_upload_bytes()
    for item in prepared.files:
        if item.content_type == rules.PDF and rules.may_carry_signature_in(item.upload.chunks(limit)):
            roots = roots if roots is not None else selectors.trust_roots()
            item.report = _verified(item.upload.open(), roots, now)
            _refuse_broken(item)
    unsigned = [
        i
        for i in prepared.files
        if rules.can_be_signed(i.content_type) and not (i.report and i.report.signatures)
    ]
    if not (sign and unsigned):
        return prepared
    if not rules.may_seal(actor, scope, dossier):
        raise ValidationFailed(
            _("Only the staff of the handling agency may sign its results with its seal."),
            code="seal_not_allowed",
        )
    prepared.seal = _usable(selectors.active_seal(dossier.lead_agency_id), seal=True, now=now)
    roots = roots if roots is not None else selectors.trust_roots()
    for item in unsigned:
        item.sealed = _signed(
            item.upload.open(),
            item.content_type,
            name=item.upload.name,
            certificate=prepared.seal,
            purpose=SignaturePurpose.RESULT,
            code=dossier.code,
            now=now,
            roots=roots,
        )
        item.sealed_report = _verified(item.sealed, roots, now)
    return prepared


def _refuse_broken(item: ResultFile) -> None:
    report = item.report
    if report is None:
        return
    broken = [s for s in report.signatures if s.status in BROKEN]
    if report.readable and not broken:
        return
    problem = broken[0].problems[0] if broken and broken[0].problems else report.summary
    raise ValidationFailed(
        _("The result “%(name)s” carries a broken digital signature, so it cannot be accepted: %(problem)s")
        % {"name": item.upload.name, "problem": problem},
        code="result_signature_broken",
        fields={"file": item.upload.name, "status": report.status},
    )


def store_results(prepared: Results, *, dossier: Dossier, actor: User, now: dt.datetime) -> list[StoredFile]:
    """Store the results as sent, their sealed copies beside them, and record every signature."""
    stored_files = []
    for item in prepared.files:
        stored = store_upload(dossier=dossier, upload=item.upload, kind=FileKind.RESULT, actor=actor)
        stored_files.append(stored)
        if item.report is not None and item.report.signatures:
            record_signatures(item.report, stored=stored, purpose=SignaturePurpose.RESULT, now=now)
        if item.sealed is None or item.sealed_report is None or prepared.seal is None:
            continue
        with item.sealed:
            copy = store_upload(
                dossier=dossier,
                upload=Upload.from_file(item.sealed, name=signed_name(item.upload.name)),
                kind=FileKind.RESULT,
                actor=actor,
            )
        stored_files.append(copy)
        made = Made(certificate=prepared.seal, actor=actor, source=stored)
        record_signatures(
            item.sealed_report, stored=copy, purpose=SignaturePurpose.RESULT, now=now, made=made
        )
        _sign_event(
            dossier, copy, stored, prepared.seal, item.sealed_report, actor=actor, now=now,
            purpose=SignaturePurpose.RESULT,
        )  # fmt: skip
    return stored_files


def require_signed_result(dossier: Dossier) -> None:
    """The result returned online is the legal result: one result file must carry a valid signature."""
    if not selectors.has_valid_result_signature(dossier):
        raise ValidationFailed(
            _("A result returned online must carry a valid digital signature: sign the result with the "
              "agency's seal (or have the CA of its signature trusted) before handing it over."),
            code="result_not_signed",
        )  # fmt: skip
