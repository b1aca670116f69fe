"""Online filing: the wizard's state in the session, draft uploads, and the one submit that files it.

Draft files wait in storage (DraftFile rows, not the session) and are read back in chunks when filed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.models import User
from motcua.dossiers.applicant_documents import DigitisedDocument, citizen_document, citizen_documents
from motcua.dossiers.services import ApplicantIn, IntakeIn, Reused, submit_online
from motcua.dossiers.services.reuse import unavailable
from motcua.dossiers.uploads import Upload, check_upload, measure
from motcua.org.models import ServicePoint
from motcua.portal.models import DraftFile, FilingSubmission

MAX_FILES_PER_DOCUMENT = 10
STEPS = (1, 2, 3, 4, 5)


@dataclass
class FilingState:
    """What the citizen has chosen so far; plain values, kept in the session between steps."""

    point: str = ""
    applicant: dict[str, str] = field(default_factory=dict)
    delivery: str = ""
    delivery_address: str = ""
    nonce: str = ""
    # Digitised documents chosen instead of an upload: [position, sha256] (no database id in the session).
    reused: list[list[Any]] = field(default_factory=list)

    def first_missing_step(self, has_files: bool) -> int | None:
        """Return the earliest step not done yet, or None when the dossier can be reviewed."""
        has_documents = has_files or bool(self.reused)
        done = {1: bool(self.point), 2: bool(self.applicant), 3: has_documents, 4: bool(self.delivery)}
        return next((step for step, ok in done.items() if not ok), None)


def _key(code: str) -> str:
    return f"portal:filing:{code}"


def load_state(session: SessionBase, code: str) -> FilingState:
    raw: dict[str, Any] = session.get(_key(code)) or {}
    known = {k: v for k, v in raw.items() if k in FilingState.__dataclass_fields__}
    return FilingState(**known)


def save_state(session: SessionBase, code: str, state: FilingState) -> None:
    session[_key(code)] = asdict(state)


def clear_state(session: SessionBase, code: str) -> None:
    session.pop(_key(code), None)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def draft_files(user: User, code: str) -> list[DraftFile]:
    return list(
        DraftFile.objects.filter(user=user, procedure_code=code).order_by("position", "created_at", "id")
    )


def add_draft_files(*, user: User, code: str, position: int, files: list[UploadedFile]) -> list[DraftFile]:
    """Check and keep the files for one listed document; nothing is kept if one of them is refused."""
    already = DraftFile.objects.filter(user=user, procedure_code=code, position=position).count()
    if already + len(files) > MAX_FILES_PER_DOCUMENT:
        raise ValidationFailed(
            _("At most %(count)s files per document.") % {"count": MAX_FILES_PER_DOCUMENT},
            code="too_many_files",
            fields={"position": position},
        )
    checked = []
    for upload in files:
        # Sniffed from the first bytes, then counted in chunks: refused one chunk past the limit at most.
        wrapped = Upload.from_file(upload, name=upload.name or "tep", document_position=position)
        check_upload(wrapped)
        checked.append((upload, measure(wrapped).size))
    created = []
    with transaction.atomic():
        for upload, size in checked:
            draft = DraftFile(
                user=user,
                token=secrets.token_hex(16),
                procedure_code=code,
                position=position,
                name=(upload.name or "tep")[:255],
                size=size,
            )
            upload.seek(0)
            # Django's storage copies it in chunks, or moves the temporary file a large upload was spooled to.
            draft.file.save(draft.token, upload, save=False)
            draft.save()
            created.append(draft)
    return created


def reuse_document(*, citizen: User, state: FilingState, position: int, sha256: str) -> None:
    """Choose one of the citizen's digitised documents for a listed document, instead of an upload."""
    if citizen_document(citizen, sha256) is None:
        raise NotFound(_("This digitised document is not among yours."), code="document_not_found")
    if [position, sha256] not in state.reused:
        state.reused.append([position, sha256])


def drop_reused(state: FilingState, position: int, sha256: str) -> None:
    state.reused = [pair for pair in state.reused if pair != [position, sha256]]


def chosen_documents(
    state: FilingState, documents: list[DigitisedDocument]
) -> dict[int, list[DigitisedDocument]]:
    """The digitised documents chosen, by listed document; those no longer the citizen's are left out."""
    by_sha = {d.sha256: d for d in documents}
    chosen: dict[int, list[DigitisedDocument]] = {}
    for position, sha256 in state.reused:
        if sha256 in by_sha:
            chosen.setdefault(position, []).append(by_sha[sha256])
    return chosen


def _reused(citizen: User, state: FilingState, names: dict[int, str]) -> list[Reused]:
    by_sha = {d.sha256: d.file_id for d in citizen_documents(citizen)} if state.reused else {}
    reused = []
    for position, sha256 in state.reused:
        if sha256 not in by_sha:
            raise unavailable(names.get(position, str(position)), position=position)
        reused.append(Reused(position=position, file_id=by_sha[sha256]))
    return reused


def remove_draft_file(*, user: User, code: str, token: str) -> None:
    draft = DraftFile.objects.filter(user=user, procedure_code=code, token=token).first()
    if draft is not None:
        draft.file.delete(save=False)
        draft.delete()


def discard_drafts(user: User, code: str) -> None:
    for draft in DraftFile.objects.filter(user=user, procedure_code=code):
        draft.file.delete(save=False)
        draft.delete()


def _opened(stack: ExitStack, drafts: list[DraftFile]) -> list[Upload]:
    """Open the draft files as uploads read in chunks; `stack` closes them."""
    return [
        Upload.from_file(stack.enter_context(d.file.open("rb")), name=d.name, document_position=d.position)
        for d in drafts
    ]


def _intake(
    code: str, state: FilingState, drafts: list[DraftFile], uploads: list[Upload], reused: list[Reused]
) -> IntakeIn:
    a = state.applicant
    return IntakeIn(
        procedure_code=code,
        applicant=ApplicantIn(
            name=a.get("name", ""),
            id_number=a.get("id_number", ""),
            date_of_birth=dt.date.fromisoformat(a["date_of_birth"]) if a.get("date_of_birth") else None,
            address=a.get("address", ""),
            phone=a.get("phone", ""),
            email=a.get("email", ""),
        ),
        provided=sorted({d.position for d in drafts}),
        uploads=uploads,
        delivery=state.delivery,
        delivery_address=state.delivery_address,
        reused=reused,
    )


def submitted_code(user: User, nonce: str) -> str | None:
    """Return the dossier code a nonce already filed for this citizen, if any."""
    return (
        FilingSubmission.objects.filter(nonce=nonce, user=user).values_list("dossier_code", flat=True).first()
    )


def file_online(
    *,
    citizen: User,
    code: str,
    state: FilingState,
    point: ServicePoint,
    nonce: str,
    names: dict[int, str] | None = None,
) -> str:
    """File the wizard's dossier once per nonce and return its code; a repeat returns the first code."""
    done = submitted_code(citizen, nonce)
    if done:
        return done
    try:
        with transaction.atomic(), ExitStack() as stack:
            # The unique nonce row comes first: a concurrent second submit waits here, then fails,
            # before it reads draft files that the first one is about to delete.
            submission = FilingSubmission.objects.create(nonce=nonce, user=citizen, dossier_code="")
            drafts = draft_files(citizen, code)
            data = _intake(code, state, drafts, _opened(stack, drafts), _reused(citizen, state, names or {}))
            dossier = submit_online(data=data, point=point, citizen=citizen)
            submission.dossier_code = dossier.code
            submission.save(update_fields=["dossier_code"])
    except IntegrityError:
        done = submitted_code(citizen, nonce)
        if done:
            return done
        raise
    discard_drafts(citizen, code)
    return dossier.code


def discard_stale_drafts(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete draft files of wizards left unfinished; safe to run twice at once."""
    cutoff = (now or timezone.now()) - older_than
    stale = list(DraftFile.objects.filter(created_at__lt=cutoff))
    for draft in stale:
        draft.file.delete(save=False)
        draft.delete()
    return len(stale)
