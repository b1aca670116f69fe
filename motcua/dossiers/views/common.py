"""What every staff view shares: who may enter, htmx partials, domain errors shown on forms."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import User
from motcua.dossiers.access import staff_dossiers
from motcua.dossiers.models import Dossier
from motcua.org.context import StaffSession, staff_session

View = Callable[..., HttpResponseBase]


def staff_view(view: View) -> View:
    """Anonymous → sign-in page; signed in without a staff role → 404, like anything not yours."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not staff_session(request).is_staff_member:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def staff(request: HttpRequest) -> StaffSession:
    return staff_session(request)


def acting_user(request: HttpRequest) -> User:
    """The signed-in staff member (staff_view has let only such a person in)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def money(amount: int) -> str:
    """Format VND the Vietnamese way: 1.250.000 đ."""
    return f"{amount:,}".replace(",", ".") + " đ"


def is_htmx(request: HttpRequest) -> bool:
    """A request made by htmx for a fragment (history restores want the whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render_page(
    request: HttpRequest,
    page: str,
    partial: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """Same view, same context: htmx gets the partial, a full request the page that includes it."""
    return render(request, partial if is_htmx(request) else page, context, status=status)


def visible_dossiers(request: HttpRequest) -> QuerySet[Dossier]:
    """Every dossier the user may open, in all her roles (the access rule of get_dossier_for_staff)."""
    return staff_dossiers(acting_user(request), staff(request).full_scope)


def dossier_or_404(request: HttpRequest, code: str) -> Dossier:
    dossier = (
        visible_dossiers(request)
        .select_related("procedure_version", "receiving_point", "receiving_agency", "lead_agency")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


# Service field keys → form field names, so a refusal lands next to the input it is about.
SERVICE_FIELDS = {
    "applicant.name": "name",
    "applicant.id_number": "id_number",
    "delivery": "delivery",
    "delivery_address": "delivery_address",
    "channel": "channel",
    "postmarked_at": "postmarked_at",
    "sets": "sets",
    "provided": "provided",
    "reason": "reason",
    "reasons": "reasons",
    "tracking_number": "tracking_number",
}


def show_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put the service's message at the top of the form, and field messages next to their inputs."""
    form.add_error(None, exc.message)
    for key, value in exc.fields.items():
        name = SERVICE_FIELDS.get(key)
        if name in form.fields and isinstance(value, str) and value != "required":
            form.add_error(name, value)


def not_found_as_404(exc: DomainError) -> None:
    """A NotFound from a service means "not yours" as much as "missing": answer 404 for both."""
    if isinstance(exc, NotFound) and exc.code in {"dossier_not_found", "service_point_not_found"}:
        raise Http404 from exc
