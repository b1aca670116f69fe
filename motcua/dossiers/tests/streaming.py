"""Test helpers for streamed uploads: files that count what is read and refuse being read whole."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler

from motcua.dossiers.uploads import CHUNK_SIZE

# The largest read a streamed upload may make: one chunk (Django's storages and our chunks alike).
LARGEST_READ = max(CHUNK_SIZE, 64 * 1024)


def scan(size: int, seed: int = 1) -> bytes:
    """A PDF-looking file of `size` bytes whose content differs at every position (not a run of zeros)."""
    head = b"%PDF-1.7\n"
    body = hashlib.shake_256(seed.to_bytes(4, "big")).digest(size - len(head))
    return head + body


class CountingStream(io.RawIOBase):
    """A PDF of `size` bytes made up as it is read (nothing held), counting the bytes read.

    `claimed`: the size it says it has (the `size` attribute, like an UploadedFile), None for none.
    """

    def __init__(self, size: int, *, claimed: int | None = None, seekable: bool = True) -> None:
        self.total, self.position, self.read_bytes, self._seekable = size, 0, 0, seekable
        if claimed is not None:
            self.size = claimed
        self.name = "scan.pdf"

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._seekable

    def seek(self, offset: int, whence: int = 0) -> int:
        if not self._seekable:
            raise OSError("not seekable")
        self.position = {0: offset, 1: self.position + offset, 2: self.total + offset}[whence]
        return self.position

    def tell(self) -> int:
        return self.position

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > LARGEST_READ:
            raise AssertionError(f"read({size}): an upload must be read in chunks")
        count = max(0, min(size, self.total - self.position))
        start = self.position
        self.position += count
        self.read_bytes += count
        if start == 0 and count:
            return (b"%PDF-1.7\n" + b"0" * count)[:count]
        return b"0" * count


class GuardedUploadedFile(TemporaryUploadedFile):
    """A spooled upload that fails the test when code reads it whole instead of in chunks."""

    def read(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        if size is None or size < 0 or size > LARGEST_READ:
            raise AssertionError(f"{self.name}: read({size}) would hold the whole upload in memory")
        return self.file.read(size)


class GuardedUploadHandler(TemporaryFileUploadHandler):
    """Django's spooling handler, making GuardedUploadedFile objects."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = GuardedUploadedFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )


def guard_uploads(settings: Any) -> None:
    """Spool every request's files to guarded temporary files (as Django does above 2.5 MB)."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_HANDLERS = [
        "motcua.core.uploadhandlers.SizeLimitUploadHandler",
        "motcua.dossiers.tests.streaming.GuardedUploadHandler",
    ]


def stored_bytes(field_file: Any) -> bytes:
    with field_file.open("rb") as handle:
        return bytes(handle.read())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
