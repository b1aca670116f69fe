"""What a check of a PDF's signatures found (verify.py), and how it is told to a person who holds the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.signing import longterm
from motcua.signing.archive import ArchiveCheck, archive_summary
from motcua.signing.models import SignatureStatus
from motcua.signing.validation import Revocation

S = SignatureStatus
# Worst first: a file is judged by its worst signature.
SEVERITY: list[str] = [S.INVALID, S.MODIFIED, S.REVOKED, S.EXPIRED, S.UNTRUSTED, S.VALID]


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of the file, judged."""

    position: int
    field_name: str
    signer_name: str
    signer_organisation: str
    issuer: str
    serial: str
    fingerprint: str
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    signed_at: dt.datetime | None
    timestamped: bool
    reason: str
    location: str
    intact: bool
    trusted: bool
    covers_whole_file: bool
    changed_after: bool
    status: str
    problems: tuple[str, ...] = ()
    timestamp_at: dt.datetime | None = None  # when a trusted timestamp authority saw the signature
    timestamp_authority: str = ""
    validation_info: bool = False  # the file carries revocation info for the signer's certificate
    revocation: str = Revocation.NOT_CHECKED
    timestamp_valid_to: dt.datetime | None = None  # when the certificate of the timestamp's TSA expires
    archived_at: dt.datetime | None = None  # the first trusted archive timestamp after the signature

    @property
    def status_label(self) -> str:
        return str(S(self.status).label)

    @property
    def long_term(self) -> bool:
        """PAdES B-LT or better: timestamped, with the validation info to check it without the CA."""
        return self.timestamp_at is not None and self.validation_info

    @property
    def level(self) -> str:
        """The PAdES baseline level the signature reaches: B, B-T, B-LT or B-LTA."""
        if self.long_term:
            return "B-LTA" if self.archived_at is not None else "B-LT"
        return "B-T" if self.timestamp_at is not None else "B"

    def details(self) -> dict[str, Any]:
        """What FileSignature.details keeps of the check."""
        return {
            "serial": self.serial,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "timestamped": self.timestamped,
            "reason": self.reason,
            "location": self.location,
            "changed_after": self.changed_after,
            "problems": list(self.problems),
            "timestamp_at": self.timestamp_at.isoformat() if self.timestamp_at else None,
            "timestamp_authority": self.timestamp_authority,
            "validation_info": self.validation_info,
            "long_term": self.long_term,
            "revocation": self.revocation,
            "timestamp_valid_to": self.timestamp_valid_to.isoformat() if self.timestamp_valid_to else None,
            "archived_at": self.archived_at.isoformat() if self.archived_at else None,
            "level": self.level,
        }


@dataclass(frozen=True)
class Report:
    sha256: str
    size: int
    checked_at: dt.datetime
    signatures: tuple[SignatureCheck, ...] = ()
    readable: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)
    archive: tuple[ArchiveCheck, ...] = ()  # the document timestamps (PAdES B-LTA), in file order

    @property
    def status(self) -> str:
        """valid, untrusted, expired, modified or invalid (the worst signature); unsigned; unreadable."""
        if not self.readable:
            return "unreadable"
        if not self.signatures:
            return "unsigned"
        return min((s.status for s in self.signatures), key=SEVERITY.index)

    @property
    def summary(self) -> str:
        return summary_of(self)


def summary_of(report: Report) -> str:
    """One or two Vietnamese sentences for a person who holds the file."""
    status, count = report.status, len(report.signatures)
    if status == "unreadable":
        return _("The file could not be read as a PDF: it is damaged or not a PDF.")
    if status == "unsigned":
        return _("The file carries no digital signature.")
    head = ngettext(
        "The file carries %(count)s digital signature.",
        "The file carries %(count)s digital signatures.",
        count,
    ) % {"count": count}
    verdicts = {
        S.VALID: _("Every signature is valid: intact, by a certificate under a trusted root, and nothing "
                   "was changed after signing."),
        S.UNTRUSTED: _("The signatures are intact, but at least one certificate does not lead to a root "
                       "certificate this system trusts."),
        S.EXPIRED: _("At least one signature was made with a certificate outside its validity period."),
        S.REVOKED: _("At least one signature was made with a certificate its certificate authority has "
                     "revoked."),
        S.MODIFIED: _("The document was changed after at least one signature: the signed version is not "
                      "the one you hold."),
        S.INVALID: _("At least one signature is broken: the file was altered after signing."),
    }  # fmt: skip
    archived = archive_summary(report.archive)
    return " ".join(part for part in (head, str(verdicts[S(status)]), archived) if part)


def offline_notes(
    signatures: Sequence[SignatureCheck], options: longterm.Options = longterm.OFF
) -> tuple[str, ...]:
    """What the check could not do: revocation when it is off, signing times no timestamp certifies."""
    notes = []
    if not options.checks_revocation:
        notes.append(
            _("Revocation was not checked: this server has no access to the certificate authorities "
              "(OCSP, CRL).")
        )  # fmt: skip
    if any(not s.timestamped for s in signatures):
        notes.append(
            _(
                "Signing times are those declared by the signer's computer: no trusted timestamp certifies "
                "them."
            )
        )
    return tuple(notes)
