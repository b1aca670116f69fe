"""The public signature check, shared by the page and the API: limits, the upload's checks, the report.

Anyone may upload a PDF. Each check costs real work (parsing, cryptography, difference analysis), so
checks are counted per client IP in the look-up's fixed ten-minute windows (dossiers.lookup) and refused
past the limit. The file must be a real PDF (sniffed from its bytes) no larger than MAX_UPLOAD_MB; it is
read in chunks, checked and forgotten, never stored. When its SHA-256 is a result MotCua issued, the
answer says so with the dossier code, the issuing agency and the date, nothing personal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import ValidationFailed
from motcua.dossiers.lookup import LookupLimiter
from motcua.dossiers.uploads import Upload, check_upload, max_upload_bytes, measure
from motcua.signing import longterm, rules, selectors
from motcua.signing.verify import Report, verify_pdf

DEFAULT_CHECKS_PER_IP = 30
TOO_MANY_MESSAGE = gettext_lazy(
    "Too many signature checks from your network; please try again in a few minutes."
)


def limiter_for(request: HttpRequest) -> LookupLimiter:
    """The check budget of the request's client IP in the current window (every check spends one)."""
    limit = int(settings.MOTCUA.get("SIGNATURE_CHECKS_PER_IP", DEFAULT_CHECKS_PER_IP))
    return LookupLimiter.per_ip(request, "signature-check", limit)


@dataclass(frozen=True)
class PublicCheck:
    report: Report
    issued: selectors.IssuedResult | None


def read_pdf(upload: UploadedFile) -> IO[bytes]:
    """Make sure an uploaded file is a PDF within the limit; return it as a stream, to be read in chunks."""
    name = upload.name or "tep.pdf"
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationFailed(
            _("File “%(name)s” is too large; the limit is %(max)s MB.")
            % {"name": name, "max": limit // (1024 * 1024)},
            code="file_too_large",
            fields={"file": name, "size": upload.size, "max": limit},
        )
    wrapped = Upload.from_file(upload, name=name)
    if check_upload(wrapped) != rules.PDF:
        raise ValidationFailed(
            _("File “%(name)s” is not a PDF: only PDF files carry the digital signatures checked here.")
            % {"name": name},
            code="file_not_pdf",
            fields={"file": name},
        )
    measure(wrapped)  # the real size, counted in chunks: the size a client claims is not trusted
    return wrapped.open()


def check_file(content: bytes | IO[bytes]) -> PublicCheck:
    """Verify every signature of `content` and find whether it is a result MotCua issued."""
    report = verify_pdf(
        content, trust_roots=selectors.trust_roots(), now=timezone.now(), options=longterm.configured()
    )
    return PublicCheck(report=report, issued=selectors.issued_result(report.sha256))
