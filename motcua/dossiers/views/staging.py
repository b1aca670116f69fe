"""Scans uploaded at the counter before the dossier exists, kept so a form error never loses them.

Files wait in storage under `staging/<token>`; the session lists them per intake form (its nonce), by
name, size and type only. They are copied into storage and read back in chunks, never whole, and become
the dossier's files when the officer decides; they are deleted then or after a day.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.dossiers.uploads import StreamedFile, Upload, check_upload, measure

SESSION_KEY = "motcua_staged"
FOLDER = "staging"
MAX_FILES = 30
KEEP_FOR = dt.timedelta(days=1)


@dataclass(frozen=True)
class StagedFile:
    token: str
    name: str
    size: int
    content_type: str
    position: int | None

    @property
    def size_label(self) -> str:
        return f"{self.size / 1024:.0f} KB" if self.size < 1024 * 1024 else f"{self.size / 1048576:.1f} MB"

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


def valid_nonce(value: str) -> bool:
    return 16 <= len(value) <= 64 and all(c in "0123456789abcdef" for c in value)


def new_nonce() -> str:
    return secrets.token_hex(16)


def _all(request: HttpRequest) -> dict[str, list[dict[str, Any]]]:
    return request.session.setdefault(SESSION_KEY, {})


def staged(request: HttpRequest, nonce: str) -> list[StagedFile]:
    return [StagedFile(**row) for row in _all(request).get(nonce, [])]


def stage(request: HttpRequest, nonce: str, files: Iterable[UploadedFile]) -> list[str]:
    """Check each file as the service will and keep the good ones; return one message per bad file."""
    errors = []
    rows = _all(request).setdefault(nonce, [])
    for uploaded in files:
        name = (uploaded.name or "tep")[:255]
        if len(rows) >= MAX_FILES:
            errors.append(
                _("At most %(max)s files per dossier: “%(name)s” was not added.")
                % {"max": MAX_FILES, "name": name}
            )
            continue
        upload = Upload.from_file(uploaded, name=name)
        try:
            content_type = check_upload(upload)
            size = measure(upload).size  # the real size, read in chunks, refused past the limit
        except ValidationFailed as exc:
            errors.append(exc.message)
            continue
        token = secrets.token_hex(12)
        default_storage.save(f"{FOLDER}/{token}", StreamedFile(upload))
        rows.append(
            {"token": token, "name": name, "size": size, "content_type": content_type, "position": None}
        )
    request.session.modified = True
    _sweep()
    return errors


def set_positions(request: HttpRequest, nonce: str, data: QueryDict) -> None:
    """Remember which listed document each file belongs to (`doc_<token>` fields)."""
    for row in _all(request).get(nonce, []):
        value = data.get(f"doc_{row['token']}")
        if value is not None:
            row["position"] = int(value) if value.lstrip("-").isdigit() else None
    request.session.modified = True


def remove(request: HttpRequest, nonce: str, token: str) -> None:
    rows = _all(request).get(nonce, [])
    keep = [row for row in rows if row["token"] != token]
    if len(keep) != len(rows):
        default_storage.delete(f"{FOLDER}/{token}")
        _all(request)[nonce] = keep
        request.session.modified = True


@contextmanager
def opened_uploads(request: HttpRequest, nonce: str) -> Iterator[list[Upload]]:
    """Open the staged files as uploads read in chunks; they are closed when the block ends."""
    with ExitStack() as stack:
        uploads = []
        for row in staged(request, nonce):
            try:
                handle = stack.enter_context(default_storage.open(f"{FOLDER}/{row.token}", "rb"))
            except FileNotFoundError:
                raise ValidationFailed(
                    _("The file “%(name)s” was kept too long; remove it and upload it again.")
                    % {"name": row.name},
                    code="staged_file_expired",
                ) from None
            uploads.append(Upload.from_file(handle, name=row.name, document_position=row.position))
        yield uploads


def clear(request: HttpRequest, nonce: str) -> None:
    for row in _all(request).pop(nonce, []):
        default_storage.delete(f"{FOLDER}/{row['token']}")
    request.session.modified = True


def _sweep() -> None:
    """Delete files abandoned in forms never sent (a closed tab), after a day."""
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    limit = timezone.now() - KEEP_FOR
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue
