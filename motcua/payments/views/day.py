"""The desk's day: what was collected and refunded, by method, by officer and by fee line; PDF and CSV.

A counter officer sees her own collections at her points; a centre director those of her points (and of
their branches), all officers and the online payments together.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.core.models import User
from motcua.dossiers.forms import issuer_for_point
from motcua.dossiers.views.common import acting_user, staff_view
from motcua.org.context import StaffSession, staff_session
from motcua.org.models import Role, ServicePoint
from motcua.payments.forms import DayForm
from motcua.payments.pdf import METHOD_LABELS, render_day
from motcua.payments.receipts import day_statement
from motcua.payments.selectors import (
    Day,
    attention_after,
    day_of_collections,
    officer_name,
    refunder_name,
    refunds_needing_attention,
)
from motcua.payments.views.staff import pdf_response


@dataclass(frozen=True)
class Desk:
    """Whose day is shown: the points and, for a counter officer, herself."""

    session: StaffSession
    points: list[ServicePoint]
    officer: User | None


def _desk(request: HttpRequest) -> Desk:
    session = staff_session(request)
    if session.role not in (Role.COUNTER_OFFICER, Role.CENTRE_DIRECTOR):
        raise Http404
    ids = session.point_ids(session.role)
    points = list(ServicePoint.objects.filter(pk__in=ids).select_related("unit").order_by("name"))
    officer = acting_user(request) if session.role == Role.COUNTER_OFFICER else None
    return Desk(session=session, points=points, officer=officer)


def _read(request: HttpRequest) -> tuple[DayForm, Day, Desk, list[ServicePoint]]:
    desk = _desk(request)
    today = timezone.localdate()
    form = DayForm(request.GET or None, initial={"day": today}, points=[(p.pk, p.name) for p in desk.points])
    valid = form.is_valid()
    day = (form.cleaned_data.get("day") if valid else None) or today
    chosen = form.cleaned_data.get("point") if valid else None
    shown = [p for p in desk.points if chosen is None or p.pk == chosen]
    found = day_of_collections(day=day, point_ids=frozenset(p.pk for p in shown), officer=desk.officer)
    return form, found, desk, shown


def _label(desk: Desk, shown: list[ServicePoint]) -> str:
    names = ", ".join(p.name for p in shown)
    who = desk.officer.full_name or desk.officer.get_username() if desk.officer is not None else ""
    return f"{who} – {names}" if who else names


@staff_view
@require_GET
def day_page(request: HttpRequest) -> HttpResponse:
    form, found, desk, shown = _read(request)
    # Whatever the day shown: refunds through the gateway that no longer go by themselves.
    attention = refunds_needing_attention(
        point_ids=frozenset(p.pk for p in shown), attempts=attention_after()
    )
    context = {
        "form": form,
        "found": found,
        "officer": desk.officer,
        "label": _label(desk, shown),
        "attention": attention,
    }
    return render(request, "payments/staff/day.html", context)


@staff_view
@require_GET
def day_pdf(request: HttpRequest) -> HttpResponse:
    _form, found, desk, shown = _read(request)
    if not shown:
        raise Http404
    statement = day_statement(found, issuer=issuer_for_point(shown[0]), scope_label=_label(desk, shown))
    return pdf_response(render_day(statement), f"bang-ke-thu-phi-{found.day:%Y%m%d}.pdf")


HEADER = [
    "Thời điểm",
    "Ký hiệu biên lai",
    "Số biên lai",
    "Mã hồ sơ",
    "Người nộp",
    "Hình thức",
    "Người thu",
    "Số tiền (đồng)",
    "Mã giao dịch",
]


@staff_view
@require_GET
def day_csv(request: HttpRequest) -> HttpResponse:
    """The day's receipts, overpayments and refunds (negative amounts), one row each, for the accounting."""
    found = _read(request)[1]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for p in found.payments:
        moment = timezone.localtime(p.paid_at) if p.paid_at else None
        writer.writerow(
            [
                f"{moment:%d/%m/%Y %H:%M}" if moment else "",
                p.receipt_symbol,
                f"{p.receipt_number:07d}" if p.receipt_number else "",
                p.dossier.code,
                p.payer_name,
                METHOD_LABELS.get(p.method, p.method),
                officer_name(p),
                p.amount_vnd,
                p.reference,
            ]
        )
    for p in found.overpayments:  # received without a receipt, and given back (a refund row below)
        writer.writerow(
            [
                f"{timezone.localtime(p.paid_at):%d/%m/%Y %H:%M}" if p.paid_at else "",
                "",
                "",
                p.dossier.code,
                p.payer_name,
                f"Nộp thừa – {METHOD_LABELS.get(p.method, p.method)}",
                officer_name(p),
                p.amount_vnd,
                p.reference,
            ]
        )
    for r in found.refunds:
        writer.writerow(
            [
                f"{timezone.localtime(r.refunded_at):%d/%m/%Y %H:%M}",
                "",
                "",
                r.dossier.code,
                r.dossier.applicant_snapshot.get("name", ""),
                f"Hoàn trả – {METHOD_LABELS.get(r.method, r.method)}",
                refunder_name(r),
                -r.amount_vnd,
                r.reference,
            ]
        )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bang-ke-thu-phi-{found.day:%Y%m%d}.csv"'
    return response
