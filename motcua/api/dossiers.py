"""/api/v1/dossiers: the work list with filters, intake, one dossier, its stored files and its forms.

Operations on one dossier (one POST each) are in dossiers_actions, under the same prefix; the
intake's file handling is in dossiers_write. Authentication for all of them: a bearer token
(`Authorization: Bearer <key>`, made by `manage.py create_api_token`) for staff and agency software, or
the browser's session with its CSRF token on writes. Writes accept an `Idempotency-Key` header, required
with a token (motcua.api.idempotency).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Literal

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from motcua.api.auth import STAFF_OR_SESSION, session_auth
from motcua.api.dossiers_detail import FormName, dossier_detail, is_late, load_dossier, named, visible_forms
from motcua.api.dossiers_out import (
    READ_ERRORS,
    WRITE_ERRORS,
    ActiveStepOut,
    DossierDetail,
    DossierItem,
    DossierPage,
)
from motcua.api.dossiers_schemas import CounterIntakeIn, Named, OnlineIntakeIn
from motcua.api.dossiers_write import (
    decode_files,
    file_online,
    parse_multipart_data,
    read_parts,
    receive_at_counter,
)
from motcua.api.idempotency import idempotent
from motcua.api.openapi import binary
from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.deadlines import calendar_around
from motcua.dossiers.forms import render_form
from motcua.dossiers.lifecycle import CLOCK_RUNNING
from motcua.dossiers.lifecycle import Status as DossierStatus
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.dossiers.selectors import matching_text
from motcua.org.access import Scope, scope_for
from motcua.org.models import Role, ServicePoint
from motcua.workdays.calendar import VIETNAM_TZ
from motcua.workdays.deadlines import add_working_time

router = Router(tags=["dossiers"], auth=STAFF_OR_SESSION)

StatusName = Literal[
    "submitted",
    "needs_completion",
    "received",
    "in_progress",
    "waiting_supplement",
    "result_ready",
    "returned",
    "refused",
    "stopped",
    "withdrawn",
    "abandoned",
]


class DossierFilters(Schema):
    status: list[StatusName] = Field([], description="One or more statuses (repeat the parameter).")
    agency: str | None = Field(
        None, description="Agency code: the lead agency or one holding an active step."
    )
    holder: Literal["me"] | None = Field(
        None, description="me: active steps assigned to me or held by my agencies (or my desk's return step)."
    )
    late: bool | None = Field(None, description="Past due while the clock runs (received or in processing).")
    due_soon: bool | None = Field(
        None, description="Falls due within one working day, by the office calendar."
    )
    received_from: dt.date | None = Field(None, description="Received on or after this day (Vietnam time).")
    received_to: dt.date | None = Field(None, description="Received on or before this day (Vietnam time).")
    channel: Literal["counter", "post", "online"] | None = None
    procedure: str | None = Field(None, description="Procedure code.", examples=["2.002621"])
    q: str = Field(
        "",
        max_length=100,
        description="With digits: part of a dossier code, or an applicant's ID number. Without: the "
        "applicant's name, every word matched at the start of a word, with or without diacritics and in any "
        "case (`nguyen van` finds Nguyễn Văn An).",
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


def visible_dossiers(user: User, scope: Scope) -> QuerySet[Dossier]:
    """Staff see their scope (access.staff_dossiers); anyone else the dossiers she filed online."""
    if scope.is_staff_member:
        return access.staff_dossiers(user, scope)
    return Dossier.objects.filter(citizen=user)


def _held_by(user: User, scope: Scope) -> Q:
    desk_points = scope.ids_for(Role.COUNTER_OFFICER)
    mine = Q(assigned_to=user) | (Q(agency_id__in=scope.agency_ids) & ~Q(role=Role.COUNTER_OFFICER))
    if desk_points:  # the join is only worth it for counter officers
        mine |= Q(role=Role.COUNTER_OFFICER, dossier__receiving_point_id__in=desk_points)
    steps = DossierStep.objects.filter(status=StepStatus.ACTIVE).filter(mine)
    return Q(pk__in=steps.values("dossier_id"))


def _due_soon(now: dt.datetime) -> Q:
    """Due between now and one working day later, each point by its own office calendar."""
    condition = Q(pk__in=[])
    for calendar_code in ServicePoint.objects.values_list("calendar_code", flat=True).distinct():
        cal = calendar_around(ServicePoint(calendar_code=calendar_code), now)
        horizon = add_working_time(cal, now, Decimal(1), "d")
        condition |= Q(receiving_point__calendar_code=calendar_code, due_at__lte=horizon)
    return condition & Q(due_at__gte=now, status__in=CLOCK_RUNNING)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VIETNAM_TZ)


def filter_dossiers(
    dossiers: QuerySet[Dossier], f: DossierFilters, user: User, scope: Scope
) -> QuerySet[Dossier]:
    now = timezone.now()
    if f.status:
        dossiers = dossiers.filter(status__in=f.status)
    if f.agency:
        held = DossierStep.objects.filter(status=StepStatus.ACTIVE, agency__code=f.agency).values(
            "dossier_id"
        )
        dossiers = dossiers.filter(Q(lead_agency__code=f.agency) | Q(pk__in=held))
    if f.holder == "me":
        dossiers = dossiers.filter(_held_by(user, scope))
    if f.late is not None:
        late = Q(due_at__lt=now, status__in=CLOCK_RUNNING)
        dossiers = dossiers.filter(late) if f.late else dossiers.exclude(late)
    if f.due_soon:
        dossiers = dossiers.filter(_due_soon(now))
    if f.received_from:
        dossiers = dossiers.filter(received_at__gte=_day_start(f.received_from))
    if f.received_to:
        dossiers = dossiers.filter(received_at__lt=_day_start(f.received_to + dt.timedelta(days=1)))
    if f.channel:
        dossiers = dossiers.filter(channel=f.channel)
    if f.procedure:
        dossiers = dossiers.filter(procedure__code=f.procedure)
    q = f.q.strip()
    if q:
        dossiers = dossiers.filter(matching_text(q))
    return dossiers


def _item(dossier: Dossier) -> DossierItem:
    return DossierItem(
        code=dossier.code,
        version=dossier.version,
        status=dossier.status,
        status_label=str(DossierStatus(dossier.status).label),
        channel=dossier.channel,
        procedure=Named(code=dossier.procedure.code, name=dossier.procedure_version.name),
        applicant_name=str(dossier.applicant_snapshot.get("name", "")),
        receiving_point=Named(code=dossier.receiving_point.code, name=dossier.receiving_point.name),
        lead_agency=named(dossier.lead_agency),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        outcome=dossier.outcome,
        late=is_late(dossier),
        active_steps=[
            ActiveStepOut(
                id=s.pk,
                agency=named(s.agency),
                role=s.role,
                assigned_to=s.assigned_to.get_username() if s.assigned_to is not None else None,
                due_at=s.due_at,
            )
            for s in dossier.active_steps  # type: ignore[attr-defined]
        ],
    )


@router.get("", response={200: DossierPage, **READ_ERRORS}, summary="The dossiers I may see, filtered")
def list_dossiers(request: HttpRequest, filters: Query[DossierFilters]) -> DossierPage:
    user: User = request.user  # type: ignore[assignment]
    scope = scope_for(user)
    # Steps held by me or my units are visible by construction, so "mine" skips the visibility OR, which
    # no index can serve (a full scan at a million dossiers; bench/README.md).
    base = (
        Dossier.objects.all()
        if filters.holder == "me" and scope.is_staff_member
        else visible_dossiers(user, scope)
    )
    dossiers = filter_dossiers(base, filters, user, scope)
    count = dossiers.count()
    start = (filters.page - 1) * filters.page_size
    active = DossierStep.objects.filter(status=StepStatus.ACTIVE).select_related("agency", "assigned_to")
    page = (
        dossiers.select_related("procedure", "procedure_version", "receiving_point", "lead_agency")
        .prefetch_related(Prefetch("steps", queryset=active, to_attr="active_steps"))
        .order_by(F("due_at").asc(nulls_last=True), "code")[start : start + filters.page_size]
    )
    return DossierPage(
        count=count,
        page=filters.page,
        page_size=filters.page_size,
        pages=math.ceil(count / filters.page_size),
        items=[_item(d) for d in page],
    )


# Paths without {code} come first: "/multipart" must not be taken for a dossier code.
CREATED = {201: DossierDetail, **WRITE_ERRORS}
Created = Status[DossierDetail]


@router.post("", response=CREATED, summary="Receive a dossier at the counter or from the post")
@idempotent
def receive(request: HttpRequest, body: CounterIntakeIn) -> Created:
    user: User = request.user  # type: ignore[assignment]
    uploads, results = decode_files(body.files, "files"), decode_files(body.result_files, "result_files")
    dossier = receive_at_counter(user, body, uploads, results)
    return Status(201, dossier_detail(user, dossier.code))


@router.post("/multipart", response=CREATED, summary="Receive a dossier, files as multipart parts")
@idempotent
def receive_multipart(
    request: HttpRequest,
    data: Form[str],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    result_files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Created:
    user: User = request.user  # type: ignore[assignment]
    body = parse_multipart_data(data)
    uploads = read_parts(files or [], body.file_positions, "files")
    dossier = receive_at_counter(user, body, uploads, read_parts(result_files or [], [], "result_files"))
    return Status(201, dossier_detail(user, dossier.code))


@router.post("/online", response=CREATED, auth=[session_auth], summary="File a dossier online (citizen)")
@idempotent
def submit_online(request: HttpRequest, body: OnlineIntakeIn) -> Created:
    user: User = request.user  # type: ignore[assignment]
    dossier = file_online(user, body)
    return Status(201, dossier_detail(user, dossier.code))


@router.get("/{code}", response={200: DossierDetail, **READ_ERRORS}, summary="One dossier, as I may see it")
def get_dossier(request: HttpRequest, code: str) -> DossierDetail:
    return dossier_detail(request.user, code)  # type: ignore[arg-type]


@router.get(
    "/{code}/files/{file_id}",
    response=READ_ERRORS,
    summary="Download a stored file of a dossier",
    openapi_extra=binary("The stored file, as an attachment with its original name."),
)
def download_file(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    dossier, _as_staff = load_dossier(request.user, code)  # type: ignore[arg-type]
    stored = dossier.files.filter(pk=file_id).first()
    if stored is None:
        raise NotFound(_("File not found."), code="file_not_found")
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


@router.get(
    "/{code}/forms/{form_name}",
    response=READ_ERRORS,
    summary="One of the dossier's official forms (Circular 03/2025), as PDF",
    openapi_extra=binary("The form, rendered now from the dossier's records.", "application/pdf"),
)
def get_form(request: HttpRequest, code: str, form_name: FormName) -> HttpResponse:
    dossier, as_staff = load_dossier(request.user, code)  # type: ignore[arg-type]
    if form_name not in visible_forms(dossier, as_staff):
        raise NotFound(_("This form is not available for the dossier yet."), code="form_not_available")
    response = HttpResponse(render_form(dossier, form_name), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form_name}.pdf"'
    return response
