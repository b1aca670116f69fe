"""Fees and charges due on a dossier, what was paid, exempted and refunded, and the gateway's notices."""

from motcua.payments.models.gateway import GatewayNotice, NoticeOutcome
from motcua.payments.models.payments import (
    COUNTER_METHODS,
    DESK_REFUND_METHODS,
    DossierFees,
    FeeExemption,
    FeeLine,
    Payment,
    PaymentMethod,
    PaymentStatus,
    RefundMethod,
)
from motcua.payments.models.refunds import Refund, RefundRequest, RefundRequestStatus

__all__ = [
    "COUNTER_METHODS",
    "DESK_REFUND_METHODS",
    "DossierFees",
    "FeeExemption",
    "FeeLine",
    "GatewayNotice",
    "NoticeOutcome",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "Refund",
    "RefundMethod",
    "RefundRequest",
    "RefundRequestStatus",
]
