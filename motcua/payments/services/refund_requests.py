"""Refunds through the payment gateway in three beats, so no dossier row is locked while it is asked.

1. `open_request` records the request (pending, with its `refund_id`) inside the caller's short
   transaction, under the dossier's lock;
2. `send_refund_request` sends it outside any transaction (up to `MOTCUA_PAYMENT_GATEWAY_TIMEOUT`);
3. `_apply` applies the gateway's signed answer in a second transaction that reads the request again
   under the dossier's lock: whoever comes second (another officer, the sweeper) finds it answered and
   gets the same refund, so the gateway pays once (same `refund_id`) and MotCua records it once.

A request whose answer was lost stays pending: it is sent again, with the same `refund_id`, by the
officer or by the sweeper (`payments_reconcile`), which gives up after `MOTCUA_PAYMENT_REFUND_ATTEMPTS`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, DomainError, TransitionNotAllowed
from motcua.core.models import User
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import apply_action, lock_dossier, operation
from motcua.payments import gateway, gateway_client
from motcua.payments.conf import payment_conf
from motcua.payments.models import (
    DossierFees,
    NoticeOutcome,
    Payment,
    Refund,
    RefundMethod,
    RefundRequest,
    RefundRequestStatus,
)
from motcua.payments.services.ledger import log_notice
from motcua.payments.words import format_vnd

logger = logging.getLogger("motcua.payments.gateway")
PENDING, REFUNDED, FAILED = (
    RefundRequestStatus.PENDING,
    RefundRequestStatus.REFUNDED,
    RefundRequestStatus.FAILED,
)


class GatewayRefused(DomainError):
    """The gateway answered, signed, that it did not refund."""

    code = "gateway_refund_failed"
    status = 409


def refunds_off() -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("Refunds through the payment gateway are not available here; refund at the desk."),
        code="gateway_refund_off",
    )


def open_request(
    dossier: Dossier,
    payment: Payment,
    *,
    amount: int,
    reason: str,
    actor: User | None,
    now: dt.datetime,
    overpayment: bool = False,
) -> RefundRequest:
    """Record a refund request for `payment`, in the caller's transaction under the dossier's lock.

    `refund_id` is `<order_id>-<n>`, n the requests made for the payment (and the refunds recorded
    before requests were kept) plus one: unique, and the same whenever this request is sent again.
    """
    earlier = RefundRequest.objects.filter(payment=payment).count()
    earlier += Refund.objects.filter(payment=payment, request__isnull=True).count()
    return RefundRequest.objects.create(
        dossier=dossier,
        payment=payment,
        refund_id=f"{payment.order_id}-{earlier + 1}",
        amount_vnd=amount,
        reason=reason,
        overpayment=overpayment,
        requested_by=actor,
        requested_at=now,
        status=PENDING,
    )


def send_refund_request(request: RefundRequest, *, now: dt.datetime | None = None) -> Refund:
    """Send the request (again) outside any transaction and apply the gateway's signed answer.

    A timeout or an answer that cannot be trusted leaves the request pending (`GatewayUnavailable`); a
    signed refusal closes it (`GatewayRefused`, with the gateway's reason).
    """
    now = now or timezone.now()
    conf = payment_conf()
    if not conf.can_refund:
        raise refunds_off()
    code = request.dossier.code
    asked = gateway.refund_fields(
        request.payment,
        conf,
        refund_id=request.refund_id,
        amount=request.amount_vnd,
        # Plain ASCII, as the order's description: many gateways refuse diacritics.
        reason=f"Hoan {'tien nop thua' if request.overpayment else 'phi, le phi'} ho so {code}",
        now=now,
    )
    sent = RefundRequest.objects.filter(pk=request.pk, status=PENDING)
    if not sent.update(attempts=F("attempts") + 1, last_attempt_at=now):
        return _answered_meanwhile(request.pk)
    try:
        answer = gateway_client.exchange(gateway_client.REFUND, asked, conf)
    except DomainError as failed:
        _note(request, failed.code)
        raise
    try:
        notice = gateway.read_refund_answer(answer, asked, conf, now=now)
        refund = _apply(request.pk, notice, now)
        if refund is None:
            raise GatewayRefused(
                _("The payment gateway did not refund the money: %(reason)s. Nothing was recorded.")
                % {"reason": notice.message or _("no reason given")}
            )
    except DomainError as refused:
        logger.warning("gateway refund %s refused: %s", request.refund_id, refused.code)
        log_notice(answer, "refund", "", now, NoticeOutcome.REFUSED, refused.code, refused.message)
        _note(request, refused.code)
        if isinstance(refused, gateway.BadNotice):
            raise gateway_client.GatewayUnavailable(
                _("The payment gateway's answer cannot be trusted (%(reason)s); nothing was changed.")
                % {"reason": refused.message},
                code=refused.code,
            ) from None
        raise
    log_notice(answer, "refund", "", now, NoticeOutcome.RECORDED, "", "")
    return refund


def _note(request: RefundRequest, code: str) -> None:
    """Remember why the last attempt did not end the request (shown to the desk)."""
    with transaction.atomic():
        RefundRequest.objects.filter(pk=request.pk, status=PENDING).update(last_error=code[:40])


def _answered_meanwhile(request_id: int) -> Refund:
    """Another sender got the answer first: its refund, or the gateway's refusal."""
    request = RefundRequest.objects.select_related("confirmed").get(pk=request_id)
    if request.confirmed is not None:
        return request.confirmed
    raise GatewayRefused(
        _("The payment gateway did not refund the money: %(reason)s. Nothing was recorded.")
        % {"reason": request.message or _("no reason given")}
    )


@operation
def _apply(request_id: int, notice: gateway.RefundNotice, now: dt.datetime) -> Refund | None:
    """Apply the signed answer under the dossier's lock, after reading the request again; None: refused."""
    code = RefundRequest.objects.values_list("dossier__code", flat=True).get(pk=request_id)
    dossier = lock_dossier(code)
    request = RefundRequest.objects.select_related("payment", "confirmed").get(pk=request_id)
    if request.confirmed is not None:  # recorded by whoever sent it too, with the same refund_id
        if notice.status == "refunded" and notice.refund_transaction_id == request.confirmed.reference:
            return request.confirmed
        raise Conflict(_("This refund was already recorded otherwise."), code="refund_conflicts")
    if notice.status != "refunded":
        if request.status == PENDING:
            request.status, request.message, request.last_error = FAILED, notice.message, GatewayRefused.code
            request.save(update_fields=["status", "message", "last_error"])
        return None
    if request.status != PENDING:
        raise Conflict(_("This refund was already recorded otherwise."), code="refund_conflicts")
    return _record(dossier, request, notice, now)


def _record(
    dossier: Dossier, request: RefundRequest, notice: gateway.RefundNotice, now: dt.datetime
) -> Refund:
    fees = DossierFees.objects.get(dossier=dossier)
    if not request.overpayment and fees.paid_vnd - fees.refunded_vnd < request.amount_vnd:
        raise Conflict(
            _("The fees were refunded otherwise meanwhile; the desk must settle this refund."),
            code="refunded_otherwise",
        )
    refund = Refund(
        dossier=dossier,
        service_point_id=dossier.receiving_point_id,
        amount_vnd=request.amount_vnd,
        method=RefundMethod.GATEWAY,
        reason=request.reason,
        refunded_by=request.requested_by,
        refunded_at=now,
        payment=request.payment,
        reference=notice.refund_transaction_id,
    )
    try:
        with transaction.atomic():
            refund.save()
    except IntegrityError:
        raise Conflict(
            _("This refund transaction id was already recorded."), code="refund_conflicts"
        ) from None
    request.status, request.confirmed, request.last_error = REFUNDED, refund, ""
    request.save(update_fields=["status", "confirmed", "last_error"])
    data = {
        "amount_vnd": refund.amount_vnd,
        "method": RefundMethod.GATEWAY.value,
        "reason": refund.reason,
        "order_id": request.payment.order_id,
        "refund_id": request.refund_id,
        "refund_transaction_id": refund.reference,
    }
    if request.overpayment:
        # Money never owed: the fee account is untouched, and the lifecycle allows it in any status.
        apply_action(
            dossier,
            Action.REFUND_OVERPAYMENT,
            actor=request.requested_by,  # None when MotCua refunded on its own; the officer who sent it again
            at=now,
            agency=dossier.receiving_agency_id,
            # Stored in Vietnamese whoever's language ran it, as the desk's own reasons are written.
            comment=f"Đã hoàn trả {format_vnd(refund.amount_vnd)} đ nộp thừa qua cổng thanh toán "
            f"(giao dịch hoàn tiền {refund.reference}).",
            public=False,
            data={**data, "overpayment": True},
        )
        return refund
    fees.refunded_vnd += refund.amount_vnd
    fees.save(update_fields=["refunded_vnd"])
    apply_action(
        dossier,
        Action.REFUND_FEE,
        actor=request.requested_by,
        at=now,
        agency=dossier.receiving_agency_id,
        data=data,
    )
    return refund
