"""Online payment: start an order at the gateway, record what the gateway says about it.

The gateway's answer comes twice, server to server (the callback) and with the citizen's browser (the
return address); both are signed, both go through `record_notice`, and the first one records the payment.
A notice repeated changes nothing; one that is badly signed, too old, for another amount, or that
contradicts what was recorded is refused. A payment confirmed after the fees were settled otherwise is
recorded as an overpayment and given back through the gateway (services/overpayment.py). Every notice is
kept in `GatewayNotice` with what became of it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, DomainError, NotFound, TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.lifecycle import Action, next_status
from motcua.dossiers.transitions import apply_action, lock_dossier, operation
from motcua.payments import gateway, rules
from motcua.payments.conf import PaymentConf, payment_conf
from motcua.payments.models import (
    DossierFees,
    NoticeOutcome,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from motcua.payments.services.counter import cancel_pending_order
from motcua.payments.services.ledger import (
    allocate,
    amount_within,
    close_order,
    credit,
    issue_receipt,
    log_notice,
    open_account,
)
from motcua.payments.services.overpayment import record_overpayment, refund_overpayment
from motcua.payments.services.receipt_signing import queue_signing

logger = logging.getLogger("motcua.payments.gateway")


@dataclass(frozen=True)
class Order:
    """An order waiting at the gateway and the address that takes the citizen there."""

    payment: Payment
    pay_url: str


@operation
def start_online_payment(
    *,
    code: str,
    actor: User | None = None,
    secret: str | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """Open (or reopen) the order for what the dossier still owes; the browser then goes to the gateway."""
    now = now or timezone.now()
    dossier = lock_dossier(code)
    user = actor if actor is not None and actor.is_authenticated else None
    if not rules.may_pay(dossier, user, secret):
        raise access.not_found(code)
    conf = payment_conf()
    if not conf.online or not rules.offered_online(dossier):
        raise TransitionNotAllowed(
            _("This dossier's fees cannot be paid online; please pay at the desk."), code="online_payment_off"
        )
    next_status(dossier.status, Action.START_ONLINE_PAYMENT)
    fees = open_account(dossier, now)
    balance = amount_within(fees.balance_vnd, None, partial=False, what="payment")
    pending = Payment.objects.filter(dossier=dossier, status=PaymentStatus.PENDING).first()
    if (
        pending is not None
        and pending.amount_vnd == balance
        and pending.expires_at
        and pending.expires_at > now
    ):
        return _order(pending, conf, now)  # the citizen clicked again: the same order
    cancel_pending_order(dossier, reason="Hết thời hạn thanh toán", actor=user, now=now)
    payment = Payment.objects.create(
        dossier=dossier,
        agency_id=dossier.lead_agency_id,
        service_point_id=dossier.receiving_point_id,
        amount_vnd=balance,
        method=PaymentMethod.ONLINE,
        status=PaymentStatus.PENDING,
        payer_name=dossier.applicant_snapshot.get("name", "")[:255],
        created_at=now,
        order_id=secrets.token_hex(16),
        expires_at=now + conf.order_lifetime(),
    )
    apply_action(
        dossier,
        Action.START_ONLINE_PAYMENT,
        actor=user,
        at=now,
        agency=dossier.lead_agency_id,
        public=False,
        data={"order_id": payment.order_id, "amount_vnd": balance},
    )
    return _order(payment, conf, now)


def _order(payment: Payment, conf: PaymentConf, now: dt.datetime) -> Order:
    # Plain ASCII: many gateways refuse diacritics in an order's description.
    description = f"Phi, le phi ho so {payment.dossier.code}"
    fields = gateway.request_fields(payment, conf, description=description, now=now)
    return Order(payment=payment, pay_url=gateway.gateway_url(fields, conf))


@dataclass(frozen=True)
class NoticeResult:
    outcome: str  # recorded | repeated | pending (a query's answer: still open at the gateway)
    payment: Payment


def record_notice(
    *,
    fields: Mapping[str, Any],
    source: str,
    remote_addr: str = "",
    now: dt.datetime | None = None,
    answer_to: Payment | None = None,
) -> NoticeResult:
    """Check a notice from the gateway and apply it once; keep it in the log whatever happens.

    `answer_to`: the notice answers MotCua's status query about this order, so it must be about that
    order, and it may say the order is still open (`pending`: nothing changes).
    """
    now = now or timezone.now()
    order_id = str(fields.get("order_id", ""))[:40]
    try:
        notice = gateway.read_notice(fields, payment_conf(), now=now, pending=answer_to is not None)
        if answer_to is not None and notice.order_id != answer_to.order_id:
            raise gateway.BadNotice(
                _("The gateway's answer is about another order, refund or amount."), code="invalid_notice"
            )
        if notice.status == "pending":
            assert answer_to is not None
            result = NoticeResult(NoticeOutcome.PENDING, answer_to)
        else:
            result = _apply(notice, now=now)
    except DomainError as refused:
        logger.warning("payment notice refused (%s): %s %s", source, refused.code, order_id)
        log_notice(fields, source, remote_addr, now, NoticeOutcome.REFUSED, refused.code, refused.message)
        raise
    log_notice(fields, source, remote_addr, now, result.outcome, "", "")
    if result.outcome == NoticeOutcome.RECORDED and result.payment.status == PaymentStatus.OVERPAID:
        refund_overpayment(result.payment, now=now)  # after the notice's transaction, not inside it
    return result


@operation
def _apply(notice: gateway.Notice, *, now: dt.datetime) -> NoticeResult:
    found = Payment.objects.filter(order_id=notice.order_id, method=PaymentMethod.ONLINE).first()
    if found is None:
        raise NotFound(_("No payment order has this id."), code="unknown_order")
    dossier = lock_dossier(found.dossier.code)
    payment = Payment.objects.get(pk=found.pk)  # read again under the dossier's lock
    if notice.amount != payment.amount_vnd:
        raise ValidationFailed(
            _("The amount in the notice is not the amount of the order."),
            code="amount_mismatch",
            fields={"amount": notice.amount, "expected": payment.amount_vnd},
        )
    if payment.status in (PaymentStatus.PAID, PaymentStatus.OVERPAID):
        if notice.status == "paid" and notice.transaction_id == payment.reference:
            return NoticeResult(NoticeOutcome.REPEATED, payment)
        raise Conflict(_("The order was already recorded as paid otherwise."), code="notice_conflicts")
    if notice.status != "paid":
        if payment.status == PaymentStatus.FAILED:
            return NoticeResult(NoticeOutcome.REPEATED, payment)
        close_order(dossier, payment, reason=notice.message or notice.status, actor=None, now=now)
        return NoticeResult(NoticeOutcome.RECORDED, payment)
    _record_paid(dossier, payment, notice, now)
    return NoticeResult(NoticeOutcome.RECORDED, payment)


def _record_paid(dossier: Any, payment: Payment, notice: gateway.Notice, now: dt.datetime) -> None:
    fees = DossierFees.objects.get(dossier=dossier)
    if payment.amount_vnd > fees.balance_vnd:
        # Paid at the counter (or exempted) meanwhile: the money was taken, so it is recorded, and it
        # is given back whole (what may still be due is paid again, at the desk or online).
        record_overpayment(dossier, payment, notice, now)
        return
    payment.status, payment.paid_at, payment.reference = PaymentStatus.PAID, now, notice.transaction_id
    payment.failure = ""
    payment.lines = allocate(dossier, payment.amount_vnd)
    issue_receipt(payment, payment_conf(), now)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        raise Conflict(
            _("This transaction id was already recorded for another order."), code="notice_conflicts"
        ) from None
    queue_signing(payment)
    credit(fees, paid=payment.amount_vnd, method=PaymentMethod.ONLINE, now=now)
    apply_action(
        dossier,
        Action.PAY_ONLINE,
        actor=None,
        at=now,
        agency=dossier.lead_agency_id,
        data={
            "amount_vnd": payment.amount_vnd,
            "receipt": payment.receipt,
            "transaction_id": payment.reference,
            "order_id": payment.order_id,
        },
    )
