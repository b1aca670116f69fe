"""The counter screen: after hand-over the officer turns a tablet (or a second screen) to the applicant.

The screen shows only the procedure, the dossier code and big buttons: no name, no ID number, nothing the
next person in the queue should read. The officer's session records it; the rating is the citizen's.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import DomainError, NotFound
from motcua.dossiers.access import is_counter_officer_of
from motcua.dossiers.models import Dossier
from motcua.dossiers.views.common import acting_user, staff, staff_view
from motcua.feedback.forms import CodeForm, RatingForm
from motcua.feedback.models import RatingChannel
from motcua.feedback.selectors import awaiting_rating, rating_panel
from motcua.feedback.views import place_error, record_rating
from motcua.org.models import Role

RECENT = dt.timedelta(days=2)


def _points(request: HttpRequest) -> frozenset[int]:
    points = staff(request).point_ids(Role.COUNTER_OFFICER)
    if not points:
        raise Http404
    return points


@staff_view
@require_GET
def counter(request: HttpRequest) -> HttpResponse:
    """Pick the dossier just handed over: recent ones of my points without a rating, or type its code."""
    points = _points(request)
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("feedback:counter_screen", code=form.cleaned_data["code"].strip())
    context = {"form": form, "waiting": awaiting_rating(points, timezone.now() - RECENT)}
    return render(request, "feedback/counter/start.html", context)


def _dossier(request: HttpRequest, code: str) -> Dossier:
    _points(request)
    dossier = Dossier.objects.select_related("procedure_version", "procedure").filter(code=code).first()
    if dossier is None or not is_counter_officer_of(acting_user(request), dossier, staff(request).full_scope):
        raise Http404
    return dossier


@staff_view
@require_http_methods(["GET", "POST"])
def counter_screen(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    panel = rating_panel(dossier)
    if panel is None or not panel.can_rate:
        return render(request, "feedback/counter/screen.html", {"dossier": dossier, "panel": panel})
    form = RatingForm(request.POST or None, scheme=panel.scheme)
    if request.method == "POST" and form.is_valid():
        try:
            record_rating(form, dossier, channel=RatingChannel.COUNTER, actor=acting_user(request))
        except DomainError as error:
            if isinstance(error, NotFound):
                raise Http404 from error
            place_error(form, error)
        else:
            return redirect("feedback:counter_screen", code=dossier.code)
    status = 422 if form.errors else 200
    context = {"dossier": dossier, "panel": panel, "form": form}
    return render(request, "feedback/counter/screen.html", context, status=status)
