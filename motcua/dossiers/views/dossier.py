"""The dossier page: who filed it, its papers, its steps, its history, and what you may do now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from motcua.core.errors import DomainError
from motcua.dossiers.forms import available_forms, render_form
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, FileKind, Outcome, StoredFile
from motcua.dossiers.pdf import FormName
from motcua.dossiers.selectors import dossier_for_page, horizon, timeline
from motcua.dossiers.views.allowed import Allowed, allowed_for
from motcua.dossiers.views.common import (
    acting_user,
    is_htmx,
    money,
    render_page,
    staff,
    staff_view,
    visible_dossiers,
)
from motcua.notify.selectors import deliveries_for_dossier
from motcua.org.models import Role
from motcua.signing.rules import may_seal
from motcua.signing.selectors import annotate_files, scans_to_sign

FORM_LABELS = {
    FormName.RECEIPT: _("Appointment slip"),
    FormName.SUPPLEMENT_REQUEST: _("Request to complete the dossier"),
    FormName.REFUSAL: _("Refusal slip"),
    FormName.APOLOGY: _("Apology letter"),
    FormName.STOP_NOTICE: _("Stop notice"),
    FormName.CONTROL_SHEET: _("Process control sheet"),
}
# The form the officer prints first after each decision.
FIRST_FORM = {
    Status.NEEDS_COMPLETION: FormName.SUPPLEMENT_REQUEST,
    Status.WAITING_SUPPLEMENT: FormName.SUPPLEMENT_REQUEST,
    Status.REFUSED: FormName.REFUSAL,
    Status.STOPPED: FormName.STOP_NOTICE,
}
TIMELINE_DETAILS: dict[str, tuple[str, ...]] = {
    Action.HAND_OVER: ("method", "tracking_number", "recipient"),
    Action.ASSIGN_STEP: ("assignee",),
    Action.SIGN_FILE: ("file",),
    Action.RENEW_ARCHIVE: ("file",),
}


def form_links(dossier: Dossier) -> list[tuple[str, str]]:
    """The forms this dossier has, the one just made first, each with its label."""
    names = available_forms(dossier)
    first = FIRST_FORM.get(Status(dossier.status)) if dossier.status in Status.values else None
    ordered = sorted(names, key=lambda n: (n != first, names.index(n)))
    return [(name, str(FORM_LABELS.get(FormName(name), name))) for name in ordered]


@dataclass(frozen=True)
class Branch:
    key: str
    agency: str
    steps: list[DossierStep]


@dataclass(frozen=True)
class Stage:
    number: int
    branches: list[Branch]

    @property
    def parallel(self) -> bool:
        return len(self.branches) > 1


def stages_of(steps: list[DossierStep]) -> list[Stage]:
    """Group steps by stage, and a stage's parallel branches side by side."""
    grouped: dict[int, dict[str, list[DossierStep]]] = {}
    for step in steps:
        step.role_label = str(Role(step.role).label) if step.role in Role.values else step.role  # type: ignore[attr-defined]
        grouped.setdefault(step.stage, {}).setdefault(step.branch, []).append(step)
    return [
        Stage(
            number=number,
            branches=[Branch(key=k, agency=v[0].agency.name, steps=v) for k, v in sorted(branches.items())],
        )
        for number, branches in sorted(grouped.items())
    ]


def event_details(event: DossierEvent) -> list[tuple[str, str]]:
    data = event.data or {}
    details = [(key, str(data[key])) for key in TIMELINE_DETAILS.get(event.action, ()) if data.get(key)]
    if event.action == Action.COMPLETE_STEP and data.get("outcome") in Outcome.values:
        details.append(("outcome", str(Outcome(data["outcome"]).label)))
    if event.action == Action.REQUEST_SUPPLEMENT:
        details += [("item", f"{i.get('name')}: {i.get('reason')}") for i in data.get("items", [])]
    if event.action == Action.ISSUE_APOLOGY and data.get("new_due_at"):
        details.append(("new_due_at", str(data["new_due_at"])[:16].replace("T", " ")))
    details += [
        ("reused", _("%(document)s: digitised document of dossier %(dossier)s") % item)
        for item in data.get("reused", [])
    ]
    return details


def _action_label(action: str) -> str:
    return str(Action(action).label) if action in Action.values else action


def page_context(request: HttpRequest, code: str, **extra: Any) -> dict[str, Any]:
    """Everything the dossier page shows; the action views render it again after a change."""
    dossier = dossier_for_page(visible_dossiers(request), code)
    if dossier is None:
        raise Http404
    steps = list(dossier.steps.all())
    allowed: Allowed = allowed_for(acting_user(request), staff(request).full_scope, dossier, steps)
    running = dossier.status in (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_SUPPLEMENT)
    events = timeline(dossier)
    files = list(dossier.files.all())
    documents = list(dossier.documents.all())
    user, scope = acting_user(request), staff(request).full_scope
    every_file = [*files, *(f for d in documents for f in d.files.all())]
    annotate_files(every_file, user=user, scope=scope, dossier=dossier)
    return {
        "dossier": dossier,
        "version": dossier.procedure_version,
        "applicant": dossier.applicant_snapshot,
        "representative": dossier.representative or {},
        "stages": stages_of(steps),
        "allowed": allowed,
        "urgency": horizon().urgency(dossier.due_at, dossier.status == Status.WAITING_SUPPLEMENT)
        if running
        else None,
        "events": [(e, _action_label(e.action), event_details(e)) for e in events],
        "documents": documents,
        "loose_files": [f for f in files if f.document_id is None and f.kind != FileKind.RESULT],
        "result_files": [f for f in files if f.kind == FileKind.RESULT],
        "forms_ready": form_links(dossier),
        "fee_due": money(dossier.fee_due_vnd),
        "requests": list(dossier.supplement_requests.all()),
        "deliveries": deliveries_for_dossier(dossier),
        # Only the handling agency's staff seal its results (signing/rules.py).
        "may_seal": may_seal(user, scope, dossier),
        "scans_to_sign": scans_to_sign(every_file),
        **extra,
    }


@staff_view
@require_GET
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "dossiers/dossier/page.html", page_context(request, code))


@staff_view
@require_GET
def dossier_timeline(request: HttpRequest, code: str) -> HttpResponse:
    """The history of events: htmx refreshes the partial, a full request gets the page."""
    return render_page(
        request, "dossiers/dossier/page.html", "dossiers/dossier/_timeline.html", page_context(request, code)
    )


def _stored_file(request: HttpRequest, code: str, file_id: int) -> StoredFile:
    dossier = visible_dossiers(request).filter(code=code).only("pk").first()
    stored = StoredFile.objects.filter(pk=file_id, dossier=dossier).first() if dossier else None
    if stored is None:
        raise Http404
    return stored


@staff_view
@require_GET
@xframe_options_sameorigin
def dossier_file(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    """Stream a stored file inline, with the type sniffed at upload, for the in-page preview."""
    stored = _stored_file(request, code, file_id)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=stored.content_type, filename=stored.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response


@staff_view
@require_GET
def file_preview(request: HttpRequest, code: str, file_id: int) -> HttpResponse:
    stored = _stored_file(request, code, file_id)
    context = {"dossier_code": code, "file": stored}
    if not is_htmx(request):
        return render(request, "dossiers/dossier/preview_page.html", context)
    return render(request, "dossiers/dossier/_preview.html", context)


@staff_view
@require_GET
def form_pdf(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """Render one of the dossier's forms to PDF, shown in the browser to print."""
    dossier = visible_dossiers(request).filter(code=code).first()
    if dossier is None or name not in available_forms(dossier):
        raise Http404
    try:
        content = render_form(dossier, name)
    except DomainError:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{dossier.code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
