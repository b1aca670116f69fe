"""Citizen sign-up and sign-in with a one-time code sent to a phone number or an e-mail address."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError
from motcua.dossiers.lookup import client_ip
from motcua.portal.accounts import account_for
from motcua.portal.forms import CodeForm, IdentifierForm
from motcua.portal.identity import challenge_provider
from motcua.portal.views import show_error

PENDING = "portal:otp"


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("portal:my_dossiers")


def _start(request: HttpRequest, *, sign_up: bool) -> HttpResponse:
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_next_url(request, request.GET.get("next")))
    form = IdentifierForm(request.POST or None)
    if sign_up:
        form.fields["full_name"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            identifier = challenge_provider().send_challenge(
                identifier=form.cleaned_data["identifier"], ip=client_ip(request)
            )
        except DomainError as error:
            show_error(form, error)
        else:
            request.session[PENDING] = {
                "identifier": identifier,
                "full_name": form.cleaned_data["full_name"].strip(),
                "next": _next_url(request, request.POST.get("next") or request.GET.get("next")),
            }
            return redirect("portal:verify")
    context: dict[str, Any] = {"form": form, "sign_up": sign_up, "next": request.GET.get("next", "")}
    return render(request, "portal/account/start.html", context)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    return _start(request, sign_up=False)


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    return _start(request, sign_up=True)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("portal:sign_in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identity = challenge_provider().verify(
                identifier=pending["identifier"], answer=form.cleaned_data["code"]
            )
            user = account_for(identity, full_name=pending.get("full_name", ""))
        except DomainError as error:
            show_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(PENDING, None)
            messages.success(request, _("You are signed in."))
            return redirect(pending.get("next") or "portal:my_dossiers")
    return render(request, "portal/account/verify.html", {"form": form, "identifier": pending["identifier"]})


@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("portal:sign_in")
    try:
        challenge_provider().send_challenge(identifier=pending["identifier"], ip=client_ip(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A new code has been sent."))
    return redirect("portal:verify")
