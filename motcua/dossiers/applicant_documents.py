"""The applicant's digitised documents ("kho dữ liệu"): valid electronic copies held from earlier dossiers.

Decree 45/2020 art. 16–17 and Decree 118/2025: a paper the administration already holds as a digitised,
signed copy is not asked for again; the applicant (or the officer for her) points at it in a new dossier.
MotCua holds as valid copies the results of returned dossiers (an original is left out once its signed
copy exists), the scans that carry a valid signature of the receiving officer, and the copies reused
since. Files of other applicants and unsigned scans never appear.

Who owns them: at the counter, the dossiers filed in person or by post under the ID number or tax code
and the full name typed (compared without diacritics or case), so that an ID number alone opens nothing,
and a dossier filed later under another name opens none of the earlier ones; on the portal, and for any
dossier filed online, the citizen account's own dossiers (an online filer's ID number is only typed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from motcua.catalog.text import padded
from motcua.core.models import User
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import FileKind, StoredFile
from motcua.signing.models import FileSignature, SignaturePurpose, SignatureStatus

# Where a digitised document comes from, as the pages and the API name it.
RESULT, SIGNED_SCAN, REUSED = "result", "signed_scan", "reused"
ORIGINS = {FileKind.RESULT: RESULT, FileKind.SCAN: SIGNED_SCAN, FileKind.SUPPLEMENT: SIGNED_SCAN}
# Documents (distinct contents) per look-up, newest first: copies of one paper reused in every dossier
# take one place, so an organisation filing every week still sees its other papers.
READ_LIMIT = 500
SIGNED_SCAN_KINDS = (FileKind.SCAN, FileKind.SUPPLEMENT)


@dataclass(frozen=True)
class ApplicantKey:
    """The applicant as typed at the counter: kind, ID number or tax code, and full name."""

    kind: str
    id_number: str
    name: str


@dataclass(frozen=True)
class DigitisedDocument:
    """One digitised document, once per content: the newest file holding it."""

    file_id: int
    sha256: str
    name: str  # the checklist item it was filed under, or what the result is
    file_name: str
    content_type: str
    size: int
    origin: str  # RESULT, SIGNED_SCAN or REUSED
    dossier_code: str
    procedure: str
    stored_at: dt.datetime

    @property
    def origin_label(self) -> str:
        labels = {
            RESULT: _("result of the dossier"),
            SIGNED_SCAN: _("scan signed by the receiving officer"),
            REUSED: _("reused in that dossier"),
        }
        return str(labels[self.origin])


def _valid_originals() -> Q:
    """Results of returned dossiers and validly signed scans."""
    signed_scan = FileSignature.objects.filter(
        file=OuterRef("pk"), purpose=SignaturePurpose.SCAN, status=SignatureStatus.VALID
    )
    return Q(kind=FileKind.RESULT, dossier__status=Status.RETURNED) | Q(kind__in=SIGNED_SCAN_KINDS) & Q(
        Exists(signed_scan)
    )


def _latest() -> Q:
    """Not replaced by a newer copy, whose signatures point back at the file: a result signed after it
    arrived, a scan signed again, or either with a renewed archive timestamp (signing/services/archive.py).
    """
    return ~Q(Exists(FileSignature.objects.filter(source_file=OuterRef("pk"))))


def valid_copies() -> Q:
    """The stored files that are valid electronic copies: valid originals, and copies reused from one.

    A reused copy points at its original (services/reuse.py), and stays valid only while the original
    does: a signature found invalid later takes every copy of it out of the list. It keeps the bytes it
    was reused with, so a newer copy of the original (a renewal) does not take it out.
    """
    valid_original = StoredFile.objects.filter(pk=OuterRef("reused_from")).filter(_valid_originals())
    return _valid_originals() & _latest() | Q(kind=FileKind.REUSED) & Q(Exists(valid_original))


def _applicant_files(key: ApplicantKey) -> QuerySet[StoredFile]:
    # Each dossier keeps the name it was filed under, folded as `padded` folds it ("nguyen van an").
    name = padded(key.name)[:400]
    if not name:
        return StoredFile.objects.none()
    # Only dossiers filed in person or by post, whose ID papers an officer saw: an online filer types
    # any ID number and name, and her dossiers are reused through her account (`_citizen_files`).
    return StoredFile.objects.filter(
        dossier__applicant__kind=key.kind,
        dossier__applicant__id_number="".join(key.id_number.split()),
        dossier__applicant_search=name,
        dossier__citizen__isnull=True,
    )


def _citizen_files(user: User) -> QuerySet[StoredFile]:
    if not user.is_authenticated:
        return StoredFile.objects.none()
    return StoredFile.objects.filter(dossier__citizen=user)


def _owned(applicant: ApplicantKey | None, citizen: User | None) -> QuerySet[StoredFile]:
    if citizen is not None:
        return _citizen_files(citizen)
    if applicant is not None:
        return _applicant_files(applicant)
    return StoredFile.objects.none()


def _newest(files: QuerySet[StoredFile]) -> QuerySet[StoredFile]:
    return (
        files.filter(valid_copies())
        .select_related("document", "dossier__procedure_version")
        .only(
            "pk",
            "sha256",
            "original_name",
            "content_type",
            "size",
            "kind",
            "reused_from",
            "uploaded_at",
            "file",
            "document__name",
            "dossier__code",
            "dossier__procedure_version__name",
            "dossier__procedure_version__result",
        )
        .order_by("-uploaded_at", "-pk")
    )


def _entry(stored: StoredFile) -> DigitisedDocument:
    version = stored.dossier.procedure_version
    if stored.kind == FileKind.RESULT:
        name = _("Result: %(result)s") % {"result": version.result or version.name}
    else:
        name = stored.document.name if stored.document is not None else stored.original_name
    return DigitisedDocument(
        file_id=stored.pk,
        sha256=stored.sha256,
        name=name,
        file_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        origin=ORIGINS.get(FileKind(stored.kind), REUSED),
        dossier_code=stored.dossier.code,
        procedure=version.name,
        stored_at=stored.uploaded_at,
    )


def _once_per_content(files: QuerySet[StoredFile]) -> list[DigitisedDocument]:
    """The newest valid copy of each content, newest first, READ_LIMIT of them; one query."""
    newest_first = [F("uploaded_at").desc(), F("pk").desc()]
    ranked = files.annotate(copy_rank=Window(RowNumber(), partition_by=[F("sha256")], order_by=newest_first))
    return [_entry(stored) for stored in ranked.filter(copy_rank=1).order_by(*newest_first)[:READ_LIMIT]]


def applicant_documents(key: ApplicantKey) -> list[DigitisedDocument]:
    """The digitised documents of the applicant typed at the counter; none unless the name matches."""
    return _once_per_content(_newest(_applicant_files(key)))


def citizen_documents(user: User) -> list[DigitisedDocument]:
    """The digitised documents of the citizen's own dossiers."""
    return _once_per_content(_newest(_citizen_files(user)))


def reusable_files(
    file_ids: Iterable[int], *, applicant: ApplicantKey | None = None, citizen: User | None = None
) -> dict[int, StoredFile]:
    """Those of `file_ids` that the applicant (or, given, the citizen) may reuse, by id; one query."""
    ids = set(file_ids)
    if not ids:
        return {}
    return {f.pk: f for f in _newest(_owned(applicant, citizen).filter(pk__in=ids))}


def citizen_document(user: User, sha256: str) -> StoredFile | None:
    """The citizen's newest valid copy holding `sha256`, to download."""
    return _newest(_citizen_files(user).filter(sha256=sha256)).first()
