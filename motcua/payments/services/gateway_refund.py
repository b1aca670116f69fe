"""The desk gives money paid online back through the gateway, under the same rules as a refund at the desk.

The refund is written only once the gateway has confirmed it with a signed answer carrying its refund
transaction id. The request is recorded first, in a short transaction, and sent outside it
(services/refund_requests.py): the dossier is not locked while the gateway is asked. A request still
waiting for its answer (a timeout) is sent again, with the same `refund_id`, by the next click, the
desk's "send again", or the sweeper, so the gateway pays it once.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import lock_dossier, operation
from motcua.org.access import scope_for
from motcua.payments import rules
from motcua.payments.conf import payment_conf
from motcua.payments.models import (
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundRequest,
    RefundRequestStatus,
)
from motcua.payments.services.counter import refund_allowed, refund_amount, refundable_on
from motcua.payments.services.refund_requests import (
    GatewayRefused,
    open_request,
    refunds_off,
    send_refund_request,
)
from motcua.payments.words import format_vnd

__all__ = ["GatewayRefused", "refund_through_gateway", "send_refund_again"]


def refund_through_gateway(
    *,
    code: str,
    actor: User,
    reason: str,
    amount_vnd: int | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Refund:
    """Ask the gateway to give back an online payment of a dossier refused or stopped; record its refund."""
    now = now or timezone.now()
    request = _request(code, actor, reason, amount_vnd, expected_version, now)
    return send_refund_request(request, now=now)


@operation
def _request(
    code: str,
    actor: User,
    reason: str,
    wanted: int | None,
    expected_version: int | None,
    now: dt.datetime,
) -> RefundRequest:
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    reason = refund_allowed(dossier, actor, reason)
    if not payment_conf().can_refund:
        raise refunds_off()
    waiting = (
        RefundRequest.objects.filter(dossier=dossier, status=RefundRequestStatus.PENDING, overpayment=False)
        .select_related("payment", "dossier")
        .first()
    )
    if waiting is not None:  # its answer was lost: the same request again, so the gateway pays once
        if wanted is not None and wanted != waiting.amount_vnd:
            raise Conflict(
                _("A refund of %(amount)s đ is waiting for the gateway's answer; send it again first.")
                % {"amount": format_vnd(waiting.amount_vnd)},
                code="refund_pending",
            )
        return waiting
    _fees, refundable = refundable_on(dossier)
    payment, left = _online_payment(dossier)
    if wanted is not None and refundable >= wanted > left:
        message = _("At most %(amount)s đ of this online payment can be given back through the gateway.") % {
            "amount": format_vnd(left)
        }
        raise ValidationFailed(message, code="more_than_paid_online", fields={"amount_vnd": message})
    amount = refund_amount(wanted, min(refundable, left))
    return open_request(dossier, payment, amount=amount, reason=reason, actor=actor, now=now)


def _online_payment(dossier: Dossier) -> tuple[Payment, int]:
    """The first online payment of the dossier not yet given back in full, and what is left of it."""
    paid = Payment.objects.filter(
        dossier=dossier, method=PaymentMethod.ONLINE, status=PaymentStatus.PAID
    ).annotate(back=Sum("refunds__amount_vnd"))
    for payment in paid.order_by("paid_at", "pk"):
        left = payment.amount_vnd - (payment.back or 0)
        if left > 0:
            return payment, left
    raise ValidationFailed(
        _("No money on this dossier was paid online and is left to give back; refund it at the desk."),
        code="no_online_payment",
    )


def send_refund_again(*, code: str, actor: User, refund_id: str, now: dt.datetime | None = None) -> Refund:
    """The desk sends a refund request again: one still waiting (same id), or an overpayment refused."""
    now = now or timezone.now()
    request = _again(code, actor, refund_id, now)
    return send_refund_request(request, now=now)


@operation
def _again(code: str, actor: User, refund_id: str, now: dt.datetime) -> RefundRequest:
    dossier = lock_dossier(code, actor=actor)
    if not rules.may_refund(actor, scope_for(actor), dossier):
        raise rules.NotAllowed(
            _("Fees are refunded by the desk that received the dossier."), code="counter_only"
        )
    if not payment_conf().can_refund:
        raise refunds_off()
    request = (
        RefundRequest.objects.filter(dossier=dossier, refund_id=refund_id)
        .select_related("payment", "dossier")
        .first()
    )
    if request is None:
        raise NotFound(_("No such refund request on this dossier."), code="refund_request_not_found")
    if request.status == RefundRequestStatus.PENDING:
        return request
    others = RefundRequest.objects.filter(payment=request.payment).exclude(status=RefundRequestStatus.FAILED)
    if request.status == RefundRequestStatus.FAILED and request.overpayment and not others.exists():
        # Money never owed is given back whatever the dossier's status: a new request, with a new id.
        return open_request(
            dossier,
            request.payment,
            amount=request.amount_vnd,
            reason=request.reason,
            actor=actor,
            now=now,
            overpayment=True,
        )
    raise TransitionNotAllowed(
        _("This refund request was already answered; nothing is sent again."), code="refund_request_closed"
    )
