"""A payment the gateway confirms after the fees were settled otherwise: kept on the books, given back.

The citizen paid online while the desk took the money (or a leader exempted the fees): the gateway's
late confirmation is recorded as an overpayment (the payment `overpaid`, without a receipt, since no
fee is due for it), with a refund request for all of it, an event on the dossier and a message to the
citizen, all in the notice's transaction. The refund is then sent outside it, as any gateway refund
(services/refund_requests.py), and recorded only on the gateway's signed confirmation; if its answer is
lost, the sweeper sends it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, DomainError
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import apply_action
from motcua.notify.context import dossier_context, moment
from motcua.notify.kinds import MessageKind
from motcua.notify.recipients import citizen_recipients
from motcua.notify.services.outbox import drafts_for, queue
from motcua.payments import gateway
from motcua.payments.models import Payment, PaymentStatus, RefundRequest, RefundRequestStatus
from motcua.payments.services.refund_requests import open_request, send_refund_request
from motcua.payments.words import format_vnd

logger = logging.getLogger("motcua.payments.gateway")

# Kept in the refund's reason (Vietnamese, as the desk's own reasons are written).
REASON = "Nộp thừa: phí, lệ phí của hồ sơ đã được nộp trước khi cổng thanh toán xác nhận khoản này"


def record_overpayment(dossier: Dossier, payment: Payment, notice: gateway.Notice, now: dt.datetime) -> None:
    """Record the money as received and owed back, in the notice's transaction under the dossier's lock."""
    payment.status, payment.paid_at, payment.reference = PaymentStatus.OVERPAID, now, notice.transaction_id
    payment.failure = ""
    try:
        with transaction.atomic():
            payment.save(update_fields=["status", "paid_at", "reference", "failure"])
    except IntegrityError:
        raise Conflict(
            _("This transaction id was already recorded for another order."), code="notice_conflicts"
        ) from None
    request = open_request(
        dossier, payment, amount=payment.amount_vnd, reason=REASON, actor=None, now=now, overpayment=True
    )
    apply_action(
        dossier,
        Action.PAY_ONLINE,
        actor=None,
        at=now,
        agency=dossier.lead_agency_id,
        # Not the "fees paid, e-receipt" message: the citizen is told below that it is given back.
        public=False,
        comment="Nộp thừa qua cổng thanh toán: hoàn trả tự động",
        data={
            "amount_vnd": payment.amount_vnd,
            "transaction_id": payment.reference,
            "order_id": payment.order_id,
            "overpaid": True,
            "refund_id": request.refund_id,
        },
    )
    tell_citizen(dossier, payment)


def refund_overpayment(payment: Payment, *, now: dt.datetime) -> None:
    """Send the overpayment's refund now, outside the notice's transaction; the sweeper retries a failure."""
    request = (
        RefundRequest.objects.filter(payment=payment, status=RefundRequestStatus.PENDING, overpayment=True)
        .select_related("payment", "dossier")
        .first()
    )
    if request is None:
        return
    try:
        send_refund_request(request, now=now)
    except DomainError as failed:  # recorded as pending (or refused): the sweeper or the desk goes on
        logger.warning("overpayment refund %s not done: %s", request.refund_id, failed.code)


def tell_citizen(dossier: Dossier, payment: Payment) -> int:
    """Queue the applicant's SMS and e-mail (kind `fee_overpaid`, templates editable in the admin)."""

    def variables(language: str) -> dict[str, Any]:
        unit = "VND" if language == "en" else "đồng"
        return {
            **dossier_context(dossier, language),
            "amount": f"{format_vnd(payment.amount_vnd)} {unit}",
            "at": moment(payment.paid_at),
            "transaction_id": payment.reference,
        }

    return queue(
        drafts_for(
            kind=MessageKind.FEE_OVERPAID,
            # One message per order whatever repeats it: the outbox drops a second one with this key.
            source=f"overpaid:{payment.order_id}",
            recipients=citizen_recipients(dossier),
            variables=variables,
            dossier_id=dossier.pk,
        )
    )
