"""My work: the active steps my units hold, most urgent first, with counts and filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.dossiers.selectors import (
    horizon,
    work_counts,
    work_filter_options,
    work_page_rows,
    work_steps,
)
from motcua.dossiers.views.common import acting_user, render_page, staff, staff_view
from motcua.org.context import AGENCY_ROLES
from motcua.org.models import Role
from motcua.signing.selectors import certificate_notices

PAGE_SIZE = 25
URGENCY_CHOICES = [
    ("", _("All")),
    ("late", _("Late")),
    ("today", _("Due today")),
    ("soon", _("Due soon")),
    ("ok", _("On track")),
    ("paused", _("Clock stopped")),
    ("ready", _("Result ready")),
]


class WorkFilterForm(forms.Form):
    urgency = forms.ChoiceField(label=_("Urgency"), choices=URGENCY_CHOICES, required=False)
    procedure = forms.ChoiceField(label=_("Procedure"), required=False)
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, required=False, empty_value=None)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args: Any, procedures: list[Any], agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("All procedures")), *procedures]  # type: ignore[attr-defined]
        self.fields["agency"].choices = [("", _("All agencies")), *agencies]  # type: ignore[attr-defined]


@staff_view
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    session = staff(request)
    if session.role not in {Role.COUNTER_OFFICER, *AGENCY_ROLES}:
        return redirect("dossiers:board")
    h = horizon()
    steps = work_steps(session.scope, h)
    counts = work_counts(steps)
    procedures, agencies = work_filter_options(steps)
    form = WorkFilterForm(request.GET or None, procedures=procedures, agencies=agencies)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if chosen.get("urgency"):
        steps = steps.filter(Q(urgency=chosen["urgency"]))
    if chosen.get("procedure"):
        steps = steps.filter(dossier__procedure__code=chosen["procedure"])
    if chosen.get("agency"):
        steps = steps.filter(agency_id=chosen["agency"])
    if chosen.get("mine"):
        steps = steps.filter(assigned_to=acting_user(request))
    page = Paginator(work_page_rows(steps), PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "form": form,
        "counts": counts,
        "total": sum(counts.values()),
        "page": page,
        "horizon": h,
        "query": query.urlencode(),
        "urgency": chosen.get("urgency", ""),
        "certificate_notices": certificate_notices(
            user=acting_user(request), scope=session.full_scope, now=timezone.now()
        ),
        "stats": [
            (value, label, counts[value])
            for value, label in URGENCY_CHOICES
            if value and (value != "ready" or session.role == Role.COUNTER_OFFICER)
        ],
    }
    return render_page(request, "dossiers/work/page.html", "dossiers/work/_list.html", context)
