"""The counter: find the procedure, check the papers, record the applicant, decide, print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.catalog.fees import fee_breakdown
from motcua.catalog.models import ProcedureVersion
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.deadlines import dossier_clock
from motcua.dossiers.disclosures import record_lookup
from motcua.dossiers.forms_web import IntakeForm
from motcua.dossiers.models import Applicant, Channel, Dossier
from motcua.dossiers.routing import lead_agency_for
from motcua.dossiers.selectors import receivable_procedures
from motcua.dossiers.views import staging
from motcua.dossiers.views.common import (
    acting_user,
    dossier_or_404,
    is_htmx,
    money,
    show_domain_error,
    staff_view,
)
from motcua.dossiers.views.counter import counter_point, receivable_version
from motcua.dossiers.views.digitised import chosen, panel_context, reused_from_form
from motcua.dossiers.views.dossier import form_links
from motcua.org.models import ServicePoint

OUTCOME_SERVICES = {"accept", "request_completion", "refuse", "on_the_spot"}


@dataclass(frozen=True)
class Appointment:
    """What the receipt will promise, computed by the same deadline functions as receive_dossier."""

    received_at: dt.datetime
    starts_at: dt.datetime
    due_at: dt.datetime
    second_due_at: dt.datetime | None
    fees: list[tuple[str, str]]
    total: str

    @property
    def starts_later(self) -> bool:
        return self.starts_at > self.received_at


def appointment(
    version: ProcedureVersion, point: ServicePoint, channel: str, postmark: dt.datetime | None = None
) -> Appointment:
    received = postmark if channel == Channel.POST and postmark else timezone.now()
    start, due, second = dossier_clock(version=version, channel=channel, point=point, received_at=received)
    lines = fee_breakdown(list(version.fees.all()), channel=channel)
    return Appointment(
        received_at=received,
        starts_at=start,
        due_at=due,
        second_due_at=second,
        fees=[(line.name, money(line.amount_vnd)) for line in lines],
        total=money(sum(line.amount_vnd for line in lines)),
    )


def _context(
    request: HttpRequest, point: ServicePoint, form: IntakeForm, nonce: str, **extra: Any
) -> dict[str, Any]:
    version = form.version
    channel = form["channel"].value() or Channel.COUNTER
    context: dict[str, Any] = {
        "point": point,
        "form": form,
        "version": version,
        "nonce": nonce,
        "staged": staging.staged(request, nonce),
        "documents": form.document_rows() if version else [],
        "query": "",
        "results": None,
        # The applicant's digitised documents, with what the officer chose for each (kept on an error).
        **panel_context(
            request,
            {key: form[key].value() for key in ("kind", "id_number", "name")},
            chosen(request.POST) if request.method == "POST" else {},
        ),
        **extra,
    }
    if version is not None:
        try:
            context["lead_agency"] = lead_agency_for(version, point)
            context["appointment"] = appointment(version, point, str(channel), _postmark(form))
        except DomainError as exc:
            context["panel_error"] = exc.message
    return context


def _postmark(form: IntakeForm) -> dt.datetime | None:
    field = form.fields["postmarked_at"]
    try:
        value = field.clean(form["postmarked_at"].value())
    except Exception:
        return None
    return value if isinstance(value, dt.datetime) else None


def _initial(request: HttpRequest) -> dict[str, Any]:
    """Start from a previous dossier's applicant: "another dossier for the same applicant"."""
    code = request.GET.get("nguoi_nop", "")
    if not code:
        return {}
    previous = dossier_or_404(request, code)
    s = previous.applicant_snapshot
    rep = previous.representative or {}
    return {
        "kind": s.get("kind", "person"),
        "id_number": s.get("id_number", ""),
        "name": s.get("name", ""),
        "date_of_birth": s.get("date_of_birth") or None,
        "address": s.get("address", ""),
        "phone": s.get("phone", ""),
        "email": s.get("email", ""),
        "rep_name": rep.get("name", ""),
        "rep_id_number": rep.get("id_number", ""),
        "rep_phone": rep.get("phone", ""),
        "rep_authorisation": rep.get("authorisation", ""),
        "delivery": previous.delivery,
        "delivery_address": previous.delivery_address,
    }


@staff_view
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """The intake page; POST records the officer's decision on the dossier."""
    point = counter_point(request)
    if request.method == "POST":
        return _submit(request, point)
    nonce = staging.new_nonce()
    code = request.GET.get("thu_tuc", "")
    version = receivable_version(code, point)
    initial = {
        "nonce": nonce,
        "procedure_code": version.procedure.code if version else "",
        **_initial(request),
    }
    form = IntakeForm(initial=initial, version=version)
    query = request.GET.get("q", "")
    results = receivable_procedures(point, query) if query else None
    return render(
        request,
        "dossiers/intake/page.html",
        _context(request, point, form, nonce, query=query, results=results),
    )


@staff_view
@require_GET
def procedure_search(request: HttpRequest) -> HttpResponse:
    """Search as you type: procedures this point receives, best matches first, without diacritics."""
    point = counter_point(request)
    query = request.GET.get("q", "").strip()
    results = receivable_procedures(point, query) if query else []
    if not is_htmx(request):
        return redirect(reverse("dossiers:intake") + "?" + urlencode({"q": query}))
    return render(request, "dossiers/intake/_search_results.html", {"results": results, "query": query})


@staff_view
@require_GET
def procedure_panel(request: HttpRequest, code: str) -> HttpResponse:
    """The chosen procedure: its checklist, fees, time limit, appointment and the decisions."""
    point = counter_point(request)
    version = receivable_version(code, point)
    if version is None:
        raise Http404
    if not is_htmx(request):
        return redirect(reverse("dossiers:intake") + "?" + urlencode({"thu_tuc": code}))
    nonce = request.GET.get("nonce", "")
    nonce = nonce if staging.valid_nonce(nonce) else staging.new_nonce()
    form = IntakeForm(initial={"nonce": nonce, "procedure_code": code}, version=version)
    context = _context(request, point, form, nonce, oob=True)
    response = render(request, "dossiers/intake/_procedure_panel.html", context)
    response["HX-Trigger"] = "procedure-picked"
    return response


@staff_view
@require_GET
def appointment_preview(request: HttpRequest) -> HttpResponse:
    """Recompute the appointment as the officer changes the channel or the postmark."""
    point = counter_point(request)
    version = receivable_version(request.GET.get("procedure_code", ""), point)
    if version is None:
        raise Http404
    form = IntakeForm(request.GET, version=version)
    channel = request.GET.get("channel", Channel.COUNTER)
    if channel not in (Channel.COUNTER, Channel.POST):
        channel = Channel.COUNTER
    try:
        context: dict[str, Any] = {"appointment": appointment(version, point, channel, _postmark(form))}
    except DomainError as exc:
        context = {"panel_error": exc.message}
    return render(request, "dossiers/intake/_appointment.html", {**context, "version": version})


@staff_view
@require_POST  # the ID number travels in the body, never in a URL or an access log
def applicant_lookup(request: HttpRequest) -> HttpResponse:
    """Find a returning applicant by ID number and fill in what the officer has not typed yet."""
    counter_point(request)
    id_number = "".join(request.POST.get("id_number", "").split())
    kind = request.POST.get("kind", "person")
    found = None
    if id_number.isdigit() and 9 <= len(id_number) <= 13:
        found = Applicant.objects.filter(kind=kind, id_number=id_number).first()
    typed = {key: request.POST.get(key, "") for key in ("name", "date_of_birth", "address", "phone", "email")}
    values = dict(typed)
    if found is not None:
        record_lookup(acting_user(request), found)
        known = {
            "name": found.name,
            "date_of_birth": found.date_of_birth.isoformat() if found.date_of_birth else "",
            "address": found.address,
            "phone": found.phone,
            "email": found.email,
        }
        values = {key: typed[key] or known[key] for key in typed}
    form = IntakeForm(initial=values)
    response = render(
        request,
        "dossiers/intake/_applicant_found.html",
        {"found": found, "form": form, "filled": values != typed},
    )
    # The panel of digitised documents follows, with the name as filled in now.
    response["HX-Trigger-After-Settle"] = "applicant-looked-up"
    return response


def _staged_response(
    request: HttpRequest, point: ServicePoint, nonce: str, errors: list[str]
) -> HttpResponse:
    version = receivable_version(request.POST.get("procedure_code", ""), point)
    documents = list(version.documents.all()) if version else []
    return render(
        request,
        "dossiers/intake/_staged_files.html",
        {
            "staged": staging.staged(request, nonce),
            "nonce": nonce,
            "documents": documents,
            "upload_errors": errors,
        },
    )


@staff_view
@require_http_methods(["POST"])
def stage_files(request: HttpRequest) -> HttpResponse:
    """Receive scans while the officer fills the form; each is checked as the service will."""
    point = counter_point(request)
    nonce = request.POST.get("nonce", "")
    if not staging.valid_nonce(nonce):
        raise Http404
    staging.set_positions(request, nonce, request.POST)
    errors = staging.stage(request, nonce, request.FILES.getlist("files"))
    return _staged_response(request, point, nonce, errors)


@staff_view
@require_http_methods(["POST"])
def unstage_file(request: HttpRequest) -> HttpResponse:
    point = counter_point(request)
    nonce = request.POST.get("nonce", "")
    if not staging.valid_nonce(nonce):
        raise Http404
    staging.set_positions(request, nonce, request.POST)
    staging.remove(request, nonce, request.POST.get("token", ""))
    return _staged_response(request, point, nonce, [])


def _already_done(user: Any, nonce: str) -> Dossier | None:
    """The dossier a form with this nonce already made (a double click, a resent form)."""
    return Dossier.objects.filter(received_by=user, form_data__intake_nonce=nonce).only("code").first()


def _decide(
    form: IntakeForm,
    point: ServicePoint,
    actor: User,
    uploads: list[Any],
    nonce: str,
    reused: list[services.Reused],
) -> Dossier:
    # IntakeIn has no idempotency key: the nonce rides in form_data, where _already_done finds it.
    data = replace(form.intake_in(uploads), form_data={"intake_nonce": nonce}, reused=reused)
    outcome = form.cleaned_data["outcome"]
    if outcome == "request_completion":
        return services.request_completion_at_counter(data=data, point=point, actor=actor, items=form.items())
    if outcome == "refuse":
        return services.refuse_at_counter(
            data=data, point=point, actor=actor, reasons=form.cleaned_data["refuse_reasons"]
        )
    if outcome == "on_the_spot":
        return services.handle_on_the_spot(
            data=data, point=point, actor=actor, comment=form.cleaned_data.get("comment", "")
        )
    return services.receive_dossier(data=data, point=point, actor=actor, channel=form.cleaned_data["channel"])


def _submit(request: HttpRequest, point: ServicePoint) -> HttpResponse:
    nonce = request.POST.get("nonce", "")
    if not staging.valid_nonce(nonce):
        nonce = staging.new_nonce()
    version = receivable_version(request.POST.get("procedure_code", ""), point)
    form = IntakeForm(request.POST, version=version)
    # Files sent with the form itself (no JavaScript) are kept too, so an error never loses them.
    staging.set_positions(request, nonce, request.POST)
    upload_errors = staging.stage(request, nonce, request.FILES.getlist("files"))
    valid = form.is_valid()
    if version is None and form["procedure_code"].value():
        form.add_error(None, _("This procedure is not in force or not received here. Search again."))
        valid = False
    if valid and not upload_errors:
        actor = acting_user(request)
        try:
            with transaction.atomic():
                # One officer's submissions run one at a time, so a double click finds the first dossier.
                User.objects.select_for_update().filter(pk=actor.pk).first()
                dossier = _already_done(actor, nonce)
                if dossier is not None:
                    messages.info(
                        request, _("This form was already sent: dossier %(code)s.") % {"code": dossier.code}
                    )
                    return redirect("dossiers:intake_done", code=dossier.code)
                with staging.opened_uploads(request, nonce) as uploads:
                    dossier = _decide(form, point, actor, uploads, nonce, reused_from_form(request.POST))
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            staging.clear(request, nonce)
            return redirect("dossiers:intake_done", code=dossier.code)
    context = _context(request, point, form, nonce, upload_errors=upload_errors)
    return render(request, "dossiers/intake/page.html", context, status=422)


@staff_view
@require_GET
def intake_done(request: HttpRequest, code: str) -> HttpResponse:
    """What was decided, the forms to print, and the way to the next dossier of the same applicant."""
    dossier = dossier_or_404(request, code)
    return render(
        request, "dossiers/intake/done.html", {"dossier": dossier, "forms_ready": form_links(dossier)}
    )
