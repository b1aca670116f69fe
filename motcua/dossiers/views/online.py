"""Online submissions waiting at the desk: check the files, then accept, ask to complete, or refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import Conflict, DomainError
from motcua.dossiers import services
from motcua.dossiers.access import is_counter_officer_of
from motcua.dossiers.forms_actions import AcceptForm, RefuseForm, SupplementForm
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.selectors import online_waiting
from motcua.dossiers.views.common import (
    acting_user,
    not_found_as_404,
    render_page,
    show_domain_error,
    staff,
    staff_view,
)
from motcua.dossiers.views.dossier import page_context
from motcua.org.models import Role


@staff_view
@require_GET
def online_list(request: HttpRequest) -> HttpResponse:
    """Submitted and completed online dossiers of the officer's points, oldest first."""
    points = staff(request).point_ids(Role.COUNTER_OFFICER)
    if not points:
        raise Http404
    page = Paginator(online_waiting(points), 25).get_page(request.GET.get("trang"))
    return render_page(
        request, "dossiers/online/list.html", "dossiers/online/_list.html", {"page": page, "Status": Status}
    )


def _context(request: HttpRequest, code: str) -> dict[str, Any]:
    context = page_context(request, code)
    dossier = context["dossier"]
    if not is_counter_officer_of(acting_user(request), dossier, staff(request).full_scope):
        raise Http404
    return context


def _forms(context: dict[str, Any], data: Any = None, which: str = "") -> dict[str, forms.Form]:
    dossier = context["dossier"]
    initial = {"expected_version": dossier.version}
    built: dict[str, forms.Form] = {
        "accept": AcceptForm(initial=initial),
        "complete": SupplementForm(initial=initial, documents=context["documents"]),
        "refuse": RefuseForm(initial=initial),
    }
    if data is not None and which == "accept":
        built["accept"] = AcceptForm(data)
    if data is not None and which == "complete":
        built["complete"] = SupplementForm(data, documents=context["documents"])
    if data is not None and which == "refuse":
        built["refuse"] = RefuseForm(data)
    return built


@staff_view
@require_http_methods(["GET", "POST"])
def online_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One online dossier: its files with preview, and the three decisions of the desk."""
    context = _context(request, code)
    dossier = context["dossier"]
    if request.method == "GET":
        return render(request, "dossiers/online/detail.html", {**context, **_forms(context)})
    which = request.POST.get("decision", "")
    built = _forms(context, request.POST, which)
    form = built.get(which)
    if form is None:
        raise Http404
    if form.is_valid():
        actor = acting_user(request)
        version = form.cleaned_data["expected_version"]
        try:
            if which == "accept":
                services.accept_submission(code=code, actor=actor, expected_version=version)
                messages.success(
                    request, _("Accepted. Print the appointment slip for the applicant's records.")
                )
                return redirect("dossiers:dossier", code=code)
            if which == "complete":
                assert isinstance(form, SupplementForm)
                services.request_completion_of_submission(
                    code=code,
                    actor=actor,
                    items=form.request_items,
                    expected_version=version,
                )
                messages.success(
                    request, _("The applicant is asked to complete dossier %(code)s.") % {"code": code}
                )
            else:
                services.refuse_submission(
                    code=code,
                    actor=actor,
                    reasons=form.cleaned_data["reasons"],
                    expected_version=version,
                )
                messages.success(request, _("Dossier %(code)s is refused.") % {"code": code})
            return redirect("dossiers:online")
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("dossiers:online_detail", code=dossier.code)
        except DomainError as exc:
            not_found_as_404(exc)
            show_domain_error(form, exc)
    return render(request, "dossiers/online/detail.html", {**context, **built, "open": which}, status=422)
