"""/api/v1/signatures: verify the digital signatures of a PDF (public, rate-limited).

No login. The PDF is sent as a multipart part `file`, at most MAX_UPLOAD_MB, and must really be a PDF
(sniffed from its bytes); it is checked and forgotten, never stored. Checks are counted per client IP in
ten-minute windows: past the limit, 429 `too_many_attempts` with Retry-After. Unless the installation
checks revocation (MOTCUA_SIGNING_REVOCATION), it is not checked, and signing times are as the signer
declared them unless a trusted timestamp is embedded: `notes` says so. Each signature says whether it is
long-term (timestamped, with its validation info embedded: PAdES B-LT) and its level; `archive`
lists the file's archive timestamps (PAdES B-LTA).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from motcua.api.errors import ErrorOut
from motcua.signing.public import TOO_MANY_MESSAGE, PublicCheck, check_file, limiter_for, read_pdf

router = Router(tags=["signatures"])

SIGNER_EXAMPLE = "ỦY BAN NHÂN DÂN PHƯỜNG THÀNH SEN"


class SignatureCheckOut(Schema):
    position: int = Field(description="0 for the first signature of the file.", examples=[0])
    field_name: str = Field(examples=["MotCuaSignature1"])
    signer_name: str = Field(
        description="Common name of the signer's certificate.", examples=[SIGNER_EXAMPLE]
    )
    signer_organisation: str = Field(examples=["UBND phường Thành Sen"])
    issuer: str = Field(description="Who issued the signer's certificate.", examples=["MotCua Demo CA"])
    serial: str = Field(description="Serial number of the certificate, hexadecimal.", examples=["5f3a9c"])
    fingerprint: str = Field(description="SHA-256 of the signer's certificate, hexadecimal.")
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    signed_at: dt.datetime | None = Field(
        description="As the signer declared it, unless `timestamped`.", examples=["2025-11-06T07:00:00Z"]
    )
    timestamped: bool = Field(description="A trusted timestamp certifies the signing time.")
    reason: str = Field(examples=["Kết quả giải quyết hồ sơ H42.50.01-251103-010001"])
    location: str
    intact: bool = Field(
        description="The signed bytes are unchanged and the signature is cryptographically sound."
    )
    trusted: bool = Field(description="The certificate leads to a root certificate MotCua trusts.")
    covers_whole_file: bool
    changed_after: bool = Field(description="Content was added or changed after this signature.")
    status: Literal["valid", "untrusted", "expired", "revoked", "modified", "invalid"]
    status_label: str = Field(examples=["Hợp lệ"])
    problems: list[str] = Field(
        description="What keeps the signature from being valid, or what to know about it, in words."
    )
    timestamp_at: dt.datetime | None = Field(
        description="The time a trusted timestamp authority certifies (RFC 3161), if there is one.",
        examples=["2025-11-06T07:00:03Z"],
    )
    timestamp_authority: str = Field(description="Who issued the timestamp.", examples=["TSA Chính phủ"])
    validation_info: bool = Field(
        description="The file carries the revocation info (CRL or OCSP) of the signer's certificate."
    )
    long_term: bool = Field(
        description="Timestamped and with its validation info embedded (PAdES B-LT): it can be checked "
        "after the signer's certificate expires."
    )
    revocation: Literal["not_checked", "good", "unknown", "failed", "revoked"] = Field(
        description="not_checked (revocation checks off); good; unknown (the CA did not answer: a warning); "
        "failed (the CA did not answer and checks are strict); revoked."
    )
    level: Literal["B", "B-T", "B-LT", "B-LTA"] = Field(
        description="The PAdES baseline level: B; B-T with a trusted timestamp; B-LT with the validation "
        "info embedded; B-LTA with a trusted archive (document) timestamp after it.",
        examples=["B-LTA"],
    )
    timestamp_valid_to: dt.datetime | None = Field(
        description="When the certificate of the authority that timestamped the signature expires."
    )
    archived_at: dt.datetime | None = Field(
        description="The first trusted archive timestamp after the signature, which proves it existed then."
    )


class ArchiveTimestampOut(Schema):
    position: int = Field(description="0 for the file's first archive (document) timestamp.", examples=[0])
    field_name: str = Field(examples=["MotCuaArchive-3f9a2c1b7d4e"])
    timestamp_at: dt.datetime | None = Field(examples=["2025-11-06T07:00:05Z"])
    authority: str = Field(description="The timestamp authority.", examples=["TSA Chính phủ"])
    authority_valid_to: dt.datetime | None = Field(
        description="When the authority's certificate expires: the file must get a new archive timestamp "
        "before then to stay provable."
    )
    intact: bool
    trusted: bool = Field(description="Intact, and the authority's certificate leads to a trusted root.")


class IssuedResultOut(Schema):
    dossier_code: str = Field(examples=["H42.50.01-251103-010001"])
    procedure_name: str = Field(examples=["Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT"])
    agency: str = Field(description="The issuing (handling) agency.", examples=["UBND phường Thành Sen"])
    issued_at: dt.datetime | None = Field(description="When the result was ready.")


class VerificationOut(Schema):
    sha256: str = Field(description="SHA-256 of the file sent, hexadecimal.")
    size: int
    status: Literal[
        "valid", "untrusted", "expired", "revoked", "modified", "invalid", "unsigned", "unreadable"
    ] = Field(
        description="The worst of the signatures' statuses; unsigned or unreadable for a file without them."
    )
    summary: str = Field(examples=["Tệp có 1 chữ ký số. Mọi chữ ký đều hợp lệ: …"])
    signatures: list[SignatureCheckOut]
    archive: list[ArchiveTimestampOut] = Field(
        description="The file's archive (document) timestamps, PAdES B-LTA, in file order."
    )
    notes: list[str] = Field(description="What this check could not do (revocation, timestamps).")
    issued: IssuedResultOut | None = Field(
        description="Set when this exact file is a result issued through MotCua; no personal data."
    )


def _too_many(retry_after: int) -> HttpResponse:
    body = {"error": {"code": "too_many_attempts", "message": str(TOO_MANY_MESSAGE), "fields": {}}}
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _out(check: PublicCheck) -> VerificationOut:
    report = check.report
    return VerificationOut(
        sha256=report.sha256,
        size=report.size,
        status=report.status,  # type: ignore[arg-type]
        summary=report.summary,
        signatures=[
            SignatureCheckOut(
                position=s.position,
                field_name=s.field_name,
                signer_name=s.signer_name,
                signer_organisation=s.signer_organisation,
                issuer=s.issuer,
                serial=s.serial,
                fingerprint=s.fingerprint,
                valid_from=s.valid_from,
                valid_to=s.valid_to,
                signed_at=s.signed_at,
                timestamped=s.timestamped,
                reason=s.reason,
                location=s.location,
                intact=s.intact,
                trusted=s.trusted,
                covers_whole_file=s.covers_whole_file,
                changed_after=s.changed_after,
                status=s.status,  # type: ignore[arg-type]
                status_label=s.status_label,
                problems=list(s.problems),
                timestamp_at=s.timestamp_at,
                timestamp_authority=s.timestamp_authority,
                validation_info=s.validation_info,
                long_term=s.long_term,
                revocation=s.revocation,  # type: ignore[arg-type]
                level=s.level,  # type: ignore[arg-type]
                timestamp_valid_to=s.timestamp_valid_to,
                archived_at=s.archived_at,
            )
            for s in report.signatures
        ],
        archive=[
            ArchiveTimestampOut(
                position=a.position,
                field_name=a.field_name,
                timestamp_at=a.timestamp_at,
                authority=a.authority,
                authority_valid_to=a.authority_valid_to,
                intact=a.intact,
                trusted=a.trusted,
            )
            for a in report.archive
        ],
        notes=list(report.notes),
        issued=IssuedResultOut(**vars(check.issued)) if check.issued else None,
    )


@router.post(
    "/verify",
    response={200: VerificationOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Verify the digital signatures of a PDF (public)",
)
def verify(request: HttpRequest, file: File[UploadedFile]) -> VerificationOut | HttpResponse:
    limiter = limiter_for(request)
    if limiter.blocked():
        return _too_many(limiter.retry_after)
    limiter.fail()  # every check spends the budget: the work is the cost
    return _out(check_file(read_pdf(file)))
