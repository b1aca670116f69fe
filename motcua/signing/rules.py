"""Who signs which file of a dossier, with which certificate: read alike by the services and the pages.

Decree 45/2020 art. 25: the receiving officer signs the scans of papers (personal certificate); the
agency that issues a result signs it with its own certificate, the seal, so only that agency's staff
apply it: neither the desk nor another agency of an inter-agency dossier may seal in its name.
"""

from __future__ import annotations

from collections.abc import Iterable

from motcua.core.models import User
from motcua.dossiers.access import agency_roles_in, is_counter_officer_of
from motcua.dossiers.lifecycle import TRANSITIONS, Action
from motcua.dossiers.models import Dossier, FileKind
from motcua.org.access import Scope
from motcua.signing.models import SignaturePurpose

PURPOSES: dict[str, str] = {
    FileKind.RESULT: SignaturePurpose.RESULT,
    FileKind.SCAN: SignaturePurpose.SCAN,
    FileKind.SUPPLEMENT: SignaturePurpose.SCAN,
    FileKind.FORM: SignaturePurpose.FORM,
    FileKind.RECEIPT: SignaturePurpose.RECEIPT,
}
# The files an officer certifies as copies of papers (a result is the agency's, a form the system's).
SCAN_KINDS = (FileKind.SCAN, FileKind.SUPPLEMENT)
PDF = "application/pdf"
IMAGES = {"image/jpeg", "image/png", "image/tiff", "image/webp"}
BYTE_RANGE = b"/ByteRange"


def purpose_of(kind: str) -> str:
    return PURPOSES.get(kind, SignaturePurpose.SCAN)


def acting_agency_id(dossier: Dossier, purpose: str) -> int:
    """Whose act a signature on the dossier's file is, in its event: a result the handling agency's, a
    scan or a form the receiving desk's agency."""
    return dossier.lead_agency_id if purpose == SignaturePurpose.RESULT else dossier.receiving_agency_id


def signed_with_seal(kind: str) -> bool:
    """Results carry the agency's seal; scans and forms the officer's own certificate."""
    return purpose_of(kind) == SignaturePurpose.RESULT


def can_be_signed(content_type: str) -> bool:
    """PDFs are signed as they are; a scanned image is first put into a PDF."""
    return content_type == PDF or content_type in IMAGES


def may_carry_signature(data: bytes) -> bool:
    """Tell cheaply whether a PDF may carry a signature: every signature dictionary has a /ByteRange."""
    return BYTE_RANGE in data


def may_carry_signature_in(chunks: Iterable[bytes]) -> bool:
    """As `may_carry_signature`, for a file read in chunks (the marker may straddle two of them)."""
    tail = b""
    for chunk in chunks:
        if BYTE_RANGE in tail + chunk[: len(BYTE_RANGE) - 1] or BYTE_RANGE in chunk:
            return True
        tail = chunk[-(len(BYTE_RANGE) - 1) :]
    return False


def status_allows_signing(status: str) -> bool:
    return status in TRANSITIONS[Action.SIGN_FILE].sources


def may_seal(user: User, scope: Scope, dossier: Dossier) -> bool:
    """Tell whether `user` works for the dossier's handling agency, whose seal its results carry."""
    return bool(agency_roles_in(user, dossier.lead_agency_id, scope))


def may_sign(user: User, scope: Scope, dossier: Dossier, kind: str) -> bool:
    """Tell whether `user` signs files of `kind` on `dossier` (the certificate is checked apart).

    A document reused from the applicant's digitised papers already carries the signature that made it a
    valid copy (dossiers/applicant_documents.py): signing it again would claim a new digitisation. An
    e-receipt is sealed by MotCua itself when it is issued (payments/services/receipt_signing.py), never by
    a person.
    """
    if kind in (FileKind.REUSED, FileKind.RECEIPT):
        return False
    if signed_with_seal(kind):
        return may_seal(user, scope, dossier)
    return is_counter_officer_of(user, dossier, scope)
