"""Intake through the API: files from base64 or multipart parts, and the dossier handed to its service.

Files travel two ways. JSON bodies carry them as base64 (`files: [{name, content_base64,
document_position}]`), fine for scans of a few MB; the JSON body as a whole is bounded by Django's
DATA_UPLOAD_MAX_MEMORY_SIZE. Large intakes use POST /multipart: a form field `data` holding the same
JSON without `files`, plus `files` parts (and `result_files` for on-the-spot results); `file_positions`
in `data` gives each `files` part its document position, in part order. Sizes are checked before any
file is read or decoded; multipart files are read in chunks from Django's temporary files, never whole.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence

import pydantic
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from motcua.api.dossiers_schemas import CounterIntakeIn, FileIn, IntakeBase, MultipartIntakeIn, OnlineIntakeIn
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.uploads import Upload, max_upload_bytes
from motcua.org.models import ServicePoint


def _too_large(name: str, field: str, size: int) -> ValidationFailed:
    limit = max_upload_bytes()
    return ValidationFailed(
        _("File “%(name)s” is too large; the limit is %(max)s MB.")
        % {"name": name, "max": limit // (1024 * 1024)},
        code="file_too_large",
        fields={field: [f"{size} bytes > {limit}"]},
    )


def decode_files(files: list[FileIn], field: str) -> list[Upload]:
    """Turn base64 files into uploads, refusing an oversized one from its length before decoding it."""
    uploads = []
    for index, item in enumerate(files):
        text = "".join(item.content_base64.split())
        estimated = len(text) * 3 // 4 - text[-2:].count("=")
        if estimated > max_upload_bytes():
            raise _too_large(item.name, f"{field}.{index}.content_base64", estimated)
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed(
                _("File “%(name)s” is not valid base64.") % {"name": item.name},
                code="invalid_base64",
                fields={f"{field}.{index}.content_base64": ["invalid base64"]},
            ) from None
        # The JSON body is in memory already (bounded by DATA_UPLOAD_MAX_MEMORY_SIZE): its bytes stay bytes.
        uploads.append(Upload(name=item.name, content=content, document_position=item.document_position))
    return uploads


def read_parts(parts: Sequence[UploadedFile], positions: list[int | None], field: str) -> list[Upload]:
    """Turn multipart files into uploads read later in chunks; the size Django counted is checked first."""
    uploads = []
    for index, part in enumerate(parts):
        name = part.name or f"file-{index}"
        if part.size is not None and part.size > max_upload_bytes():
            raise _too_large(name, f"{field}.{index}", part.size)
        position = positions[index] if index < len(positions) else None
        uploads.append(Upload.from_file(part, name=name, document_position=position))
    return uploads


def _point(code: str) -> ServicePoint:
    point = ServicePoint.objects.filter(code=code, is_active=True).select_related("agency", "unit").first()
    if point is None:
        raise NotFound(_("Receiving point not found."), code="service_point_not_found")
    return point


def _intake(body: IntakeBase, uploads: list[Upload]) -> services.IntakeIn:
    a = body.applicant
    return services.IntakeIn(
        procedure_code=body.procedure_code,
        applicant=services.ApplicantIn(
            name=a.name,
            id_number=a.id_number,
            kind=a.kind,
            date_of_birth=a.date_of_birth,
            address=a.address,
            phone=a.phone,
            email=a.email,
        ),
        provided=body.provided,
        uploads=uploads,
        delivery=body.delivery,
        delivery_address=body.delivery_address,
        form_data=body.form_data,
        representative=body.representative,
        sets=body.sets,
        postmarked_at=getattr(body, "postmarked_at", None),
        reused=[services.Reused(position=r.position, file_id=r.file_id) for r in body.reused],
    )


def _items(body: CounterIntakeIn) -> list[services.RequestItem]:
    return [services.RequestItem(position=i.position, reason=i.reason) for i in body.items]


def receive_at_counter(
    user: User, body: CounterIntakeIn, uploads: list[Upload], results: list[Upload]
) -> Dossier:
    """Receive, ask to complete, refuse or settle on the spot, as `body.outcome` says."""
    point, data = _point(body.service_point), _intake(body, uploads)
    if body.outcome != "accept" and body.channel != Channel.COUNTER:
        raise ValidationFailed(
            _(
                "Only a dossier filed in person may be asked to complete, refused or settled on the spot "
                "at the counter."
            ),
            code="wrong_channel",
            fields={"channel": [f"{body.outcome} needs the counter channel"]},
        )
    if body.outcome == "accept":
        dossier = services.receive_dossier(data=data, point=point, actor=user, channel=body.channel)
    elif body.outcome == "request_completion":
        dossier = services.request_completion_at_counter(
            data=data, point=point, actor=user, items=_items(body)
        )
    elif body.outcome == "refuse":
        dossier = services.refuse_at_counter(data=data, point=point, actor=user, reasons=body.reasons)
    else:
        dossier = services.handle_on_the_spot(
            data=data, point=point, actor=user, results=results, comment=body.comment
        )
    return dossier


def parse_multipart_data(data: str) -> MultipartIntakeIn:
    """Validate the `data` field of a multipart intake, reporting errors under `data.`."""
    try:
        body = MultipartIntakeIn.model_validate(json.loads(data))
    except (ValueError, pydantic.ValidationError) as exc:
        raise ValidationFailed(
            _("The `data` field must be the dossier as JSON."), code="invalid_parameters", fields=_errors(exc)
        ) from None
    if body.files or body.result_files:
        raise ValidationFailed(
            _("Send files as multipart parts, not base64."),
            code="invalid_parameters",
            fields={"data.files": ["send files as parts"]},
        )
    return body


def _errors(exc: Exception) -> dict[str, list[str]]:
    if not isinstance(exc, pydantic.ValidationError):
        return {"data": [str(exc)]}
    fields: dict[str, list[str]] = {}
    for err in exc.errors():
        key = ".".join(["data", *(str(p) for p in err["loc"])])
        fields.setdefault(key, []).append(err["msg"])
    return fields


def file_online(user: User, body: OnlineIntakeIn) -> Dossier:
    data = _intake(body, decode_files(body.files, "files"))
    return services.submit_online(data=data, point=_point(body.service_point), citizen=user)
