"""Reusing the applicant's digitised documents: checked at intake or in answer to a request, never copied.

Decree 45/2020 art. 16–17, Decree 118/2025: what the administration holds as a valid electronic copy is
not asked for again. A reused document becomes a new stored file of the new dossier pointing at the same
stored content (content-addressed by SHA-256: no bytes are copied) and at the file it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.dossiers.applicant_documents import (
    ApplicantKey,
    DigitisedDocument,
    applicant_documents,
    citizen_documents,
    reusable_files,
)
from motcua.dossiers.models import (
    Dossier,
    DossierDocument,
    FileKind,
    RequestStage,
    StoredFile,
    SupplementRequest,
)


@dataclass(frozen=True)
class ReusedSource:
    """A listed document of the new dossier (by position and name) and the file that stands for it."""

    position: int
    document: str
    source: StoredFile


def unavailable(document: str, **fields: Any) -> ValidationFailed:
    """The same answer for a file that does not exist, another applicant's, or one not validly signed."""
    return ValidationFailed(
        _(
            "The digitised document chosen for “%(document)s” is not one of this applicant's digitised "
            "documents. Scan the paper instead, or choose another."
        )
        % {"document": document},
        code="reused_file_not_available",
        fields={"reused": {"document": document, **fields}},
    )


def check_reused(
    reused: Iterable[tuple[int, int]],
    names: dict[int, str],
    *,
    applicant: ApplicantKey,
    citizen: User | None,
) -> list[ReusedSource]:
    """Resolve each (position, file id) among what this applicant may reuse, or raise naming the item.

    `names`: the procedure's listed documents by position (positions were checked against it). Online,
    the citizen's own dossiers are hers to reuse; at the counter, the applicant's by ID number and name.
    """
    pairs = list(dict.fromkeys((position, file_id) for position, file_id in reused))
    found = reusable_files(
        (file_id for _position, file_id in pairs),
        applicant=applicant if citizen is None else None,
        citizen=citizen,
    )
    sources = []
    for position, file_id in pairs:
        stored = found.get(file_id)
        if stored is None:
            raise unavailable(names[position], position=position, file_id=file_id)
        sources.append(ReusedSource(position=position, document=names[position], source=stored))
    return sources


def applicant_of(dossier: Dossier) -> ApplicantKey:
    """The applicant as this dossier was filed: her ID number and the full name she gave then."""
    applicant = dossier.applicant
    name = str(dossier.applicant_snapshot.get("name") or applicant.name)
    return ApplicantKey(kind=applicant.kind, id_number=applicant.id_number, name=name)


def check_answer_reused(
    dossier: Dossier, request: SupplementRequest, reused: Iterable[tuple[int, int]], *, actor: User
) -> list[ReusedSource]:
    """Resolve the digitised documents pointed at in answer to `request`, or raise before anything is written.

    Only for what the request may be answered with: the items it listed, and, before acceptance (the
    dossier is received once every listed document is there), any document the procedure lists. Whose
    documents: the citizen's own dossiers when she answers herself; otherwise, as at the counter, those
    filed under this dossier's ID number and name.
    """
    pairs = list(reused)
    if not pairs:
        return []
    listed = {d.position: d.name for d in dossier.documents.all()}
    allowed = {int(item["position"]) for item in request.items}
    if request.stage == RequestStage.INTAKE:
        allowed |= set(listed)
    outside = sorted({position for position, _file in pairs if position not in allowed & set(listed)})
    if outside:
        raise ValidationFailed(
            _("A digitised document may be chosen only for a document that was requested: %(documents)s.")
            % {"documents": "; ".join(listed.get(p, str(p)) for p in outside)},
            code="document_not_requested",
            fields={"reused": {"positions": outside}},
        )
    return check_reused(pairs, listed, applicant=applicant_of(dossier), citizen=owner_of(dossier))


def owner_of(dossier: Dossier) -> User | None:
    """The account whose documents answer for an online dossier, whoever acts (its ID number was only
    typed); None for a dossier filed in person or by post: the applicant's, by ID number and name."""
    return dossier.citizen if dossier.citizen_id is not None else None


def documents_for(dossier: Dossier) -> list[DigitisedDocument]:
    """The digitised documents that may answer `dossier`'s requests, by `check_answer_reused`'s rule."""
    account = owner_of(dossier)
    return citizen_documents(account) if account is not None else applicant_documents(applicant_of(dossier))


def attach_reused(
    dossier: Dossier,
    sources: Sequence[ReusedSource],
    documents: Sequence[DossierDocument],
    actor: User | None,
) -> list[StoredFile]:
    """Add the reused files to the written checklist rows, each a new row over the same stored content."""
    if not sources:
        return []
    by_position = {d.position: d for d in documents}
    return StoredFile.objects.bulk_create(
        [
            StoredFile(
                dossier=dossier,
                document=by_position.get(s.position),
                kind=FileKind.REUSED,
                file=s.source.file.name,
                original_name=s.source.original_name,
                content_type=s.source.content_type,
                size=s.source.size,
                sha256=s.source.sha256,
                uploaded_by=actor,
                # The original, never a copy of it: a copy is valid only while its original is.
                reused_from_id=s.source.reused_from_id if s.source.kind == FileKind.REUSED else s.source.pk,
            )
            for s in sources
        ]
    )


def reused_event_data(sources: Sequence[ReusedSource]) -> dict[str, Any]:
    """What the event of an intake or an answer records of the reused: which item, file, earlier dossier."""
    if not sources:
        return {}
    return {
        "reused": [
            {
                "position": s.position,
                "document": s.document,
                "file": s.source.original_name,
                "dossier": s.source.dossier.code,
            }
            for s in sources
        ]
    }
