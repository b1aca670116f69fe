"""Archive timestamps (PAdES B-LTA): check a file's document timestamps, and add a new one to renew them.

A document timestamp (ISO 32000-2 §12.8.5) seals the file as it is, with the validation info its DSS
carries. It is trusted only while its TSA's certificate is valid, so before that certificate expires a
new one is added, over the validation info of the previous one (`renew_stream`). Checking walks the
chain backwards: the last is validated now, each earlier one as of the earliest trusted one after it,
and a signature whose own timestamp's TSA certificate has expired is proven by the archive after it.

Pure: streams, the trusted roots and the options in, a report or a renewed file out. No database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import misc
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import extract_certificate_info
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import DocumentSecurityStore
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature, async_validate_pdf_timestamp
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.path import ValidationPath

from motcua.core.errors import DomainError, ValidationFailed
from motcua.signing import longterm
from motcua.signing.coroutines import finish
from motcua.signing.validation import Checker, day

MD_ALGORITHM = "sha256"


@dataclass(frozen=True)
class ArchiveCheck:
    """One document timestamp of the file, judged."""

    position: int  # 0 for the file's first document timestamp
    field_name: str
    revision: int  # the file revision it seals: it covers every signature of an earlier one
    timestamp_at: dt.datetime | None
    authority: str
    authority_valid_to: dt.datetime | None  # the TSA certificate's expiry: renew before it
    intact: bool
    trusted: bool

    def details(self) -> dict[str, object]:
        return {
            "field_name": self.field_name,
            "timestamp_at": self.timestamp_at.isoformat() if self.timestamp_at else None,
            "authority": self.authority,
            "authority_valid_to": self.authority_valid_to.isoformat() if self.authority_valid_to else None,
            "intact": self.intact,
            "trusted": self.trusted,
        }


async def check_archive(
    timestamps: Sequence[EmbeddedPdfSignature], checker: Checker
) -> tuple[ArchiveCheck, ...]:
    """Validate the document timestamps, the last one now, each earlier one as of a trusted later one."""
    checks: list[ArchiveCheck] = []
    proven: dt.datetime | None = None  # the earliest trusted timestamp seen so far, walking backwards
    for position in reversed(range(len(timestamps))):
        context = checker.context_now() if proven is None else checker.context_at(proven)
        check = await _check_one(position, timestamps[position], context)
        if check.trusted and check.timestamp_at is not None:
            proven = check.timestamp_at
        checks.append(check)
    return tuple(reversed(checks))


async def _check_one(position: int, stamp: EmbeddedPdfSignature, context: ValidationContext) -> ArchiveCheck:
    base = {
        "position": position,
        "field_name": str(stamp.field_name or ""),
        "revision": stamp.signed_revision,
    }
    try:
        # The difference analysis is the signatures' job (verify.py); a document timestamp proves a time.
        status = await async_validate_pdf_timestamp(stamp, context, skip_diff=True)
    except RuntimeError:  # a fault of the program, not of the file
        raise
    except Exception:  # a timestamp whose data cannot be parsed proves nothing
        return ArchiveCheck(
            **base, timestamp_at=None, authority="", authority_valid_to=None, intact=False, trusted=False
        )
    certificate = status.signing_cert
    name = certificate.subject
    return ArchiveCheck(
        **base,
        timestamp_at=status.timestamp,
        authority=str(name.native.get("common_name", "")) or name.human_friendly,
        authority_valid_to=certificate.not_valid_after,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.intact and status.valid and status.trusted),
    )


def archive_summary(checks: Sequence[ArchiveCheck]) -> str:
    """One sentence on the file's archive timestamps for its holder; empty when it has none."""
    if not checks:
        return ""
    trusted = [c for c in checks if c.trusted and c.timestamp_at is not None]
    if not trusted:
        return _(
            "The file's archive timestamps (PAdES B-LTA) could not be validated: their timestamp authority "
            "is not trusted, or its certificate has expired."
        )
    last = trusted[-1]
    assert last.timestamp_at is not None
    return _(
        "The file carries an archive timestamp (PAdES B-LTA) of %(authority)s at %(time)s, which keeps its "
        "signatures verifiable; the certificate of that timestamp authority expires on %(date)s."
    ) % {
        "authority": last.authority,
        "time": timezone.localtime(last.timestamp_at).strftime("%H:%M %d/%m/%Y"),
        "date": day(last.authority_valid_to) if last.authority_valid_to else "?",
    }


# Renewal ---------------------------------------------------------------------------------------------


def renew_stream(
    source: IO[bytes],
    output: IO[bytes],
    *,
    options: longterm.Options,
    trust_roots: Sequence[asn1_x509.Certificate],
) -> None:
    """Write `source` to `output` with a new document timestamp, as an incremental update.

    The validation info of the file's latest timestamps (its last document timestamp, or the signatures'
    own timestamps when it has none yet) is embedded first, fetched from the CA, then the TSA stamps the
    whole: nothing before it changes. A TSA that does not answer stops it (`tsa_unavailable`).
    """
    if not options.archives:
        raise ValidationFailed(
            _("Archive timestamps need a timestamp authority and revocation checks to be configured."),
            code="archive_not_configured",
        )
    try:
        reader = PdfFileReader(source, strict=False)
        if reader.encrypted or not reader.embedded_regular_signatures:
            raise ValueError("no signature to archive")
    except RuntimeError:
        raise
    except Exception as exc:  # pyHanko raises many kinds of errors on a damaged file: one answer for all
        raise _not_renewed(exc) from None
    try:
        finish(_renew(reader, output, options, list(trust_roots)))
    except RuntimeError:
        raise
    except Exception as exc:
        refused = longterm.refusal(exc, signer=_("the timestamp authority"))
        raise (refused or _not_renewed(exc)) from None


def _not_renewed(exc: BaseException) -> DomainError:
    return ValidationFailed(
        _("The archive timestamp could not be renewed: the file's latest timestamp cannot be validated "
          "(its authority is not trusted or its certificate has expired), or the file cannot be read."),
        code="archive_not_renewed",
        fields={"file": str(exc)[:200]},
    )  # fmt: skip


async def _renew(
    reader: PdfFileReader, output: IO[bytes], options: longterm.Options, roots: list[asn1_x509.Certificate]
) -> None:
    from motcua.signing.pdfsign import archive_field_name

    async with longterm.session() as opened:
        context = longterm.validation_context(options, opened, trust_roots=roots, strict=True)
        tsa = longterm.timestamper(options, opened)
        assert tsa is not None  # options.archives
        stamper = PdfTimeStamper(tsa, field_name=archive_field_name())
        if reader.embedded_timestamp_signatures:
            await stamper.async_update_archival_timestamp_chain(
                reader, context, in_place=False, output=output
            )
            return
        await _first_archive(reader, output, stamper, tsa, context)


async def _first_archive(
    reader: PdfFileReader,
    output: IO[bytes],
    stamper: PdfTimeStamper,
    tsa: TimeStamper,
    context: ValidationContext,
) -> None:
    """A B-T or B-LT file's first document timestamp, after the validation info of its signatures' TSAs.

    pyHanko's chain update embeds only a previous document timestamp's; here the signatures' own
    timestamps are the ones whose TSA certificates are about to expire.
    """
    paths = [
        path
        for signature in reader.embedded_regular_signatures
        for path in await _tsa_paths(signature, context)
    ]
    reader.stream.seek(0)
    misc.chunked_write(bytearray(misc.DEFAULT_CHUNK_SIZE), reader.stream, output)
    writer = IncrementalPdfFileWriter(output, strict=False)
    DocumentSecurityStore.supply_dss_in_writer(writer, None, paths=paths, validation_context=context)
    await stamper.async_timestamp_pdf(writer, MD_ALGORITHM, context, in_place=True, timestamper=tsa)


async def _tsa_paths(signature: EmbeddedPdfSignature, context: ValidationContext) -> list[ValidationPath]:
    paths = []
    for token in extract_tst_data_iter(signature.signer_info, signed=False):
        found = extract_certificate_info(token)
        validator = CertificateValidator(
            found.signer_cert, intermediate_certs=found.other_certs, validation_context=context
        )
        paths.append(await validator.async_validate_usage(key_usage=set()))
    return paths
