"""Citizen pages: thin views (access, form, one service, render), htmx partials for htmx requests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.errors import DomainError


def is_htmx(request: HttpRequest) -> bool:
    """Tell an htmx swap from a page load (a boosted link or a history restore wants the whole page)."""
    headers = request.headers
    whole_page = headers.get("HX-Boosted") == "true" or headers.get("HX-History-Restore-Request") == "true"
    return headers.get("HX-Request") == "true" and not whole_page


def page_or_partial(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render the partial for htmx and the full page otherwise, from the same context."""
    return render(request, partial if is_htmx(request) else page, context, status=status)


def show_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's Vietnamese message on the form, on the field it names when the form has it."""
    placed = False
    for name, detail in error.fields.items():
        field = name.removeprefix("applicant.")
        if field in form.fields and isinstance(detail, str) and " " in detail:
            form.add_error(field, detail)
            placed = True
    if not placed:
        form.add_error(None, error.message)
