"""The citizen pays online: start the order, come back from the gateway; her own e-receipts.

Paying needs the applicant's own account or the receipt's look-up secret (the public look-up page), and
wrong secrets count against the look-up's limits, so the button cannot be used to guess them.
"""

from __future__ import annotations

import contextlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import User
from motcua.core.responses import private
from motcua.dossiers.access import get_dossier_for_citizen
from motcua.dossiers.lookup import TOO_MANY_MESSAGE, LookupLimiter, client_ip
from motcua.payments import services
from motcua.payments.forms import PayOnlineForm
from motcua.payments.models import PaymentStatus
from motcua.payments.receipts import receipt_name, receipt_pdf
from motcua.payments.selectors import payment_by_order, receipt_of
from motcua.payments.views.staff import pdf_response
from motcua.portal.access import citizen_required


def _account(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _refused(request: HttpRequest, code: str, message: str, status: int) -> HttpResponse:
    context = {"code": code, "message": message}
    return private(render(request, "payments/portal/not_started.html", context, status=status))


@require_POST
def pay(request: HttpRequest, code: str) -> HttpResponse:
    """Open the order and send the browser to the payment gateway."""
    form = PayOnlineForm(request.POST)
    secret = (form.cleaned_data["secret"] if form.is_valid() else "").strip() or None
    limiter = LookupLimiter.for_request(request, code)
    if secret is not None and limiter.blocked():
        response = _refused(request, code, str(TOO_MANY_MESSAGE), 429)
        response["Retry-After"] = str(limiter.retry_after)
        return response
    try:
        order = services.start_online_payment(code=code, actor=_account(request), secret=secret)
    except NotFound as exc:
        if secret is not None:
            limiter.fail()
        return _refused(request, code, exc.message, 404)
    except DomainError as exc:
        return _refused(request, code, exc.message, exc.status)
    return redirect(order.pay_url)


@require_GET
def returned(request: HttpRequest, order_id: str) -> HttpResponse:
    """Where the gateway sends the citizen back: the payment as recorded, whatever the address says."""
    payment = payment_by_order(order_id)
    if payment is None:
        raise Http404
    if request.GET.get("signature") and payment.status in (PaymentStatus.PENDING, PaymentStatus.FAILED):
        # Signed by the gateway like its callback: the first of the two to arrive records the payment
        # (an order closed meanwhile, by the desk's collection, may still have been paid: an overpayment).
        with contextlib.suppress(DomainError):  # a refused one is logged; the page shows what is recorded
            services.record_notice(fields=request.GET.dict(), source="return", remote_addr=client_ip(request))
        payment.refresh_from_db()
    if payment.status == PaymentStatus.PENDING and services.reconcile_if_due(payment) is not None:
        # Still no notice after a while: the gateway was asked (at most once per interval per order).
        payment.refresh_from_db()
    user = _account(request)
    own = user is not None and payment.dossier.citizen_id == user.pk
    return private(render(request, "payments/portal/returned.html", {"payment": payment, "own": own}))


@citizen_required
@require_GET
def own_receipt(request: HttpRequest, code: str, symbol: str, number: int) -> HttpResponse:
    """The applicant downloads the e-receipt of her own dossier."""
    user = _account(request)
    try:
        dossier = get_dossier_for_citizen(user, code) if user is not None else None
    except NotFound:
        dossier = None
    payment = receipt_of(dossier, symbol, number) if dossier is not None else None
    if payment is None:
        raise Http404
    return private(pdf_response(receipt_pdf(payment), receipt_name(payment)))
