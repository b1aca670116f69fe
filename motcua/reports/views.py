"""Report pages for leaders and directors: results by field, agency or desk, and the quality scorecard."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.core.replicas import reads_from_replica
from motcua.dossiers.forms import issuer_for_agency, issuer_for_point
from motcua.dossiers.pdf.data import Issuer
from motcua.dossiers.views.common import acting_user, staff, staff_view
from motcua.org.context import StaffSession
from motcua.org.models import Agency, ServicePoint, StaffRole
from motcua.reports import forms
from motcua.reports.pdf import render_results
from motcua.reports.results import GROUPINGS, ResultTable, results
from motcua.reports.selectors import may_report, quality, report_dossiers


def _session(request: HttpRequest) -> StaffSession:
    session = staff(request)
    if not may_report(session.scope):
        raise Http404
    return session


def _table(request: HttpRequest) -> tuple[forms.ReportForm, ResultTable, StaffSession]:
    session = _session(request)
    form, period, by = forms.read(request.GET.dict(), timezone.localdate())
    dossiers = report_dossiers(acting_user(request), session.scope)
    return form, results(dossiers, period, by=by), session


@staff_view
@require_GET
@reads_from_replica
def results_page(request: HttpRequest) -> HttpResponse:
    """The period's results table with its totals, and links to print or export it."""
    form, table, session = _table(request)
    context = {
        "form": form,
        "table": table,
        "heading": GROUPINGS[table.grouping][2],
        "query": request.GET.urlencode(),
        "scope_label": session.current.label if session.current else "",
    }
    return render(request, "reports/results.html", context)


@staff_view
@require_GET
@reads_from_replica
def results_csv(request: HttpRequest) -> HttpResponse:
    """The same table as CSV (UTF-8 with BOM, so that Excel shows Vietnamese correctly)."""
    _form, table, _session = _table(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            str(GROUPINGS[table.grouping][2]),
            _("Carried over"),
            _("New online"),
            _("New in person or by post"),
            _("Received"),
            _("Early"),
            _("On time"),
            _("Late"),
            _("Resolved"),
            _("Ended without a result"),
            _("In hand, within the limit"),
            _("In hand, late"),
        ]
    )
    for row in [*table.rows, table.total]:
        writer.writerow(
            [
                row.label if row is not table.total else _("Total"),
                row.carried_over,
                row.new_online,
                row.new_direct,
                row.received,
                row.early,
                row.on_time,
                row.late,
                row.resolved,
                row.without_result,
                row.in_hand_on_time,
                row.in_hand_late,
            ]
        )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"bao-cao-{table.period.first:%Y%m%d}-{table.period.last:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _issuer(session: StaffSession) -> Issuer:
    """The unit the report is issued by: the point, agency or province of the role she reports in."""
    current = session.current
    if current is None:
        raise Http404
    if current.service_point_id is not None:
        return issuer_for_point(ServicePoint.objects.select_related("unit").get(pk=current.service_point_id))
    if current.agency_id is not None:
        return issuer_for_agency(Agency.objects.select_related("unit", "parent").get(pk=current.agency_id))
    unit = StaffRole.objects.select_related("admin_unit").get(pk=current.pk).admin_unit
    name = unit.name if unit is not None else ""
    place = name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    return Issuer(name=f"Ủy ban nhân dân {name}".strip(), place=place)


@staff_view
@require_GET
@reads_from_replica
def results_pdf(request: HttpRequest) -> HttpResponse:
    """The table printed with the national heading, to sign and file."""
    _form, table, session = _table(request)
    body = render_results(
        table,
        issuer=_issuer(session),
        scope_label=session.current.label if session.current else "",
        printed=timezone.localdate(),
    )
    response = HttpResponse(body, content_type="application/pdf")
    name = f"bao-cao-{table.period.first:%Y%m%d}-{table.period.last:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@staff_view
@require_GET
@reads_from_replica
def quality_page(request: HttpRequest) -> HttpResponse:
    """The Decision 766 scorecard of the period, indicator by indicator, with what is not measured."""
    session = _session(request)
    form, period, _by = forms.read(request.GET.dict(), timezone.localdate())
    dossiers = report_dossiers(acting_user(request), session.scope)
    card = quality(session.scope, dossiers, period)
    return render(request, "reports/quality.html", {"form": form, "card": card, "period": period})
