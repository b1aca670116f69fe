"""Sign PDFs (PAdES, pyHanko) with a visible stamp in Vietnamese; make a PDF of a scan.

Baseline B; B-T (a signature timestamp), B-LT (validation info embedded) and B-LTA (then a document
timestamp) when configured (longterm.py).

Pure functions of bytes or streams: no database; a key held in a PKCS#11 token signs there (tokens.py).
The stamp is drawn by fpdf2 with the forms' font (Source Serif Pro covers Vietnamese) and placed as the
signature's appearance: pyHanko's own text stamps would need HarfBuzz for a TrueType font. Pages turned
by /Rotate, or too small for the stamp, get an invisible signature, which is just as valid.
"""

from __future__ import annotations

import binascii
import io
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import IO, Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from fpdf import FPDF
from PIL import Image, ImageSequence
from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.core.errors import DomainError, ValidationFailed
from motcua.dossiers.pdf.document import font_path
from motcua.signing import longterm, tokens
from motcua.signing.certificates import asn1_certificate, facts
from motcua.signing.coroutines import finish
from motcua.signing.tokens import SigningCredential, TokenCredential

STAMP_WIDTH, STAMP_HEIGHT, STAMP_MARGIN, STAMP_GAP = 210, 62, 28, 8  # points
STAMP_COLOUR = (180, 20, 20)
FIELD_PREFIX = "MotCuaSignature"
ARCHIVE_FIELD_PREFIX = "MotCuaArchive"


@contextmanager
def _signer(credential: SigningCredential) -> Iterator[signers.Signer]:
    """pyHanko's signer: the key in memory, or in its token (tokens.py) for the duration of the block."""
    if isinstance(credential, TokenCredential):
        with tokens.signer(credential) as held:
            yield held
        return
    key_info = asn1_keys.PrivateKeyInfo.load(
        credential.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    yield signers.SimpleSigner(
        signing_cert=asn1_certificate(credential.certificate),
        signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs([asn1_certificate(c) for c in credential.chain]),
    )


def stamp_pdf(lines: Sequence[str]) -> bytes:
    """Draw the stamp: a framed box with `lines` (already in Vietnamese) in the forms' font."""
    stamp = FPDF(unit="pt", format=(STAMP_WIDTH, STAMP_HEIGHT))
    stamp.set_auto_page_break(False)
    stamp.set_margin(0)
    stamp.add_page()
    stamp.add_font("serif", "", font_path(""))
    stamp.set_draw_color(*STAMP_COLOUR)
    stamp.set_text_color(*STAMP_COLOUR)
    stamp.set_line_width(1)
    stamp.rect(1, 1, STAMP_WIDTH - 2, STAMP_HEIGHT - 2)
    stamp.set_font("serif", size=7.5)
    stamp.set_xy(6, 5)
    text = "\n".join(unicodedata.normalize("NFC", line) for line in lines)
    stamp.multi_cell(STAMP_WIDTH - 12, 9.5, text=text, max_line_height=9.5)
    return bytes(stamp.output())


class _ImportedStamp(content.PdfContent):
    """The first page of a PDF held in memory, as a form XObject (ImportedPdfPage wants a file name)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/Stamp" + binascii.hexlify(uuid.uuid4().bytes).decode()
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode() + b" Do"


def _inherited(page: generic.DictionaryObject, key: str) -> Any:
    node: Any = page
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    return None


def _stamp_box(reader: PdfFileReader, taken: int) -> tuple[int, int, int, int] | None:
    """Where the next stamp goes on the last page: bottom right, left of the stamps already there."""
    page_ref, _resources = reader.find_page_for_modification(-1)
    page = page_ref.get_object()
    if int(_inherited(page, "/Rotate") or 0) % 360:
        return None
    box = _inherited(page, "/CropBox") or _inherited(page, "/MediaBox")
    if box is None:
        return None
    left, bottom, right, top = (float(v) for v in box)
    per_row = int((right - left - 2 * STAMP_MARGIN + STAMP_GAP) // (STAMP_WIDTH + STAMP_GAP))
    if per_row < 1 or top - bottom < STAMP_HEIGHT + 2 * STAMP_MARGIN:
        return None
    row, column = divmod(taken, per_row)
    x2 = right - STAMP_MARGIN - column * (STAMP_WIDTH + STAMP_GAP)
    y1 = bottom + STAMP_MARGIN + row * (STAMP_HEIGHT + STAMP_GAP)
    if y1 + STAMP_HEIGHT > top - STAMP_MARGIN:
        return None
    return int(x2 - STAMP_WIDTH), int(y1), int(x2), int(y1 + STAMP_HEIGHT)


def archive_field_name() -> str:
    """A new document timestamp's field: unique, since a file gets one at each renewal."""
    return f"{ARCHIVE_FIELD_PREFIX}-{uuid.uuid4().hex[:12]}"


def _signatures_shown(reader: PdfFileReader) -> int:
    """How many stamps the page may already carry: document timestamps are invisible."""
    return sum(
        1
        for _name, value, _ref in fields.enumerate_sig_fields(reader)
        if value is None or value.get_object().get("/Type") != "/DocTimeStamp"
    )


def unreadable(exc: BaseException | None = None) -> ValidationFailed:
    return ValidationFailed(
        _("The PDF cannot be read to sign it: it is damaged, encrypted or not a PDF."),
        code="pdf_unreadable",
        fields={"file": str(exc)[:200] if exc else "unreadable"},
    )


@dataclass(frozen=True)
class LongTerm:
    """What a long-term signature needs: the options (TSA, revocation) and the roots to validate against."""

    options: longterm.Options = longterm.OFF
    trust_roots: Sequence[asn1_x509.Certificate] = ()


def sign_pdf(
    data: bytes,
    *,
    credential: SigningCredential,
    reason: str,
    location: str,
    stamp: Sequence[str] = (),
    long_term: LongTerm | None = None,
) -> bytes:
    """Return `data` with one more signature, added as an incremental update (earlier ones stay valid).

    `stamp`: the lines of the visible stamp; empty for an invisible signature. `long_term`: a signature
    timestamp from the TSA (B-T), the validation info embedded (B-LT) and a document timestamp after it
    (B-LTA), as its options say.
    """
    output = io.BytesIO()
    sign_pdf_stream(
        io.BytesIO(data),
        output,
        credential=credential,
        reason=reason,
        location=location,
        stamp=stamp,
        long_term=long_term,
    )
    return output.getvalue()


def sign_pdf_stream(
    source: IO[bytes],
    output: IO[bytes],
    *,
    credential: SigningCredential,
    reason: str,
    location: str,
    stamp: Sequence[str] = (),
    long_term: LongTerm | None = None,
) -> None:
    """Write `source` with one more signature to `output` (readable, writable, seekable), as `sign_pdf`.

    pyHanko reads the source where it needs to and copies it to the output in chunks: a large scan is
    never held whole in memory when both are files.
    """
    try:
        writer = IncrementalPdfFileWriter(source, strict=False)
        if writer.prev.encrypted:
            raise unreadable()
        existing = [name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)]
        box = _stamp_box(writer.prev, _signatures_shown(writer.prev)) if stamp else None
    except (ValidationFailed, RuntimeError):  # ours, or a fault of the program, not of the file
        raise
    except Exception as exc:  # pyHanko raises many kinds of errors on a damaged file: one answer for all
        raise unreadable(exc) from None
    number = len(existing) + 1
    while f"{FIELD_PREFIX}{number}" in existing:
        number += 1
    name = f"{FIELD_PREFIX}{number}"
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    style = StaticStampStyle(background=_ImportedStamp(stamp_pdf(stamp)), border_width=0) if box else None
    spec = fields.SigFieldSpec(name, on_page=-1, box=box)
    try:
        with _signer(credential) as signer:
            finish(_sign(writer, output, meta, signer, style, spec, long_term or LongTerm()))
    except (RuntimeError, DomainError):  # a fault of the program, or a token's refusal (already worded)
        raise
    except Exception as exc:  # as above: a file pyHanko opened may still fail while it writes
        refused = longterm.refusal(exc, signer=facts(credential.certificate).common_name)
        if refused is not None:
            raise refused from None
        raise unreadable(exc) from None


async def _sign(
    writer: IncrementalPdfFileWriter,
    output: IO[bytes],
    meta: signers.PdfSignatureMetadata,
    signer: signers.Signer,
    style: StaticStampStyle | None,
    spec: fields.SigFieldSpec,
    long_term: LongTerm,
) -> None:
    options = long_term.options
    if not options.uses_network:
        await signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=spec).async_sign_pdf(
            writer, output=output
        )
        return
    async with longterm.session() as opened:
        if options.checks_revocation:
            # B-LT: pyHanko validates the signer's (and the TSA's) certificate first, fetching its CRLs
            # and OCSP answers, refuses a revoked one, and embeds what it fetched in the file's DSS.
            # B-LTA: then a document timestamp seals that validation info, so it can be renewed
            # (archive.py) before the TSA's own certificate expires.
            context = longterm.validation_context(
                options,
                opened,
                trust_roots=long_term.trust_roots,
                other_certs=signer.cert_registry,
                strict=True,
            )
            meta = replace(
                meta,
                embed_validation_info=True,
                validation_context=context,
                use_pades_lta=options.archives,
                timestamp_field_name=archive_field_name() if options.archives else None,
            )
        await signers.PdfSigner(
            meta,
            signer,
            timestamper=longterm.timestamper(options, opened),
            stamp_style=style,
            new_field_spec=spec,
        ).async_sign_pdf(writer, output=output)


def image_to_pdf(data: bytes | IO[bytes]) -> bytes:
    """Put a scanned image (every page of a TIFF) on A4 pages, to be signed like any PDF scan.

    Pillow reads the image from a stream, but decodes it whole, and fpdf2 builds the PDF in memory:
    a scan's pages are needed at once to lay them out, so this one stays in memory.
    """
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_creator("MotCua")
    try:
        with Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as image:
            for frame in ImageSequence.Iterator(image):
                page = frame.convert("RGB")
                pdf.add_page()
                scale = min(pdf.w / page.width, pdf.h / page.height)
                width, height = page.width * scale, page.height * scale
                pdf.image(page, x=(pdf.w - width) / 2, y=(pdf.h - height) / 2, w=width, h=height)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationFailed(
            _("The scanned image cannot be read."), code="image_unreadable", fields={"file": str(exc)[:200]}
        ) from None
    return bytes(pdf.output())
