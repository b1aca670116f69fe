"""The applicant rates an ended dossier: from the public look-up (code + secret) or from her account."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import User
from motcua.core.responses import private
from motcua.dossiers.access import get_dossier_for_citizen
from motcua.dossiers.lookup import TOO_MANY_MESSAGE, LookupLimiter, find_for_lookup
from motcua.dossiers.models import Dossier
from motcua.feedback.forms import RatingForm
from motcua.feedback.models import RatingChannel
from motcua.feedback.selectors import rating_panel
from motcua.feedback.views import place_error, record_rating
from motcua.portal.access import citizen_required

THANKS = gettext_lazy("Thank you for rating the handling of your dossier.")
NOT_FOUND = gettext_lazy(
    "No dossier was found with this dossier code and look-up secret. Please check your appointment slip."
)


def _page(
    request: HttpRequest, dossier: Dossier | None, form: RatingForm | None, status: int = 200, **extra: object
) -> HttpResponse:
    panel = rating_panel(dossier) if dossier is not None else None
    context = {"dossier": dossier, "panel": panel, "form": form, **extra}
    return private(render(request, "feedback/rate.html", context, status=status))


def _rate(
    request: HttpRequest, dossier: Dossier, channel: str, actor: User | None, secret: str | None
) -> HttpResponse | None:
    """Validate the posted rating and record it; return the page with its errors, or None when it is done."""
    panel = rating_panel(dossier)
    if panel is None or not panel.can_rate:
        return _page(request, dossier, None, 409)
    form = RatingForm(request.POST, scheme=panel.scheme)
    if not form.is_valid():
        return _page(request, dossier, form, 422, secret=secret or "")
    try:
        record_rating(form, dossier, channel=channel, actor=actor, secret=secret)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise Http404 from error
        place_error(form, error)
        return _page(request, dossier, form, 422 if error.status == 422 else 409, secret=secret or "")
    return None


@require_http_methods(["GET", "POST"])
def rate_public(request: HttpRequest, code: str) -> HttpResponse:
    """/danh-gia/<code>?secret=…: no account, no personal data shown; a wrong secret is a failed look-up."""
    secret = (request.POST if request.method == "POST" else request.GET).get("secret", "").strip().upper()
    limiter = LookupLimiter.for_request(request, code)
    if limiter.blocked():
        response = _page(request, None, None, 429, error=TOO_MANY_MESSAGE)
        response["Retry-After"] = str(limiter.retry_after)
        return response
    dossier = find_for_lookup(code, secret) if secret else None
    if dossier is None:
        limiter.fail()
        return _page(request, None, None, 404, error=NOT_FOUND)
    if request.method == "POST":
        failed = _rate(request, dossier, RatingChannel.LOOKUP, None, secret)
        if failed is not None:
            return failed
        messages.success(request, THANKS)
        query = urlencode({"secret": secret})
        return redirect(f"{reverse('portal:lookup_dossier', args=[dossier.code])}?{query}")
    panel = rating_panel(dossier)
    form = RatingForm(scheme=panel.scheme) if panel is not None and panel.can_rate else None
    return _page(request, dossier, form, secret=secret)


@citizen_required
@require_http_methods(["GET", "POST"])
def rate_own(request: HttpRequest, code: str) -> HttpResponse:
    """/ca-nhan/ho-so/<code>/danh-gia/: the signed-in applicant rates her own dossier."""
    user = request.user
    assert isinstance(user, User)
    try:
        dossier = get_dossier_for_citizen(user, code)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        failed = _rate(request, dossier, RatingChannel.PORTAL, user, None)
        if failed is not None:
            return failed
        messages.success(request, THANKS)
        return redirect("portal:dossier", code=dossier.code)
    panel = rating_panel(dossier)
    form = RatingForm(scheme=panel.scheme) if panel is not None and panel.can_rate else None
    return _page(request, dossier, form)
