"""The citizen's own dossiers: list, detail, supplement, withdraw, stop, receipt and result downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError, NotFound, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.access import get_dossier_for_citizen
from motcua.dossiers.applicant_documents import citizen_documents
from motcua.dossiers.forms import render_form
from motcua.dossiers.models import Dossier, RequestStage
from motcua.dossiers.pdf import FormName
from motcua.dossiers.uploads import Upload
from motcua.portal.access import citizen_required
from motcua.portal.forms import ReasonForm
from motcua.portal.selectors.dossiers import (
    citizen_dossiers,
    dossier_view,
    open_request,
    result_file,
    result_files,
)

PAGE_SIZE = 20


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _own(request: HttpRequest, code: str) -> Dossier:
    try:
        return get_dossier_for_citizen(_user(request), code)
    except NotFound:
        raise Http404 from None


@citizen_required
@require_GET
def my_dossiers(request: HttpRequest) -> HttpResponse:
    page = Paginator(citizen_dossiers(_user(request)), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "portal/dossiers/list.html", {"page": page})


def _detail(request: HttpRequest, dossier: Dossier, status: int = 200, **extra: Any) -> HttpResponse:
    pending = open_request(dossier)
    context = {
        "view": dossier_view(dossier, for_applicant=True),
        "dossier": dossier,
        "request_open": pending,
        # Her digitised documents, offered for each requested item instead of a new upload.
        "digitised": citizen_documents(_user(request)) if pending is not None else [],
        "results": result_files(dossier),
        "documents": dossier.documents.prefetch_related("files").order_by("position"),
        "reason_form": ReasonForm(),
        "can_receipt": dossier.received_at is not None,
    } | extra
    return render(request, "portal/dossiers/detail.html", context, status=status)


@citizen_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _detail(request, _own(request, code))


def _uploads(request: HttpRequest) -> tuple[list[Upload], list[int]]:
    """Wrap files posted as files-<position> (a listed document) or files-other, read later in chunks."""
    uploads: list[Upload] = []
    for key in request.FILES:
        position = key.removeprefix("files-")
        number = int(position) if position.isdigit() else None
        for upload in request.FILES.getlist(key):
            uploads.append(Upload.from_file(upload, name=upload.name or "tep", document_position=number))
    provided = sorted({u.document_position for u in uploads if u.document_position is not None})
    return uploads, provided


def _reused(request: HttpRequest) -> list[services.Reused]:
    """The digitised documents chosen as reused-<position> = file id; the service checks they are hers."""
    found = []
    for key in request.POST:
        position, value = key.removeprefix("reused-"), request.POST.get(key, "")
        if key.startswith("reused-") and position.isdigit() and value.isdigit():
            found.append(services.Reused(position=int(position), file_id=int(value)))
    return found


@citizen_required
@require_POST
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Answer the desk's request before acceptance, or the agency's request during processing."""
    dossier = _own(request, code)
    pending = open_request(dossier)
    uploads, provided = _uploads(request)
    reused = _reused(request)
    try:
        if pending is None:
            raise NotFound(_("There is no open request for this dossier."), code="no_open_request")
        if pending.stage == RequestStage.INTAKE:
            services.complete_submission(
                code=code, citizen=_user(request), uploads=uploads, provided=provided, reused=reused
            )
        else:
            services.receive_supplement(
                code=code, actor=_user(request), uploads=uploads, provided=provided, reused=reused
            )
    except DomainError as error:
        return _detail(request, dossier, status=422, supplement_error=error.message)
    messages.success(request, _("Your documents have been sent."))
    return redirect("portal:dossier", code=code)


@citizen_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Check the reason you typed."))
        services.withdraw_submission(code=code, citizen=_user(request), reason=form.cleaned_data["reason"])
    except DomainError as error:
        return _detail(request, dossier, status=422, action_error=error.message, reason_form=form)
    messages.success(request, _("Your dossier has been withdrawn."))
    return redirect("portal:dossier", code=code)


@citizen_required
@require_POST
def stop(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Check the reason you typed."))
        services.stop_dossier(code=code, actor=_user(request), reason=form.cleaned_data["reason"])
    except DomainError as error:
        return _detail(request, dossier, status=422, action_error=error.message, reason_form=form)
    messages.success(request, _("The handling of your dossier has been stopped at your request."))
    return redirect("portal:dossier", code=code)


@citizen_required
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    try:
        content = render_form(dossier, FormName.RECEIPT)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-hen-{dossier.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
@require_GET
def result(request: HttpRequest, code: str, sha256: str) -> FileResponse:
    stored = result_file(_own(request, code), sha256)
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name)
    response["Cache-Control"] = "private, no-store"
    return response
