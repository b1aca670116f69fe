"""The staff entry: each role lands on its own page; and the staff look-up of dossiers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from motcua.dossiers.selectors import find_dossiers
from motcua.dossiers.views.common import render_page, staff, staff_view, visible_dossiers
from motcua.org.context import AGENCY_ROLES
from motcua.org.models import Role


@staff_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Counter officers go to intake, agency staff to their work, directors to the board."""
    role = staff(request).role
    if role == Role.COUNTER_OFFICER:
        return redirect("dossiers:intake")
    if role in AGENCY_ROLES:
        return redirect("dossiers:work")
    return redirect("dossiers:board")


@staff_view
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Find a dossier by code, or by the applicant's name or ID number, among those you may open.

    The query is posted, never put in the address: an ID number typed here stays out of URLs, the
    browser's history and the access logs.
    """
    query = request.POST.get("q", "").strip() if request.method == "POST" else ""
    results = find_dossiers(visible_dossiers(request), query) if query else []
    return render_page(
        request,
        "dossiers/lookup/page.html",
        "dossiers/lookup/_results.html",
        {"query": query, "results": results},
    )
