"""The demo gateway's server side (DEBUG only): what it remembers of its orders, its answers to MotCua.

The demo page (views/demo_gateway.py) remembers how each order ended there; the status query and the
refund request are answered from that memory (the cache), signed with the shared key, exactly as
docs/payments.md asks a real gateway to. Nothing here moves money.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from motcua.payments import gateway
from motcua.payments.conf import PaymentConf
from motcua.payments.gateway_client import QUERY, GatewayUnavailable

KEEP = 7 * 24 * 3600  # seconds the demo remembers an order


def _key(order_id: str) -> str:
    return f"payments:demo-gateway:{order_id}"


def remember(order_id: str, *, status: str, amount: str, transaction_id: str = "") -> None:
    """How the order ended at the demo gateway (paid or cancelled), for later queries and refunds."""
    cache.set(_key(order_id), {"status": status, "amount": amount, "transaction_id": transaction_id}, KEEP)


def answer(kind: str, fields: Mapping[str, str], conf: PaymentConf) -> dict[str, Any]:
    """Answer MotCua's signed query or refund request as the demo gateway."""
    if not settings.DEBUG or not gateway.verify(fields, conf.key):
        # A real gateway answers HTTP 401 to a request it cannot trust.
        refused = _("The payment gateway refused the request (HTTP %(status)s); nothing was changed.")
        raise GatewayUnavailable(refused % {"status": 401})
    order = cache.get(_key(fields["order_id"]))
    return _query(fields, order, conf) if kind == QUERY else _refund(fields, order, conf)


def _query(fields: Mapping[str, str], order: dict | None, conf: PaymentConf) -> dict[str, Any]:
    if order is None:
        # Never seen here: the payer may still come until the order expires, and no longer after.
        open_ = int(fields["expires_at"]) > time.time()
        order = {"status": "pending" if open_ else "cancelled", "amount": fields["amount"]}
    return gateway.signed(
        {
            "version": gateway.VERSION,
            "merchant": conf.merchant,
            "order_id": fields["order_id"],
            "transaction_id": order.get("transaction_id", ""),
            "amount": order["amount"],
            "status": order["status"],
            "message": "" if order["status"] in ("paid", "pending") else "Không có giao dịch thanh toán",
            "timestamp": int(time.time()),
        },
        conf.key,
    )


def _refund(fields: Mapping[str, str], order: dict | None, conf: PaymentConf) -> dict[str, Any]:
    refunds: dict[str, dict[str, str]] = (order or {}).get("refunds", {})
    done = refunds.get(fields["refund_id"])
    taken = sum(int(r["amount"]) for r in refunds.values())
    if done is not None and done["amount"] == fields["amount"]:
        status, reference, message = "refunded", done["refund_transaction_id"], ""
    elif order is None or order["status"] != "paid" or order["transaction_id"] != fields["transaction_id"]:
        status, reference, message = "failed", "", "Giao dịch không tồn tại hoặc chưa thanh toán"
    elif done is not None or taken + int(fields["amount"]) > int(order["amount"]):
        status, reference, message = "failed", "", "Số tiền hoàn vượt quá số tiền đã thanh toán"
    else:
        status, reference, message = "refunded", f"DEMOR{secrets.token_hex(6).upper()}", ""
        refunds[fields["refund_id"]] = {"amount": fields["amount"], "refund_transaction_id": reference}
        cache.set(_key(fields["order_id"]), {**order, "refunds": refunds}, KEEP)
    return gateway.signed(
        {
            "version": gateway.VERSION,
            "merchant": conf.merchant,
            "order_id": fields["order_id"],
            "refund_id": fields["refund_id"],
            "refund_transaction_id": reference,
            "amount": fields["amount"],
            "status": status,
            "message": message,
            "timestamp": int(time.time()),
        },
        conf.key,
    )
