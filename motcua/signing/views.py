"""Signing pages: the public signature check, and signing one file of a dossier from its staff page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import Conflict, DomainError, NotFound
from motcua.core.models import User
from motcua.core.responses import private
from motcua.dossiers.access import get_dossier_for_staff
from motcua.dossiers.models import StoredFile
from motcua.dossiers.views.common import acting_user, is_htmx, staff, staff_view
from motcua.signing import rules, selectors, services
from motcua.signing.forms import SignForm, VerifyForm
from motcua.signing.public import TOO_MANY_MESSAGE, check_file, limiter_for, read_pdf


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    """Anyone uploads a PDF and reads what its digital signatures are worth."""
    if request.method == "GET":
        return private(render(request, "signing/verify.html", {"form": VerifyForm()}))
    form = VerifyForm(request.POST, request.FILES)
    context: dict[str, Any] = {"form": form}
    limiter = limiter_for(request)
    if limiter.blocked():
        context["error"] = TOO_MANY_MESSAGE
        response = render(request, "signing/verify.html", context, status=429)
        response["Retry-After"] = str(limiter.retry_after)
        return private(response)
    if not form.is_valid():
        return private(render(request, "signing/verify.html", context, status=422))
    limiter.fail()  # every check spends the budget, not only failures: the work is the cost
    try:
        context["check"] = check_file(read_pdf(form.cleaned_data["file"]))
    except DomainError as exc:
        form.add_error("file", exc.message)
        return private(render(request, "signing/verify.html", context, status=422))
    return private(render(request, "signing/verify.html", context))


def _dossier(request: HttpRequest, code: str) -> Any:
    """The dossier, when the user may see it; 404 otherwise, as for anything not hers."""
    try:
        return get_dossier_for_staff(acting_user(request), code)
    except NotFound:
        raise Http404 from None


def _signable(request: HttpRequest, code: str, file_id: int) -> tuple[Any, StoredFile]:
    """The dossier and the file, when the user may sign it; 404 otherwise, as for anything not hers."""
    user = acting_user(request)
    dossier = _dossier(request, code)
    stored = StoredFile.objects.filter(pk=file_id, dossier=dossier).first()
    if stored is None or not rules.may_sign(user, staff(request).full_scope, dossier, stored.kind):
        raise Http404
    return dossier, stored


def _certificate(user: User, dossier: Any, stored: StoredFile) -> Any:
    if rules.signed_with_seal(stored.kind):
        return selectors.active_seal(dossier.lead_agency_id)
    return selectors.active_certificate_of(user)


@staff_view
@require_http_methods(["GET", "POST"])
def sign_file(request: HttpRequest, code: str, file_id: int) -> HttpResponse:
    """GET: what will be signed and with which certificate; POST: sign, as a copy beside the file."""
    dossier, stored = _signable(request, code, file_id)
    user = acting_user(request)
    form = SignForm(request.POST or None, initial={"expected_version": dossier.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_file(
                code=code,
                file_id=stored.pk,
                actor=user,
                expected_version=form.cleaned_data["expected_version"],
            )
        except Conflict as exc:
            return _back_to_dossier(request, code, messages.ERROR, exc.message)
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 422
        else:
            done = _("“%(name)s” is signed; the signed copy is listed beside it.") % {
                "name": stored.original_name
            }
            return _back_to_dossier(request, code, messages.SUCCESS, done)
    context = {
        "dossier": dossier,
        "file": stored,
        "form": form,
        "certificate": _certificate(user, dossier, stored),
        "with_seal": rules.signed_with_seal(stored.kind),
    }
    template = "signing/_sign_panel.html" if is_htmx(request) else "signing/sign_page.html"
    # htmx swaps only 2xx answers: a refusal comes back as 200 with the message in the panel.
    return render(request, template, context, status=200 if is_htmx(request) else status)


def _back_to_dossier(request: HttpRequest, code: str, level: int, text: str) -> HttpResponse:
    messages.add_message(request, level, text)
    url = reverse("dossiers:dossier", args=[code])
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@staff_view
@require_POST
def sign_scans(request: HttpRequest, code: str) -> HttpResponse:
    """Sign every scan of the dossier the officer has not signed yet, with her own certificate."""
    _dossier(request, code)  # before reading the form: someone outside its scope learns nothing more
    form = SignForm(request.POST)
    if not form.is_valid():
        return _back_to_dossier(request, code, messages.ERROR, _("Reload the page and try again."))
    try:
        signed = services.sign_scans(
            code=code, actor=acting_user(request), expected_version=form.cleaned_data["expected_version"]
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return _back_to_dossier(request, code, messages.ERROR, exc.message)
    done = ngettext(
        "%(count)s scan is signed; its signed copy is listed beside it.",
        "%(count)s scans are signed; their signed copies are listed beside them.",
        len(signed),
    ) % {"count": len(signed)}
    return _back_to_dossier(request, code, messages.SUCCESS, done)
