"""Seal a PDF MotCua issues itself (an e-receipt) with an agency's seal, and keep it in the dossier.

Unlike `sign_file`, nobody asks for it and there is no file to copy: the PDF is made from data, signed,
stored under its SHA-256 like any file, and its signature recorded with what its verification found.
Signing and storing are two steps, so the signing (and a timestamp authority's answer) waits outside the
transaction that stores it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.dossiers.models import Dossier, StoredFile
from motcua.dossiers.uploads import Upload, store_upload
from motcua.signing import rules, selectors
from motcua.signing.models import Certificate
from motcua.signing.services.files import Made, _signed, _usable, _verified, record_signatures, signed_name

if TYPE_CHECKING:
    from motcua.signing.verify import Report


@dataclass
class Sealed:
    """A PDF sealed in memory (or a temporary file), with the certificate and what verifying it found."""

    signed: IO[bytes]
    certificate: Certificate
    report: Report
    purpose: str

    def close(self) -> None:
        self.signed.close()


def agency_seal(agency_id: int, now: dt.datetime) -> Certificate:
    """The agency's active seal, valid now; refused (with a code kept by the caller) otherwise."""
    seal = selectors.active_seal(agency_id)
    if seal is None:
        raise ValidationFailed(
            _("The collecting agency has no active seal (digital certificate of the agency): ask the "
              "administrator to import it."),
            code="agency_has_no_seal",
        )  # fmt: skip
    return _usable(seal, seal=True, now=now)


def seal_pdf(*, agency_id: int, data: bytes, name: str, kind: str, code: str, now: dt.datetime) -> Sealed:
    """Sign `data` with the agency's seal and verify it; nothing is written.

    Called outside any transaction: a timestamp authority that is slow to answer (longterm.py) holds
    no lock, and one that does not answer stops it with a refusal before anything is stored.
    """
    certificate = agency_seal(agency_id, now)
    roots = selectors.trust_roots()
    purpose = rules.purpose_of(kind)
    signed = _signed(
        io.BytesIO(data),
        rules.PDF,
        name=name,
        certificate=certificate,
        purpose=purpose,
        code=code,
        now=now,
        roots=roots,
    )
    try:
        report = _verified(signed, roots, now)
    except BaseException:
        signed.close()
        raise
    signed.seek(0)
    return Sealed(signed=signed, certificate=certificate, report=report, purpose=purpose)


def store_sealed(sealed: Sealed, *, dossier: Dossier, name: str, kind: str, now: dt.datetime) -> StoredFile:
    """Keep a sealed PDF in `dossier` as `kind` and record its signatures (in the caller's transaction)."""
    stored = store_upload(
        dossier=dossier, upload=Upload.from_file(sealed.signed, name=signed_name(name)), kind=kind, actor=None
    )
    made = Made(certificate=sealed.certificate, actor=None, source=None)
    record_signatures(sealed.report, stored=stored, purpose=sealed.purpose, now=now, made=made)
    return stored
