"""Keep no more of an uploaded file than is needed to refuse it: the size limit plus one byte.

Django's own handlers follow this one (settings.FILE_UPLOAD_HANDLERS): a request up to
FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) is kept in memory, a larger one is spooled to a temporary file in
chunks of 64 KB. Without this handler a 5 GB file would still be written whole to the temporary folder.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler


def max_file_bytes() -> int:
    return int(settings.MOTCUA["MAX_UPLOAD_MB"]) * 1024 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    """Pass on each file's first `limit + 1` bytes and drop the rest, so the file is refused as too large.

    The file is not skipped: a file left out would vanish without a word, while a file one byte over the
    limit reaches the page or the API, which names it in its "too large" answer.
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.keep = max_file_bytes() + 1

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start >= self.keep:
            return None
        return raw_data[: self.keep - start]

    def file_complete(self, file_size: int) -> None:
        return None
