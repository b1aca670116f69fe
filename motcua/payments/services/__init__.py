"""Writes of the payments app: collect, exempt, refund at the desk; start and record online payments;
ask the gateway about orders whose notice never came; refund online payments (and overpayments) through
the gateway, and send again the refunds whose answer was lost; sign the e-receipts with the agency's seal."""

from motcua.payments.services.counter import collect_fee, exempt_fee, refund_fee
from motcua.payments.services.gateway_refund import refund_through_gateway, send_refund_again
from motcua.payments.services.online import NoticeResult, Order, record_notice, start_online_payment
from motcua.payments.services.receipt_signing import ReceiptSweep, sign_receipt, sign_waiting_receipts
from motcua.payments.services.reconcile import (
    RefundSweep,
    Sweep,
    check_with_gateway,
    reconcile_if_due,
    reconcile_order,
    reconcile_waiting,
    resend_waiting_refunds,
)

__all__ = [
    "NoticeResult",
    "Order",
    "ReceiptSweep",
    "RefundSweep",
    "Sweep",
    "check_with_gateway",
    "collect_fee",
    "exempt_fee",
    "reconcile_if_due",
    "reconcile_order",
    "reconcile_waiting",
    "record_notice",
    "refund_fee",
    "refund_through_gateway",
    "resend_waiting_refunds",
    "send_refund_again",
    "sign_receipt",
    "sign_waiting_receipts",
    "start_online_payment",
]
