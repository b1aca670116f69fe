"""Staff actions on a dossier's fees (collect, exempt, refund) and its e-receipts, from the dossier page.

Each form posts here, calls one service and goes back to the dossier page with a message. A refusal of
the input shows the form again on a page of its own, with the service's message beside the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import Conflict, DomainError, NotFound
from motcua.dossiers.views.common import acting_user, staff_view, visible_dossiers
from motcua.payments import services
from motcua.payments.conf import payment_conf
from motcua.payments.forms import CollectForm, ExemptForm, GatewayRefundForm, RefundForm
from motcua.payments.models import NoticeOutcome, Payment, PaymentStatus, Refund
from motcua.payments.receipts import receipt_name, receipt_pdf
from motcua.payments.rules import NotAllowed
from motcua.payments.selectors import receipt_of
from motcua.payments.words import format_vnd


def back_to_dossier(request: HttpRequest, code: str, level: int, text: str) -> HttpResponse:
    messages.add_message(request, level, text)
    return redirect(reverse("dossiers:dossier", args=[code]) + "#phi-le-phi")


def _visible_or_404(request: HttpRequest, code: str) -> None:
    """Someone outside the dossier's scope gets 404 before her form is read, as for anything not hers."""
    if not visible_dossiers(request).filter(code=code).exists():
        raise Http404


def _refused(form: forms.Form, exc: DomainError) -> None:
    form.add_error(None, exc.message)
    for key, value in exc.fields.items():
        if key in form.fields and isinstance(value, str) and value != exc.message:
            form.add_error(key, value)


def _act(
    request: HttpRequest,
    code: str,
    form: forms.Form,
    run: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    title: Any,
) -> HttpResponse:
    """Validate, call the service, go back with its message; show the form again when refused."""
    _visible_or_404(request, code)
    status = 422
    if form.is_valid():
        try:
            result = run(form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except Conflict as exc:  # the dossier changed since the page was drawn: show it as it is now
            return back_to_dossier(request, code, messages.ERROR, exc.message)
        except DomainError as exc:
            _refused(form, exc)
            status = exc.status
        else:
            return back_to_dossier(request, code, messages.SUCCESS, done(result))
    context = {"form": form, "title": title, "dossier_code": code, "post_url": request.path}
    return render(request, "payments/staff/form_page.html", context, status=status)


@staff_view
@require_POST
def collect(request: HttpRequest, code: str) -> HttpResponse:
    form = CollectForm(request.POST, partial=payment_conf().partial)

    def run(c: dict[str, Any]) -> Payment:
        return services.collect_fee(
            code=code,
            actor=acting_user(request),
            method=c["method"],
            amount_vnd=c.get("amount_vnd"),
            payer_name=c["payer_name"],
            reference=c["reference"],
            expected_version=c["expected_version"],
        )

    def done(payment: Payment) -> str:
        return _("Collected %(amount)s đ; e-receipt %(receipt)s.") % {
            "amount": format_vnd(payment.amount_vnd),
            "receipt": payment.receipt,
        }

    return _act(request, code, form, run, done, gettext_lazy("Collect fees and charges"))


@dataclass(frozen=True)
class Decision:
    """An exemption or a refund: its form, its service, the fields it passes on, what it says after."""

    form: type[forms.Form]
    service: Callable[..., Any]
    fields: tuple[str, ...]
    done: Any
    title: Any


EXEMPT = Decision(
    ExemptForm,
    services.exempt_fee,
    ("amount_vnd", "reason", "legal_basis"),
    gettext_lazy("Exempted %(amount)s đ."),
    gettext_lazy("Exempt or reduce"),
)
REFUND = Decision(
    RefundForm,
    services.refund_fee,
    ("amount_vnd", "method", "reason"),
    gettext_lazy("Refunded %(amount)s đ."),
    gettext_lazy("Refund the fees"),
)


def _decide(request: HttpRequest, code: str, decision: Decision) -> HttpResponse:
    def run(c: dict[str, Any]) -> Any:
        values = {name: c.get(name) for name in decision.fields}
        return decision.service(
            code=code, actor=acting_user(request), expected_version=c["expected_version"], **values
        )

    def done(result: Any) -> str:
        return str(decision.done) % {"amount": format_vnd(result.amount_vnd)}

    return _act(request, code, decision.form(request.POST), run, done, decision.title)


@staff_view
@require_POST
def exempt(request: HttpRequest, code: str) -> HttpResponse:
    return _decide(request, code, EXEMPT)


@staff_view
@require_POST
def refund(request: HttpRequest, code: str) -> HttpResponse:
    return _decide(request, code, REFUND)


@staff_view
@require_POST
def refund_online(request: HttpRequest, code: str) -> HttpResponse:
    """Give money paid online back through the gateway; on its refusal the form says why."""
    form = GatewayRefundForm(request.POST)

    def run(c: dict[str, Any]) -> Refund:
        return services.refund_through_gateway(
            code=code,
            actor=acting_user(request),
            reason=c["reason"],
            amount_vnd=c.get("amount_vnd"),
            expected_version=c["expected_version"],
        )

    return _act(request, code, form, run, refunded_text, gettext_lazy("Refund through the payment gateway"))


def refunded_text(refund: Refund) -> str:
    return _("Refunded %(amount)s đ through the payment gateway (refund transaction %(reference)s).") % {
        "amount": format_vnd(refund.amount_vnd),
        "reference": refund.reference,
    }


def _at_the_desk(
    request: HttpRequest, code: str, run: Callable[[], Any], said: Callable[[Any], tuple[int, str]]
) -> HttpResponse:
    """Call a desk's exchange with the gateway; go back to the dossier saying what came of it."""
    _visible_or_404(request, code)
    try:
        result = run()
    except NotFound:
        raise Http404 from None
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        return back_to_dossier(request, code, messages.ERROR, exc.message)
    level, text = said(result)
    return back_to_dossier(request, code, level, text)


@staff_view
@require_POST
def resend_refund(request: HttpRequest, code: str, refund_id: str) -> HttpResponse:
    """Send again a refund whose answer was lost (same refund id), or an overpayment's the gateway refused."""
    return _at_the_desk(
        request,
        code,
        lambda: services.send_refund_again(code=code, actor=acting_user(request), refund_id=refund_id),
        lambda refund: (messages.SUCCESS, refunded_text(refund)),
    )


@staff_view
@require_POST
def check_gateway(request: HttpRequest, code: str) -> HttpResponse:
    """Ask the gateway about the dossier's online order whose notice never came; say what it answered."""
    return _at_the_desk(
        request, code, lambda: services.check_with_gateway(code=code, actor=acting_user(request)), _answered
    )


def _answered(result: services.NoticeResult) -> tuple[int, str]:
    payment = result.payment
    if payment.status == PaymentStatus.PAID:
        return messages.SUCCESS, _(
            "The gateway confirms the payment of %(amount)s đ (transaction %(reference)s); "
            "e-receipt %(receipt)s."
        ) % {
            "amount": format_vnd(payment.amount_vnd),
            "reference": payment.reference,
            "receipt": payment.receipt,
        }
    if payment.status == PaymentStatus.OVERPAID:
        return messages.WARNING, _(
            "The gateway confirms a payment of %(amount)s đ (transaction %(reference)s) made after the fees "
            "were settled: it is recorded as overpaid and refunded through the gateway."
        ) % {"amount": format_vnd(payment.amount_vnd), "reference": payment.reference}
    if result.outcome == NoticeOutcome.PENDING:
        return messages.INFO, _("The gateway says the payment is still open.")
    return messages.WARNING, _("The gateway says the online payment was not completed: nothing was paid.")


def pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view
@require_GET
def receipt(request: HttpRequest, code: str, symbol: str, number: int) -> HttpResponse:
    """The e-receipt of a payment, as a PDF to print or send (the signed one once it is signed)."""
    dossier = visible_dossiers(request).filter(code=code).first()
    payment = receipt_of(dossier, symbol, number) if dossier is not None else None
    if payment is None:
        raise Http404
    return pdf_response(receipt_pdf(payment), receipt_name(payment))
