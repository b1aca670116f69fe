"""Peak memory of storing a 20 MB upload: read in chunks (ours) against read whole (the old way)."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from motcua.dossiers.uploads import StreamedFile, Upload, check_upload, measure

SIZE = 20 * 1024 * 1024


def _whole(path: Path, storage: FileSystemStorage) -> None:
    with path.open("rb") as handle:
        content = handle.read()
    check_upload(Upload("scan.pdf", content))
    storage.save(hashlib.sha256(content).hexdigest(), ContentFile(content))


def _streamed(path: Path, storage: FileSystemStorage) -> None:
    with path.open("rb") as handle:
        upload = Upload.from_file(handle, name="scan.pdf")
        check_upload(upload)
        storage.save(measure(upload).sha256 + "-s", StreamedFile(upload))


def _peak(store: Callable[[Path, FileSystemStorage], None], path: Path, folder: str) -> tuple[float, float]:
    storage = FileSystemStorage(location=folder)
    tracemalloc.start()
    started = time.perf_counter()
    store(path, storage)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / (1024 * 1024), elapsed * 1000


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-uploads-") as folder:
        path = Path(folder) / "upload.pdf"
        path.write_bytes(b"%PDF-1.7\n" + os.urandom(SIZE - 9))
        whole_mb, whole_ms = _peak(_whole, path, folder)
        streamed_mb, streamed_ms = _peak(_streamed, path, folder)
    return [
        {
            "name": "store a 20 MB upload: peak MB streamed / read whole",
            "streamed_peak_mb": streamed_mb,
            "whole_peak_mb": whole_mb,
            "streamed_ms": streamed_ms,
            "whole_ms": whole_ms,
            "ratio": whole_mb / streamed_mb,
        }
    ]
