"""Give money paid online back through the payment gateway, under the same rules as a refund at the desk.

The refund is written only once the gateway has confirmed it with a signed answer carrying its refund
transaction id; a refusal, a timeout or an answer that does not hold records nothing. The dossier stays
locked while the gateway is asked, so two officers cannot refund the same money twice, and the request's
`refund_id` is the same when it is sent again after a timeout (`<order_id>-<n>`, n the refunds already
recorded for that payment, plus one): the gateway answers a refund it already made with that same refund.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, DomainError, TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import apply_action, lock_dossier, operation
from motcua.payments import gateway, gateway_client
from motcua.payments.conf import PaymentConf, payment_conf
from motcua.payments.models import NoticeOutcome, Payment, PaymentMethod, PaymentStatus, Refund, RefundMethod
from motcua.payments.services.counter import refund_allowed, refund_amount, refundable_on
from motcua.payments.services.online import log_notice
from motcua.payments.words import format_vnd

logger = logging.getLogger("motcua.payments.gateway")


class GatewayRefused(DomainError):
    """The gateway answered, signed, that it did not refund."""

    code = "gateway_refund_failed"
    status = 409


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
    seen: dict[str, Any] = {}  # the gateway's answer, kept in the notices' log even when refused
    try:
        refund = _refund(code, actor, reason, amount_vnd, expected_version, now, seen)
    except DomainError as refused:
        if "answer" in seen:
            logger.warning("gateway refund refused for %s: %s", code, refused.code)
            outcome = NoticeOutcome.REFUSED
            log_notice(seen["answer"], "refund", "", now, outcome, refused.code, refused.message)
        raise
    log_notice(seen["answer"], "refund", "", now, NoticeOutcome.RECORDED, "", "")
    return refund


@operation
def _refund(
    code: str,
    actor: User,
    reason: str,
    wanted: int | None,
    expected_version: int | None,
    now: dt.datetime,
    seen: dict[str, Any],
) -> Refund:
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    reason = refund_allowed(dossier, actor, reason)
    conf = payment_conf()
    if not conf.can_refund:
        raise TransitionNotAllowed(
            _("Refunds through the payment gateway are not available here; refund at the desk."),
            code="gateway_refund_off",
        )
    fees, refundable = refundable_on(dossier)
    payment, left = _online_payment(dossier)
    if wanted is not None and refundable >= wanted > left:
        message = _("At most %(amount)s đ of this online payment can be given back through the gateway.") % {
            "amount": format_vnd(left)
        }
        raise ValidationFailed(message, code="more_than_paid_online", fields={"amount_vnd": message})
    amount = refund_amount(wanted, min(refundable, left))
    answer = _ask(payment, conf, amount, dossier, now, seen)
    refund = Refund(
        dossier=dossier,
        service_point_id=dossier.receiving_point_id,
        amount_vnd=amount,
        method=RefundMethod.GATEWAY,
        reason=reason,
        refunded_by=actor,
        refunded_at=now,
        payment=payment,
        reference=answer.refund_transaction_id,
    )
    try:
        with transaction.atomic():
            refund.save()
    except IntegrityError:
        raise Conflict(
            _("This refund transaction id was already recorded."), code="refund_conflicts"
        ) from None
    fees.refunded_vnd += amount
    fees.save(update_fields=["refunded_vnd"])
    apply_action(
        dossier,
        Action.REFUND_FEE,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency_id,
        data={
            "amount_vnd": amount,
            "method": RefundMethod.GATEWAY.value,
            "reason": reason,
            "order_id": payment.order_id,
            "refund_transaction_id": refund.reference,
        },
    )
    return refund


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


def _ask(
    payment: Payment, conf: PaymentConf, amount: int, dossier: Dossier, now: dt.datetime, seen: dict[str, Any]
) -> gateway.RefundNotice:
    """Send the signed refund request and check the answer; anything but a confirmation raises."""
    number = Refund.objects.filter(payment=payment).count() + 1
    asked = gateway.refund_fields(
        payment,
        conf,
        refund_id=f"{payment.order_id}-{number}",
        amount=amount,
        # Plain ASCII, as the order's description: many gateways refuse diacritics.
        reason=f"Hoan phi, le phi ho so {dossier.code}",
        now=now,
    )
    seen["answer"] = answer = gateway_client.exchange(gateway_client.REFUND, asked, conf)
    try:
        notice = gateway.read_refund_answer(answer, asked, conf, now=now)
    except gateway.BadNotice as bad:
        raise gateway_client.GatewayUnavailable(
            _("The payment gateway's answer cannot be trusted (%(reason)s); nothing was changed.")
            % {"reason": bad.message},
            code=bad.code,
        ) from None
    if notice.status != "refunded":
        raise GatewayRefused(
            _("The payment gateway did not refund the money: %(reason)s. Nothing was recorded.")
            % {"reason": notice.message or _("no reason given")}
        )
    return notice
