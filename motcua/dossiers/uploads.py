"""Check and store uploaded files: size limit, real type sniffed from the bytes, SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.dossiers.models import Dossier, DossierDocument, StoredFile

# What a scan, a form or a result can be; the name's extension is never trusted.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "image/webp": "WebP",
}


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    document_position: int | None = None


def max_upload_bytes() -> int:
    options: dict[str, Any] = settings.MOTCUA
    return int(options["MAX_UPLOAD_MB"]) * 1024 * 1024


def check_upload(upload: Upload) -> str:
    """Return the sniffed content type, or raise naming the file and what is wrong."""
    if not upload.content:
        raise ValidationFailed(
            _("File “%(name)s” is empty.") % {"name": upload.name},
            code="empty_file",
            fields={"file": upload.name},
        )
    limit = max_upload_bytes()
    if len(upload.content) > limit:
        raise ValidationFailed(
            _("File “%(name)s” is too large (%(size)s KB); the limit is %(max)s MB.")
            % {"name": upload.name, "size": len(upload.content) // 1024, "max": limit // (1024 * 1024)},
            code="file_too_large",
            fields={"file": upload.name, "size": len(upload.content), "max": limit},
        )
    kind = filetype.guess(upload.content[:8192])
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationFailed(
            _("File “%(name)s” is not a PDF or an image (JPEG, PNG, TIFF, WebP).") % {"name": upload.name},
            code="file_type_not_allowed",
            fields={"file": upload.name, "detected": kind.mime if kind else None},
        )
    return str(kind.mime)


def store_upload(
    *,
    dossier: Dossier,
    upload: Upload,
    kind: str,
    actor: User | None,
    document: DossierDocument | None = None,
) -> StoredFile:
    content_type = check_upload(upload)
    digest = hashlib.sha256(upload.content).hexdigest()
    stored = StoredFile(
        dossier=dossier,
        document=document,
        kind=kind,
        original_name=upload.name[:255],
        content_type=content_type,
        size=len(upload.content),
        sha256=digest,
        uploaded_by=actor,
    )
    stored.file.save(digest, ContentFile(upload.content), save=False)
    stored.save()
    return stored


@dataclass(frozen=True)
class Sweep:
    kept: int
    removed: list[str]


def sweep_orphan_files(
    *,
    older_than: dt.timedelta,
    dry_run: bool = False,
    stores: Sequence[tuple[str, type[Model]]] | None = None,
) -> Sweep:
    """Delete stored files no row points at (left by a rolled-back intake), once older than `older_than`.

    `stores`: (folder, model with a `file` field) pairs; the dossiers' files by default. A file is written
    before its row commits, so a young file without a row may be an intake still in flight: only files
    older than `older_than` are candidates, and the rows are read after the listing, so a row committed
    meanwhile keeps its file.
    """
    kept, removed = 0, []
    for folder, model in stores or [("dossiers", StoredFile)]:
        storage = model._meta.get_field("file").storage  # type: ignore[union-attr]
        cutoff = timezone.now() - older_than
        candidates = [p for p in _stored_paths(storage, folder) if storage.get_modified_time(p) < cutoff]
        referenced = set(model._default_manager.filter(file__in=candidates).values_list("file", flat=True))
        orphans = [path for path in candidates if path not in referenced]
        if not dry_run:
            for path in orphans:
                storage.delete(path)
        kept += len(candidates) - len(orphans)
        removed += orphans
    return Sweep(kept=kept, removed=removed)


def _stored_paths(storage: Any, folder: str) -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [f"{folder}/{name}" for name in files]
    for sub in folders:
        found += _stored_paths(storage, f"{folder}/{sub}")
    return found
