"""A payment gateway to try the online payment with, inside MotCua: only with DEBUG on (`make run`).

It speaks the protocol of docs/payments.md: it checks the signed request, and on "pay" or "cancel" signs
a notice with the shared key and hands it to MotCua as the callback would (the same `record_notice`,
signature check included), then sends the browser back to the return page with the same signed fields.
"Pay, lose the confirmation" takes the payment but sends no notice and returns the browser without one,
as when a callback is lost: MotCua learns of it only by asking (demo_answers.py answers the query).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError
from motcua.payments import demo_answers, gateway, services
from motcua.payments.conf import PaymentConf, payment_conf


def _conf() -> PaymentConf:
    if not settings.DEBUG or settings.MOTCUA.get("PAYMENT_GATEWAY") != "demo":
        raise Http404
    return payment_conf()


def _request(data: Any, conf: PaymentConf) -> dict[str, str] | None:
    fields = {name: str(data.get(name, "")) for name in (*gateway.REQUEST_FIELDS, "signature")}
    return fields if gateway.verify(fields, conf.key) else None


@require_http_methods(["GET", "POST"])
def demo_gateway(request: HttpRequest) -> HttpResponse:
    conf = _conf()
    fields = _request(request.POST if request.method == "POST" else request.GET, conf)
    if fields is None:
        return render(request, "payments/portal/demo_gateway.html", {"invalid": True}, status=400)
    if request.method == "GET":
        return render(request, "payments/portal/demo_gateway.html", {"fields": fields})
    choice = request.POST.get("choice")
    status = "paid" if choice in ("pay", "lose") else "cancelled"
    notice = gateway.signed(
        {
            "version": gateway.VERSION,
            "merchant": fields["merchant"],
            "order_id": fields["order_id"],
            "transaction_id": f"DEMO{secrets.token_hex(6).upper()}" if status == "paid" else "",
            "amount": fields["amount"],
            "status": status,
            "message": "Thanh toán thử nghiệm" if status == "paid" else "Người dùng hủy giao dịch",
            "timestamp": int(timezone.now().timestamp()),
        },
        conf.key,
    )
    demo_answers.remember(
        fields["order_id"], status=status, amount=fields["amount"], transaction_id=notice["transaction_id"]
    )
    returned = reverse("payments:returned", args=[fields["order_id"]])
    if choice == "lose":
        return redirect(returned)  # neither the callback nor the signed return: only a query finds it
    try:
        services.record_notice(fields=notice, source="callback", remote_addr="demo-gateway")
    except DomainError as refused:
        return render(
            request, "payments/portal/demo_gateway.html", {"fields": fields, "error": refused.message}
        )
    # Back to MotCua's own return page only: the demo never follows an address it was given.
    return redirect(returned + "?" + urlencode(notice))
