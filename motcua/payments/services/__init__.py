"""Writes of the payments app: collect, exempt, refund at the desk; start and record online payments."""

from motcua.payments.services.counter import collect_fee, exempt_fee, refund_fee
from motcua.payments.services.online import NoticeResult, Order, record_notice, start_online_payment

__all__ = [
    "NoticeResult",
    "Order",
    "collect_fee",
    "exempt_fee",
    "record_notice",
    "refund_fee",
    "start_online_payment",
]
