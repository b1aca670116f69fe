"""At the desk: collect the fees (cash, transfer, card) with an e-receipt; exempt or reduce; refund."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers.lifecycle import Action, next_status
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import apply_action, lock_dossier, operation, steps_of
from motcua.org.access import scope_for
from motcua.payments import rules
from motcua.payments.conf import payment_conf
from motcua.payments.models import (
    COUNTER_METHODS,
    DESK_REFUND_METHODS,
    DossierFees,
    FeeExemption,
    Payment,
    PaymentStatus,
    Refund,
    RefundMethod,
    RefundRequest,
    RefundRequestStatus,
)
from motcua.payments.services.ledger import (
    allocate,
    amount_within,
    close_order,
    credit,
    issue_receipt,
    open_account,
)
from motcua.payments.services.receipt_signing import queue_signing
from motcua.payments.words import format_vnd

MAX_TEXT = 2000


def _required(value: str, field: str, message: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationFailed(message, code=f"{field}_required", fields={field: message})
    if len(text) > MAX_TEXT:
        too_long = _("Write at most %(n)s characters.") % {"n": MAX_TEXT}
        raise ValidationFailed(too_long, code="text_too_long", fields={field: too_long})
    return text


def cancel_pending_order(dossier: Dossier, *, reason: str, actor: User | None, now: dt.datetime) -> None:
    """Close the order left waiting at the gateway; if the gateway confirms it later, that is recorded."""
    pending = Payment.objects.filter(dossier=dossier, status=PaymentStatus.PENDING).first()
    if pending is not None:
        close_order(dossier, pending, reason=reason, actor=actor, now=now)


@operation
def collect_fee(
    *,
    code: str,
    actor: User,
    method: str,
    payer_name: str = "",
    amount_vnd: int | None = None,
    reference: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Payment:
    """The counter officer takes what is still due and issues the e-receipt (a part only if allowed)."""
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    if not rules.may_collect(actor, scope_for(actor), dossier):
        raise rules.NotAllowed(
            _("Fees are collected by the counter officers of the point that received the dossier."),
            code="counter_only",
        )
    if method not in COUNTER_METHODS:
        message = _("Choose cash, bank transfer or card.")
        raise ValidationFailed(message, code="invalid_method", fields={"method": message})
    next_status(dossier.status, Action.COLLECT_FEE)
    conf = payment_conf()
    fees = open_account(dossier, now)
    amount = amount_within(fees.balance_vnd, amount_vnd, partial=conf.partial, what="payment")
    cancel_pending_order(dossier, reason="Đã nộp tại quầy", actor=actor, now=now)
    payment = Payment(
        dossier=dossier,
        agency_id=dossier.lead_agency_id,
        service_point_id=dossier.receiving_point_id,
        amount_vnd=amount,
        method=method,
        status=PaymentStatus.PAID,
        payer_name=(payer_name.strip() or dossier.applicant_snapshot.get("name", ""))[:255],
        lines=allocate(dossier, amount),
        created_at=now,
        paid_at=now,
        collected_by=actor,
        reference=reference.strip()[:100],
    )
    issue_receipt(payment, conf, now)
    payment.save()
    queue_signing(payment)
    credit(fees, paid=amount, method=method, now=now)
    apply_action(
        dossier,
        Action.COLLECT_FEE,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency_id,
        data={"amount_vnd": amount, "method": method, "receipt": payment.receipt},
    )
    return payment


@operation
def exempt_fee(
    *,
    code: str,
    actor: User,
    reason: str,
    legal_basis: str,
    amount_vnd: int | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> FeeExemption:
    """A leader exempts the dossier from what it still owes, or reduces it, stating reason and legal basis."""
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    scope = scope_for(actor)
    if not rules.may_exempt(actor, scope, dossier):
        raise rules.NotAllowed(
            _("Only the handling agency's leaders or the centre's director exempt or reduce fees."),
            code="leaders_only",
        )
    reason = _required(reason, "reason", _("State why the fees are exempted or reduced."))
    legal_basis = _required(legal_basis, "legal_basis", _("Cite the legal basis of the exemption."))[:500]
    next_status(dossier.status, Action.EXEMPT_FEE)
    fees = open_account(dossier, now)
    amount = amount_within(fees.balance_vnd, amount_vnd, partial=True, what="exemption")
    exemption = FeeExemption.objects.create(
        dossier=dossier,
        amount_vnd=amount,
        reason=reason,
        legal_basis=legal_basis,
        lines=allocate(dossier, amount),
        decided_by=actor,
        decided_at=now,
    )
    credit(fees, exempted=amount, now=now)
    if fees.settled:
        cancel_pending_order(dossier, reason="Được miễn phí, lệ phí", actor=actor, now=now)
    leader = any(dossier.lead_agency_id in scope.ids_for(role) for role in rules.LEADER_ROLES)
    apply_action(
        dossier,
        Action.EXEMPT_FEE,
        actor=actor,
        at=now,
        agency=dossier.lead_agency_id if leader else dossier.receiving_agency_id,
        # The reason may name the applicant's situation (poverty, disability): not on the public look-up.
        public=False,
        data={"amount_vnd": amount, "reason": reason, "legal_basis": legal_basis, "whole": fees.settled},
    )
    return exemption


@operation
def refund_fee(
    *,
    code: str,
    actor: User,
    reason: str,
    method: str = RefundMethod.CASH,
    amount_vnd: int | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Refund:
    """Give the fees back on a dossier refused or stopped, as the province's refund rule allows."""
    now = now or timezone.now()
    dossier = lock_dossier(code, expected_version=expected_version, actor=actor)
    reason = refund_allowed(dossier, actor, reason)
    if method not in DESK_REFUND_METHODS:
        message = _("Choose cash or bank transfer.")
        raise ValidationFailed(message, code="invalid_method", fields={"method": message})
    fees, refundable = refundable_on(dossier)
    amount = refund_amount(amount_vnd, refundable)
    refund = Refund.objects.create(
        dossier=dossier,
        service_point_id=dossier.receiving_point_id,
        amount_vnd=amount,
        method=method,
        reason=reason,
        refunded_by=actor,
        refunded_at=now,
    )
    fees.refunded_vnd += amount
    fees.save(update_fields=["refunded_vnd"])
    apply_action(
        dossier,
        Action.REFUND_FEE,
        actor=actor,
        at=now,
        agency=dossier.receiving_agency_id,
        data={"amount_vnd": amount, "method": method, "reason": reason},
    )
    return refund


def refund_allowed(dossier: Dossier, actor: User, reason: str) -> str:
    """Refuse a refund the person, the dossier's status or the province's rule does not allow; the reason."""
    if not rules.may_refund(actor, scope_for(actor), dossier):
        raise rules.NotAllowed(
            _("Fees are refunded by the desk that received the dossier."), code="counter_only"
        )
    reason = _required(reason, "reason", _("State why the fees are refunded."))
    if not rules.status_allows(Action.REFUND_FEE, dossier.status):
        raise TransitionNotAllowed(
            _("Fees are refunded only on a dossier that was refused, stopped or withdrawn."),
            code="refund_not_allowed",
        )
    refused = rules.refund_refusal(payment_conf().refund_rule, steps_of(dossier))
    if refused is not None:
        raise refused
    return reason


def refundable_on(dossier: Dossier) -> tuple[DossierFees, int]:
    """The dossier's account and what may still be given back (paid and not yet refunded)."""
    fees = DossierFees.objects.filter(dossier=dossier).first()
    refundable = fees.paid_vnd - fees.refunded_vnd if fees is not None else 0
    # A gateway refund waiting for its answer may still be paid: it is not given back a second time.
    waiting = RefundRequest.objects.filter(
        dossier=dossier, status=RefundRequestStatus.PENDING, overpayment=False
    ).aggregate(total=Sum("amount_vnd"))["total"]
    refundable -= waiting or 0
    if waiting and refundable <= 0:
        raise ValidationFailed(
            _("A refund through the payment gateway is waiting for its answer; send it again instead."),
            code="refund_pending",
        )
    if fees is None or refundable <= 0:
        raise ValidationFailed(
            _("Nothing was paid on this dossier, so nothing is refunded."), code="nothing_paid"
        )
    return fees, refundable


def refund_amount(wanted: int | None, refundable: int) -> int:
    """The amount asked for (all that may be refunded when none is), at most `refundable`."""
    amount = wanted if wanted is not None else refundable
    if not 0 < amount <= refundable:
        message = _("The refund is at most %(amount)s đ, what was paid.") % {"amount": format_vnd(refundable)}
        raise ValidationFailed(message, code="more_than_paid", fields={"amount_vnd": message})
    return amount
