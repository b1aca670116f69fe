"""Check and store uploaded files: size limit, real type sniffed from the bytes, SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile

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
        raise ValidationFailed(f"Tệp “{upload.name}” rỗng.", code="empty_file", fields={"file": upload.name})
    limit = max_upload_bytes()
    if len(upload.content) > limit:
        raise ValidationFailed(
            f"Tệp “{upload.name}” quá lớn ({len(upload.content) // 1024} KB); "
            f"tối đa {limit // (1024 * 1024)} MB.",
            code="file_too_large",
            fields={"file": upload.name, "size": len(upload.content), "max": limit},
        )
    kind = filetype.guess(upload.content[:8192])
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationFailed(
            f"Tệp “{upload.name}” không phải là PDF hoặc ảnh (JPEG, PNG, TIFF, WebP).",
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
