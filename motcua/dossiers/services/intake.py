"""Receiving dossiers: at the counter, by post, online; accept, request completion, refuse, withdraw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.catalog.fees import compute_fees
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import version_in_force
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.codes import new_dossier_code, new_lookup_secret
from motcua.dossiers.deadlines import dossier_clock
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import (
    Applicant,
    Channel,
    Delivery,
    Dossier,
    DossierDocument,
    FileKind,
    RequestStage,
)
from motcua.dossiers.routing import lead_agency_for
from motcua.dossiers.services.requests import record_completion_request
from motcua.dossiers.services.steps import start_processing
from motcua.dossiers.transitions import apply_action, lock_dossier
from motcua.dossiers.uploads import Upload, check_upload, store_upload
from motcua.org.models import ServicePoint


@dataclass(frozen=True)
class ApplicantIn:
    name: str
    id_number: str
    kind: str = "person"
    date_of_birth: dt.date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class IntakeIn:
    """What the applicant brings: one procedure, the papers, the files, and how to get the result."""

    procedure_code: str
    applicant: ApplicantIn
    provided: list[int] = field(default_factory=list)  # positions of the procedure's required documents
    uploads: list[Upload] = field(default_factory=list)
    delivery: str = Delivery.COUNTER
    delivery_address: str = ""
    form_data: dict[str, Any] = field(default_factory=dict)
    representative: dict[str, Any] = field(default_factory=dict)
    sets: int = 1
    postmarked_at: dt.datetime | None = None


@dataclass(frozen=True)
class RequestItem:
    """One missing or faulty item: a listed document (by position) and why."""

    position: int
    reason: str


def _check_intake(data: IntakeIn, version: ProcedureVersion, channel: str, point: ServicePoint) -> None:
    errors: dict[str, str] = {}
    applicant = data.applicant
    if not applicant.name.strip():
        errors["applicant.name"] = "Chưa nhập họ tên người nộp."
    if not applicant.id_number.strip().isdigit() or not 9 <= len(applicant.id_number.strip()) <= 13:
        errors["applicant.id_number"] = "Số định danh cá nhân hoặc mã số thuế gồm 9–13 chữ số."
    if data.delivery not in Delivery.values:
        errors["delivery"] = "Cách nhận kết quả không hợp lệ."
    if data.delivery == Delivery.POST and not data.delivery_address.strip():
        errors["delivery_address"] = "Nhận kết quả qua bưu chính cần địa chỉ nhận."
    if data.delivery == Delivery.ONLINE and not (applicant.email or applicant.phone):
        errors["delivery"] = "Nhận kết quả trực tuyến cần thư điện tử hoặc số điện thoại."
    if channel not in version.channels:
        errors["channel"] = f"Thủ tục này không tiếp nhận qua kênh “{Channel(channel).label}”."
    if channel == Channel.POST and data.postmarked_at is None:
        errors["postmarked_at"] = "Hồ sơ qua bưu chính cần ngày dấu bưu điện."
    if not 1 <= data.sets <= 50:
        errors["sets"] = "Số bộ hồ sơ từ 1 đến 50."
    known = {d.position for d in version.documents.all()}
    unknown = [p for p in data.provided if p not in known]
    if unknown:
        errors["provided"] = f"Giấy tờ không có trong danh mục của thủ tục: {unknown}."
    if errors:
        raise ValidationFailed("Hồ sơ chưa hợp lệ: " + " ".join(errors.values()), fields=errors)
    for upload in data.uploads:
        check_upload(upload)
    if not version.received_at_centre:
        raise ValidationFailed(
            "Thủ tục này không tiếp nhận tại Trung tâm. " + version.where_if_not,
            code="not_received_at_centre",
        )
    _check_point_receives(version, point)


def _check_point_receives(version: ProcedureVersion, point: ServicePoint) -> None:
    """A point receives procedures of its level for the agencies it serves; boundary-free ones anywhere."""
    levels = {level.code for level in version.levels.all()}
    # A branch of the provincial centre sits in a commune but receives for the province: the level is
    # the receiving agency's, not the building's.
    point_level = point.agency.unit.level.code
    if levels and point_level not in levels:
        raise ValidationFailed(
            f"{point.name} không tiếp nhận thủ tục cấp này ({', '.join(sorted(levels))}).",
            code="procedure_not_received_here",
        )
    if version.boundary_free:
        return
    lead = lead_agency_for(version, point)
    if not point.served_agencies.filter(pk=lead.pk).exists() and point.agency_id != lead.pk:
        raise ValidationFailed(
            f"{point.name} không tiếp nhận thủ tục của {lead.name}.", code="procedure_not_received_here"
        )


def missing_documents(version: ProcedureVersion, provided: list[int]) -> list[str]:
    return [d.name for d in version.documents.all() if d.required and d.position not in provided]


def _upsert_applicant(data: ApplicantIn, citizen: User | None) -> Applicant:
    values = {
        "name": data.name.strip(),
        "date_of_birth": data.date_of_birth,
        "address": data.address.strip(),
        "phone": data.phone.strip(),
        "email": data.email.strip(),
    }
    applicant, created = Applicant.objects.get_or_create(
        kind=data.kind, id_number=data.id_number.strip(), defaults={**values, "user": citizen}
    )
    if not created:
        changed = [k for k, v in values.items() if v and getattr(applicant, k) != v]
        for key in changed:
            setattr(applicant, key, values[key])
        if citizen is not None and applicant.user_id is None:
            applicant.user = citizen
            changed.append("user")
        if changed:
            applicant.save(update_fields=[*changed, "updated_at"])
    return applicant


def _snapshot(data: ApplicantIn) -> dict[str, Any]:
    return {
        "kind": data.kind,
        "name": data.name.strip(),
        "id_number": data.id_number.strip(),
        "date_of_birth": data.date_of_birth.isoformat() if data.date_of_birth else None,
        "address": data.address.strip(),
        "phone": data.phone.strip(),
        "email": data.email.strip(),
    }


def _new_dossier(
    *,
    data: IntakeIn,
    version: ProcedureVersion,
    channel: str,
    point: ServicePoint,
    citizen: User | None,
    now: dt.datetime,
) -> Dossier:
    options = settings.MOTCUA
    local_day = timezone.localdate(now)
    fees = compute_fees(list(version.fees.all()), channel=channel, quantity=1)
    return Dossier(
        code=new_dossier_code(
            agency=point.agency,
            day=local_day,
            layout=options["DOSSIER_CODE_LAYOUT"],
            owner_id=options["SYSTEM_OWNER_ID"],
        ),
        lookup_secret=new_lookup_secret(),
        channel=channel,
        procedure_version=version,
        procedure=version.procedure,
        receiving_point=point,
        receiving_agency=point.agency,
        lead_agency=lead_agency_for(version, point),
        applicant=_upsert_applicant(data.applicant, citizen),
        applicant_snapshot=_snapshot(data.applicant),
        representative=data.representative,
        form_data=data.form_data,
        delivery=data.delivery,
        delivery_address=data.delivery_address.strip(),
        citizen=citizen,
        sets=data.sets,
        fee_due_vnd=fees,
        postmarked_at=data.postmarked_at,
    )


def _attach_documents(
    dossier: Dossier, data: IntakeIn, actor: User | None, kind: str = FileKind.SCAN
) -> None:
    version = dossier.procedure_version
    by_position: dict[int | None, DossierDocument] = {}
    for required in version.documents.all():
        by_position[required.position] = DossierDocument.objects.create(
            dossier=dossier,
            requirement=required,
            position=required.position,
            name=required.name,
            form=required.form,
            copies=required.copies,
            provided=required.position in data.provided,
        )
    for upload in data.uploads:
        store_upload(
            dossier=dossier,
            upload=upload,
            kind=kind,
            actor=actor,
            document=by_position.get(upload.document_position),
        )


def _clock(dossier: Dossier, received_at: dt.datetime) -> dict[str, Any]:
    start, due, second = dossier_clock(
        version=dossier.procedure_version,
        channel=dossier.channel,
        point=dossier.receiving_point,
        received_at=received_at,
    )
    return {"clock_started_at": start, "due_at": due, "original_due_at": due, "second_due_at": second}


def _prepare(procedure_code: str, channel: str, point: ServicePoint, data: IntakeIn, now: dt.datetime):
    version = version_in_force(procedure_code, now)
    _check_intake(data, version, channel, point)
    return version


def _paper_channel(channel: str) -> str:
    """Counter and post are the channels an officer handles at the desk; online ones come from the portal."""
    if channel not in (Channel.COUNTER, Channel.POST):
        raise ValidationFailed("Hồ sơ trực tuyến do công dân nộp qua cổng.", code="wrong_channel")
    return channel


@transaction.atomic
def receive_dossier(
    *,
    data: IntakeIn,
    point: ServicePoint,
    actor: User,
    channel: str = Channel.COUNTER,
    now: dt.datetime | None = None,
) -> Dossier:
    """Accept a complete dossier at the counter or from the post: code, appointment, steps, receipt."""
    now = now or timezone.now()
    access.require_counter_officer(actor, point)
    version = _prepare(data.procedure_code, _paper_channel(channel), point, data, now)
    missing = missing_documents(version, data.provided)
    if missing:
        raise ValidationFailed(
            "Hồ sơ còn thiếu: " + "; ".join(missing) + ". Hãy yêu cầu bổ sung hoặc nhận đủ giấy tờ.",
            code="documents_missing",
            fields={"missing": missing},
        )
    dossier = _new_dossier(data=data, version=version, channel=channel, point=point, citizen=None, now=now)
    # Postal dossiers count from the postmark (DOMAIN, Lifecycle 4); counter dossiers from now.
    received_at = data.postmarked_at if channel == Channel.POST and data.postmarked_at else now
    apply_action(
        dossier,
        Action.RECEIVE,
        actor=actor,
        at=now,
        agency=point.agency,
        changes={"received_at": received_at, "received_by": actor, **_clock(dossier, received_at)},
        data={"channel": channel},
    )
    _attach_documents(dossier, data, actor)
    start_processing(dossier, actor=actor, now=now)
    return dossier


@transaction.atomic
def request_completion_at_counter(
    *,
    data: IntakeIn,
    point: ServicePoint,
    actor: User,
    items: list[RequestItem],
    channel: str = Channel.COUNTER,
    now: dt.datetime | None = None,
) -> Dossier:
    """Record an incomplete dossier and the one request listing everything it needs (form 02)."""
    now = now or timezone.now()
    access.require_counter_officer(actor, point)
    version = _prepare(data.procedure_code, _paper_channel(channel), point, data, now)
    dossier = _new_dossier(data=data, version=version, channel=channel, point=point, citizen=None, now=now)
    apply_action(
        dossier,
        Action.REQUEST_COMPLETION,
        actor=actor,
        at=now,
        agency=point.agency,
        changes={"received_by": actor},
    )
    _attach_documents(dossier, data, actor)
    record_completion_request(
        dossier, items=items, actor=actor, agency=point.agency, stage=RequestStage.INTAKE, now=now
    )
    return dossier


@transaction.atomic
def refuse_at_counter(
    *,
    data: IntakeIn,
    point: ServicePoint,
    actor: User,
    reasons: str,
    channel: str = Channel.COUNTER,
    now: dt.datetime | None = None,
) -> Dossier:
    """Refuse a dossier at the counter with reasons (form 03); it keeps a code for the record."""
    now = now or timezone.now()
    access.require_counter_officer(actor, point)
    if not reasons.strip():
        raise ValidationFailed(
            "Cần ghi rõ lý do từ chối.", code="reason_required", fields={"reasons": "required"}
        )
    version = _prepare(data.procedure_code, _paper_channel(channel), point, data, now)
    dossier = _new_dossier(data=data, version=version, channel=channel, point=point, citizen=None, now=now)
    apply_action(
        dossier,
        Action.REFUSE_INTAKE,
        actor=actor,
        at=now,
        agency=point.agency,
        comment=reasons.strip(),
        changes={"received_by": actor, "finished_at": now},
    )
    _attach_documents(dossier, data, actor)
    return dossier


@transaction.atomic
def submit_online(
    *, data: IntakeIn, point: ServicePoint, citizen: User, now: dt.datetime | None = None
) -> Dossier:
    """File a dossier online; it waits for a desk officer to check it."""
    now = now or timezone.now()
    if not citizen.is_authenticated:
        raise ValidationFailed("Cần đăng nhập để nộp hồ sơ trực tuyến.", code="login_required")
    version = _prepare(data.procedure_code, Channel.ONLINE, point, data, now)
    if version.online_level == "none":
        raise ValidationFailed("Thủ tục này chưa cung cấp dịch vụ công trực tuyến.", code="not_online")
    dossier = _new_dossier(
        data=data, version=version, channel=Channel.ONLINE, point=point, citizen=citizen, now=now
    )
    apply_action(
        dossier,
        Action.SUBMIT_ONLINE,
        actor=citizen,
        at=now,
        agency=point.agency,
        changes={"submitted_at": now},
    )
    _attach_documents(dossier, data, citizen)
    return dossier


def _desk_dossier(code: str, actor: User, expected_version: int | None) -> Dossier:
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    if not access.is_counter_officer_of(actor, dossier):
        raise access.not_found(code)
    return dossier


@transaction.atomic
def accept_submission(
    *, code: str, actor: User, expected_version: int | None = None, now: dt.datetime | None = None
) -> Dossier:
    """A desk officer accepts an online dossier: its clock starts by the online rule."""
    now = now or timezone.now()
    dossier = _desk_dossier(code, actor, expected_version)
    if not dossier.files.exists():
        raise ValidationFailed(
            "Hồ sơ trực tuyến chưa có tệp nào; hãy yêu cầu bổ sung.", code="documents_missing"
        )
    # The clock of an online dossier starts when the system recorded it complete: its submission.
    received_at = dossier.submitted_at or now
    apply_action(
        dossier,
        Action.ACCEPT,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency,
        changes={"received_at": received_at, "received_by": actor, **_clock(dossier, received_at)},
    )
    start_processing(dossier, actor=actor, now=now)
    return dossier


@transaction.atomic
def request_completion_of_submission(
    *,
    code: str,
    actor: User,
    items: list[RequestItem],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    now = now or timezone.now()
    dossier = _desk_dossier(code, actor, expected_version)
    apply_action(dossier, Action.REQUEST_COMPLETION, actor=actor, at=now, agency=dossier.receiving_agency)
    record_completion_request(
        dossier, items=items, actor=actor, agency=dossier.receiving_agency, stage=RequestStage.INTAKE, now=now
    )
    return dossier


@transaction.atomic
def refuse_submission(
    *,
    code: str,
    actor: User,
    reasons: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    now = now or timezone.now()
    if not reasons.strip():
        raise ValidationFailed(
            "Cần ghi rõ lý do từ chối.", code="reason_required", fields={"reasons": "required"}
        )
    dossier = _desk_dossier(code, actor, expected_version)
    apply_action(
        dossier,
        Action.REFUSE_INTAKE,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency,
        comment=reasons.strip(),
        changes={"finished_at": now},
    )
    return dossier


def _own_dossier(code: str, citizen: User, expected_version: int | None) -> Dossier:
    dossier = lock_dossier(code)
    if dossier.citizen_id != citizen.pk:
        raise access.not_found(code)
    return lock_dossier(code, expected_version=expected_version)


@transaction.atomic
def complete_submission(
    *,
    code: str,
    citizen: User,
    uploads: list[Upload],
    provided: list[int],
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant sends what the desk asked for; the dossier goes back to the desk's queue."""
    now = now or timezone.now()
    dossier = _own_dossier(code, citizen, expected_version)
    if not uploads:
        raise ValidationFailed("Cần tải lên ít nhất một tệp bổ sung.", code="files_required")
    for upload in uploads:
        check_upload(upload)
    request = dossier.supplement_requests.filter(stage=RequestStage.INTAKE, answered_at__isnull=True).first()
    if request is None:
        raise NotFound("Hồ sơ không có yêu cầu bổ sung đang chờ.", code="no_open_request")
    apply_action(dossier, Action.COMPLETE_SUBMISSION, actor=citizen, at=now, changes={"submitted_at": now})
    documents: dict[int | None, DossierDocument] = {d.position: d for d in dossier.documents.all()}
    for upload in uploads:
        store_upload(
            dossier=dossier,
            upload=upload,
            kind=FileKind.SUPPLEMENT,
            actor=citizen,
            document=documents.get(upload.document_position),
        )
    dossier.documents.filter(position__in=provided).update(provided=True)
    request.answered_at = now
    request.save(update_fields=["answered_at"])
    return dossier


@transaction.atomic
def withdraw_submission(
    *,
    code: str,
    citizen: User,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant withdraws an online dossier before it is accepted."""
    now = now or timezone.now()
    dossier = _own_dossier(code, citizen, expected_version)
    apply_action(
        dossier, Action.WITHDRAW, actor=citizen, at=now, comment=reason.strip(), changes={"finished_at": now}
    )
    return dossier
