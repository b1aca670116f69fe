"""Check and store uploaded files: size limit, real type sniffed from the first bytes, SHA-256 by chunks.

A file sent by a person is an `Upload.from_file` over its file object (Django spools a request above
FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file): it is read in chunks, never whole, and no more than
one chunk past the size limit is ever read, whatever size the file claims. `Upload(name, content)` keeps
small bytes made in code (demo data, tests, generated PDFs).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.files.base import File
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.core.uploadhandlers import max_file_bytes
from motcua.dossiers.models import Dossier, DossierDocument, StoredFile

# What a scan, a form or a result can be; the name's extension is never trusted.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "image/webp": "WebP",
}
CHUNK_SIZE = 64 * 1024
SNIFF_SIZE = 8192  # filetype looks at no more than the first 8 KB


class Upload:
    """A file someone sent: bytes made in code, or a file object read in chunks (`Upload.from_file`)."""

    __slots__ = ("_content", "_file", "document_position", "name")

    def __init__(
        self,
        name: str,
        content: bytes | None = None,
        document_position: int | None = None,
        *,
        file: IO[bytes] | None = None,
    ) -> None:
        if (content is None) == (file is None):
            raise TypeError("an Upload holds either content or a file")
        self.name = name
        self.document_position = document_position
        self._content = content
        self._file = file

    @classmethod
    def from_file(cls, file: Any, *, name: str = "", document_position: int | None = None) -> Upload:
        """Wrap a binary file object (a Django or django-ninja UploadedFile, a stored file, any stream).

        The caller keeps it open until the upload is stored. A stream that cannot seek is first copied,
        at most one byte past the limit, to a temporary file (on disk past FILE_UPLOAD_MAX_MEMORY_SIZE).
        """
        seekable = getattr(file, "seekable", None)
        if not (callable(seekable) and seekable()):
            file = _spooled(file)
        name = name or str(getattr(file, "name", "") or "tep")
        return cls(name, document_position=document_position, file=file)

    def __repr__(self) -> str:
        form = "file" if self._file is not None else f"{len(self.content)} bytes"
        return f"Upload({self.name!r}, {form}, document_position={self.document_position})"

    @property
    def streamed(self) -> bool:
        return self._file is not None

    @property
    def content(self) -> bytes:
        """The bytes of an upload made in code; a streamed upload has none in memory (use `chunks`)."""
        if self._content is None:
            raise TypeError(f"{self!r} is streamed: read it with chunks() or open()")
        return self._content

    @property
    def claimed_size(self) -> int | None:
        """The size the file object says it has: enough to refuse early, never to accept."""
        if self._content is not None:
            return len(self._content)
        size = getattr(self._file, "size", None)
        return size if isinstance(size, int) else None

    def open(self) -> IO[bytes]:
        """Return the content as a binary stream at its start (the file object itself, rewound)."""
        if self._file is None:
            return io.BytesIO(self.content)
        self._file.seek(0)
        return self._file

    def head(self, size: int = SNIFF_SIZE) -> bytes:
        if self._content is not None:
            return self._content[:size]
        stream, parts, missing = self.open(), [], size
        while missing > 0 and (part := stream.read(missing)):
            parts.append(part)
            missing -= len(part)
        return b"".join(parts)

    def chunks(self, limit: int | None = None) -> Iterator[bytes]:
        """Yield the content from its start; raise file_too_large once more than `limit` bytes were read."""
        if self._content is not None:
            if limit is not None and len(self._content) > limit:
                raise too_large(self, limit, len(self._content))
            yield self._content
            return
        stream, total = self.open(), 0
        while chunk := stream.read(CHUNK_SIZE):
            total += len(chunk)
            if limit is not None and total > limit:
                raise too_large(self, limit)
            yield chunk

    def read_all(self) -> bytes:
        """Return the whole content in memory, within the limit: only for code that needs all of it."""
        if self._content is not None:
            return self._content
        return b"".join(self.chunks(max_upload_bytes()))


def _spooled(stream: Any) -> IO[bytes]:
    copy = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    budget = max_upload_bytes() + 1  # one byte more is enough to refuse a file that is too big
    while budget > 0 and (chunk := stream.read(min(CHUNK_SIZE, budget))):
        copy.write(chunk)
        budget -= len(chunk)
    copy.seek(0)
    return copy


def max_upload_bytes() -> int:
    """The per-file limit in bytes (MOTCUA_MAX_UPLOAD_MB); the upload handler keeps one byte more."""
    return max_file_bytes()


def too_large(upload: Upload, limit: int, size: int | None = None) -> ValidationFailed:
    """The file is over the limit: with its size when known, else found while reading it."""
    mb = limit // (1024 * 1024)
    if size is None:
        return ValidationFailed(
            _("File “%(name)s” is larger than the limit of %(max)s MB.") % {"name": upload.name, "max": mb},
            code="file_too_large",
            fields={"file": upload.name, "max": limit},
        )
    return ValidationFailed(
        _("File “%(name)s” is too large (%(size)s KB); the limit is %(max)s MB.")
        % {"name": upload.name, "size": size // 1024, "max": mb},
        code="file_too_large",
        fields={"file": upload.name, "size": size, "max": limit},
    )


def check_upload(upload: Upload) -> str:
    """Return the type sniffed from the first bytes, or raise naming the file and what is wrong.

    A size claimed over the limit is refused without reading; the real size is enforced as the file is
    read in `store_upload` (or by whoever reads it through `Upload.chunks`).
    """
    limit = max_upload_bytes()
    claimed = upload.claimed_size
    if claimed is not None and claimed > limit:
        raise too_large(upload, limit, claimed)
    head = upload.head()
    if not head:
        raise ValidationFailed(
            _("File “%(name)s” is empty.") % {"name": upload.name},
            code="empty_file",
            fields={"file": upload.name},
        )
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationFailed(
            _("File “%(name)s” is not a PDF or an image (JPEG, PNG, TIFF, WebP).") % {"name": upload.name},
            code="file_type_not_allowed",
            fields={"file": upload.name, "detected": kind.mime if kind else None},
        )
    return str(kind.mime)


@dataclass(frozen=True)
class Measured:
    size: int
    sha256: str


def measure(upload: Upload, limit: int | None = None) -> Measured:
    """Count and hash the content chunk by chunk, refusing it past `limit` (the upload limit by default)."""
    digest, size = hashlib.sha256(), 0
    for chunk in upload.chunks(max_upload_bytes() if limit is None else limit):
        digest.update(chunk)
        size += len(chunk)
    return Measured(size=size, sha256=digest.hexdigest())


class StreamedFile(File):
    """An upload as Django's File for a storage: its chunks come through `Upload.chunks`, limit enforced."""

    def __init__(self, upload: Upload, limit: int | None = None) -> None:
        super().__init__(upload.open(), name=upload.name)
        self.upload = upload
        self.limit = max_upload_bytes() if limit is None else limit

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield from self.upload.chunks(self.limit)


def store_upload(
    *,
    dossier: Dossier,
    upload: Upload,
    kind: str,
    actor: User | None,
    document: DossierDocument | None = None,
) -> StoredFile:
    """Store the file under its SHA-256, read twice in chunks: once to name it, once to write it.

    The file is written before its row commits: if the dossier's transaction rolls back, the file is an
    orphan that `sweep_orphan_files` deletes later.
    """
    content_type = check_upload(upload)
    measured = measure(upload)
    stored = StoredFile(
        dossier=dossier,
        document=document,
        kind=kind,
        original_name=upload.name[:255],
        content_type=content_type,
        size=measured.size,
        sha256=measured.sha256,
        uploaded_by=actor,
    )
    stored.file.save(measured.sha256, StreamedFile(upload), save=False)
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
