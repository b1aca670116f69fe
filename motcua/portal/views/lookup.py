"""Public look-up of a dossier by its code and the secret printed on the receipt (and in its QR code)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.core.replicas import reads_from_replica
from motcua.core.responses import private
from motcua.dossiers.lookup import TOO_MANY_MESSAGE, LookupLimiter, find_for_lookup
from motcua.portal.forms import LookupForm
from motcua.portal.selectors.dossiers import dossier_view
from motcua.portal.views import is_htmx

NOT_FOUND_MESSAGE = gettext_lazy(
    "No dossier was found with this dossier code and look-up secret. Please check your appointment slip."
)


def _answer(request: HttpRequest, form: LookupForm) -> HttpResponse:
    template = "portal/_lookup_result.html" if is_htmx(request) else "portal/lookup.html"
    if not form.is_valid():
        return private(render(request, template, {"form": form}))
    code, secret = form.cleaned_data["code"], form.cleaned_data["secret"]
    limiter = LookupLimiter.for_request(request, code)
    if limiter.blocked():
        response = render(request, template, {"form": form, "error": TOO_MANY_MESSAGE}, status=429)
        response["Retry-After"] = str(limiter.retry_after)
        return private(response)
    dossier = find_for_lookup(code, secret)
    if dossier is None:
        limiter.fail()
        return private(render(request, template, {"form": form, "error": NOT_FOUND_MESSAGE}, status=404))
    return private(render(request, template, {"form": form, "view": dossier_view(dossier)}))


@require_http_methods(["GET", "POST"])
@reads_from_replica
def lookup(request: HttpRequest) -> HttpResponse:
    """The form; posted (not in the URL) so that a typed secret stays out of history and logs."""
    if request.method == "POST":
        return _answer(request, LookupForm(request.POST))
    return private(render(request, "portal/lookup.html", {"form": LookupForm()}))


@require_http_methods(["GET"])
@reads_from_replica
def lookup_dossier(request: HttpRequest, code: str) -> HttpResponse:
    """The address printed as the receipt's QR code: /tra-cuu/<code>?secret=<secret>."""
    form = LookupForm({"code": code, "secret": request.GET.get("secret", "")})
    return _answer(request, form)
