"""Online filing wizard: where, who, documents, delivery, review, submit; state kept in the session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.catalog.choices import Channel
from motcua.catalog.fees import compute_fees
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import version_in_force
from motcua.core.errors import DomainError, NotFound
from motcua.core.models import User
from motcua.dossiers.access import get_dossier_for_citizen
from motcua.dossiers.applicant_documents import citizen_documents
from motcua.dossiers.models import Applicant, Delivery
from motcua.dossiers.uploads import max_upload_bytes
from motcua.portal import filing
from motcua.portal.access import citizen_required
from motcua.portal.filing import FilingState
from motcua.portal.forms import ApplicantForm, DeliveryForm, PointForm, ReviewForm
from motcua.portal.models import DraftFile
from motcua.portal.selectors.catalog import receiving_points
from motcua.portal.views import is_htmx, show_error


@dataclass
class Wizard:
    """One request's view of the wizard: the version filed, the choices so far, the files kept."""

    request: HttpRequest
    version: ProcedureVersion
    state: FilingState
    drafts: list[DraftFile]

    @property
    def code(self) -> str:
        return self.version.procedure.code

    def save(self) -> None:
        filing.save_state(self.request.session, self.code, self.state)

    def render(self, step: int, context: dict[str, Any]) -> HttpResponse:
        base = {"version": self.version, "step": step, "steps": filing.STEPS, "code": self.code}
        return render(self.request, f"portal/filing/step{step}.html", base | context)

    def go(self, step: int) -> HttpResponse:
        return redirect("portal:filing_step", code=self.code, step=step)

    @property
    def first_missing_step(self) -> int | None:
        return self.state.first_missing_step(bool(self.drafts))


def _online_version(code: str) -> ProcedureVersion:
    try:
        version = version_in_force(code, timezone.now())
    except NotFound:
        raise Http404 from None
    if not version.channel_online or version.online_level == "none":
        raise Http404
    return version


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _point_choices(version: ProcedureVersion) -> list[tuple[str, str]]:
    return [(p.code, f"{p.name} — {p.address}" if p.address else p.name) for p in receiving_points(version)]


def _where(w: Wizard) -> HttpResponse:
    choices = _point_choices(w.version)
    form = PointForm(w.request.POST or None, points=choices, initial={"point": w.state.point})
    if w.request.method == "POST" and form.is_valid():
        w.state.point = form.cleaned_data["point"]
        w.save()
        return w.go(2)
    return w.render(1, {"form": form})


def _prefill(user: User) -> dict[str, Any]:
    last = Applicant.objects.filter(user=user, kind="person").order_by("-updated_at").first()
    return {
        "name": user.full_name or (last.name if last else ""),
        "id_number": last.id_number if last else "",
        "date_of_birth": last.date_of_birth if last else None,
        "address": last.address if last else "",
        "phone": user.phone or (last.phone if last else ""),
        "email": user.email or (last.email if last else ""),
    }


def _who(w: Wizard) -> HttpResponse:
    form = ApplicantForm(w.request.POST or None, initial=w.state.applicant or _prefill(_user(w.request)))
    if w.request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        w.state.applicant = {
            k: (v.isoformat() if hasattr(v, "isoformat") else str(v or "")) for k, v in data.items()
        }
        w.save()
        return w.go(3)
    return w.render(2, {"form": form})


def _documents_context(w: Wizard) -> dict[str, Any]:
    """Each listed document with its uploads and the digitised documents chosen for it."""
    digitised = citizen_documents(_user(w.request))
    chosen = filing.chosen_documents(w.state, digitised)
    rows = [
        (doc, [d for d in w.drafts if d.position == doc.position], chosen.get(doc.position, []))
        for doc in w.version.documents.all()
    ]
    return {
        "rows": rows,
        "drafts": w.drafts,
        "digitised": digitised,
        "max_mb": max_upload_bytes() // (1024 * 1024),
    }


def _documents(w: Wizard) -> HttpResponse:
    error = ""
    if w.request.method == "POST":
        if w.drafts or w.state.reused:
            return w.go(4)
        error = _("Attach at least one file, or use a digitised document, before you continue.")
    return w.render(3, _documents_context(w) | {"step_error": error})


def _delivery(w: Wizard) -> HttpResponse:
    initial = {"delivery": w.state.delivery or Delivery.ONLINE, "delivery_address": w.state.delivery_address}
    form = DeliveryForm(w.request.POST or None, initial=initial)
    if w.request.method == "POST" and form.is_valid():
        delivery = form.cleaned_data["delivery"]
        contact = w.state.applicant.get("email") or w.state.applicant.get("phone")
        if delivery == Delivery.ONLINE and not contact:
            form.add_error("delivery", _("Online delivery needs your e-mail or phone number (step 2)."))
        else:
            w.state.delivery = delivery
            address = form.cleaned_data["delivery_address"].strip()
            w.state.delivery_address = address if delivery == Delivery.POST else ""
            w.save()
            return w.go(5)
    return w.render(4, {"form": form})


def _review_context(w: Wizard) -> dict[str, Any]:
    points = {p.code: p for p in receiving_points(w.version)}
    attached = {f.position for f in w.drafts} | {position for position, _sha in w.state.reused}
    documents = w.version.documents.all()
    missing = [d for d in documents if d.required and d.form != "shown" and d.position not in attached]
    delivery = w.state.delivery
    return {
        "state": w.state,
        "point": points.get(w.state.point),
        "delivery_label": Delivery(delivery).label if delivery in Delivery.values else "",
        "fee_online": compute_fees(list(w.version.fees.all()), channel=Channel.ONLINE),
        "missing": missing,
    } | _documents_context(w)


def _review(w: Wizard) -> HttpResponse:
    if not w.state.nonce:
        w.state.nonce = filing.new_nonce()
        w.save()
    form = ReviewForm(initial={"nonce": w.state.nonce})
    return w.render(5, _review_context(w) | {"form": form})


HANDLERS: dict[int, Callable[[Wizard], HttpResponse]] = {
    1: _where,
    2: _who,
    3: _documents,
    4: _delivery,
    5: _review,
}


def _wizard(request: HttpRequest, code: str) -> Wizard:
    version = _online_version(code)
    state = filing.load_state(request.session, code)
    return Wizard(request, version, state, filing.draft_files(_user(request), code))


@citizen_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    _online_version(code)
    return redirect("portal:filing_step", code=code, step=1)


@citizen_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, code: str, step: int) -> HttpResponse:
    if step not in HANDLERS:
        raise Http404
    wizard = _wizard(request, code)
    missing = wizard.first_missing_step
    if missing is not None and missing < step:
        return wizard.go(missing)
    return HANDLERS[step](wizard)


@citizen_required
@require_POST
def upload(request: HttpRequest, code: str, position: int) -> HttpResponse:
    """Attach files to one listed document; htmx gets that document's block, others the step page."""
    version = _online_version(code)
    document = version.documents.filter(position=position).first()
    if document is None:
        raise Http404
    error = ""
    files = request.FILES.getlist("files")
    try:
        if not files:
            error = _("Choose one or more files first.")
        else:
            filing.add_draft_files(user=_user(request), code=code, position=position, files=files)
    except DomainError as failure:
        error = failure.message
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("portal:filing_step", code=code, step=3)
    return _document_block(request, version, document, error)


@citizen_required
@require_POST
def remove(request: HttpRequest, code: str, position: int, token: str) -> HttpResponse:
    version = _online_version(code)
    filing.remove_draft_file(user=_user(request), code=code, token=token)
    if not is_htmx(request):
        return redirect("portal:filing_step", code=code, step=3)
    return _document_block(request, version, _listed(version, position))


def _listed(version: ProcedureVersion, position: int) -> Any:
    document = version.documents.filter(position=position).first()
    if document is None:
        raise Http404
    return document


def _document_block(
    request: HttpRequest, version: ProcedureVersion, document: Any, error: str = ""
) -> HttpResponse:
    """One listed document's block of step 3, for htmx: its uploads, the digitised documents chosen."""
    code = version.procedure.code
    digitised = citizen_documents(_user(request))
    state = filing.load_state(request.session, code)
    context = {
        "doc": document,
        "files": [d for d in filing.draft_files(_user(request), code) if d.position == document.position],
        "chosen": filing.chosen_documents(state, digitised).get(document.position, []),
        "digitised": digitised,
        "code": code,
        "error": error,
    }
    return render(request, "portal/filing/_document.html", context, status=422 if error else 200)


@citizen_required
@require_POST
def reuse(request: HttpRequest, code: str, position: int) -> HttpResponse:
    """Use one of the citizen's digitised documents for a listed document instead of uploading it."""
    version = _online_version(code)
    document = _listed(version, position)
    state = filing.load_state(request.session, code)
    error = ""
    try:
        filing.reuse_document(
            citizen=_user(request), state=state, position=position, sha256=request.POST.get("sha256", "")
        )
    except DomainError as failure:
        error = failure.message
    else:
        filing.save_state(request.session, code, state)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect("portal:filing_step", code=code, step=3)
    return _document_block(request, version, document, error)


@citizen_required
@require_POST
def unreuse(request: HttpRequest, code: str, position: int, sha256: str) -> HttpResponse:
    version = _online_version(code)
    document = _listed(version, position)
    state = filing.load_state(request.session, code)
    filing.drop_reused(state, position, sha256)
    filing.save_state(request.session, code, state)
    if not is_htmx(request):
        return redirect("portal:filing_step", code=code, step=3)
    return _document_block(request, version, document)


@citizen_required
@require_POST
def submit(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    form = ReviewForm(request.POST)
    nonce = request.POST.get("nonce", "")
    already = filing.submitted_code(user, nonce) if nonce else None
    if already:
        return redirect("portal:filing_done", dossier=already)
    w = _wizard(request, code)
    if w.first_missing_step is not None or nonce != w.state.nonce:
        return w.go(5)
    if form.is_valid():
        point = next((p for p in receiving_points(w.version) if p.code == w.state.point), None)
        try:
            if point is None:
                raise NotFound(_("Choose a service point that receives this procedure."), code="point")
            names = {d.position: d.name for d in w.version.documents.all()}
            dossier_code = filing.file_online(
                citizen=user, code=code, state=w.state, point=point, nonce=nonce, names=names
            )
        except DomainError as error:
            show_error(form, error)
        else:
            filing.clear_state(request.session, code)
            return redirect("portal:filing_done", dossier=dossier_code)
    return w.render(5, _review_context(w) | {"form": form})


@citizen_required
def done(request: HttpRequest, dossier: str) -> HttpResponse:
    try:
        found = get_dossier_for_citizen(_user(request), dossier)
    except NotFound:
        raise Http404 from None
    return render(request, "portal/filing/done.html", {"dossier": found})
