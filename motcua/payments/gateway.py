"""The payment gateway protocol (docs/payments.md): signed fields, the payment request, the notices.

Every message is a flat set of fields signed with HMAC-SHA256 under the key MotCua shares with the
gateway. The signed text is the fields other than `signature`, sorted by name, one `name=value` per line:
no JSON canonicalisation to agree on, the same in any language. MotCua sends the citizen's browser to
the gateway with a signed request; the gateway answers with a notice, server to server (the callback)
and through the browser (the return address), both verified the same way. Server to server, MotCua may
also ask how an order stands (the status query: the answer is a notice like the callback) and ask for
money paid online to be given back (the refund request, answered by a signed refund notice).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, ValidationFailed
from motcua.core.links import public_url
from motcua.payments.conf import PaymentConf
from motcua.payments.models import Payment

VERSION = "1"
REQUEST_FIELDS = (
    "version",
    "merchant",
    "order_id",
    "amount",
    "currency",
    "description",
    "return_url",
    "notify_url",
    "expires_at",
    "timestamp",
)
NOTICE_FIELDS = ("version", "merchant", "order_id", "transaction_id", "amount", "status", "timestamp")
NOTICE_STATUSES = ("paid", "failed", "cancelled")
# A query's answer may also say the order is still open at the gateway.
ANSWER_STATUSES = (*NOTICE_STATUSES, "pending")
REFUND_ANSWER_FIELDS = ("version", "merchant", "order_id", "refund_id", "amount", "status", "timestamp")
REFUND_STATUSES = ("refunded", "failed")


class BadNotice(DomainError):
    """A notice that does not prove it comes from the gateway: wrong signature, too old, malformed."""

    code = "invalid_notice"
    status = 401


def signed_text(fields: Mapping[str, Any]) -> str:
    """The text the signature covers: every field but `signature`, sorted, `name=value` per line."""
    lines = []
    for name in sorted(fields):
        if name == "signature":
            continue
        value = str(fields[name])
        if "\n" in value or "\r" in value:
            raise ValidationFailed(_("A signed field may not contain a line break."), code="invalid_field")
        lines.append(f"{name}={value}")
    return "\n".join(lines)


def sign(fields: Mapping[str, Any], key: bytes) -> str:
    return hmac.new(key, signed_text(fields).encode(), hashlib.sha256).hexdigest()


def signed(fields: Mapping[str, Any], key: bytes) -> dict[str, str]:
    """The fields as strings, with their signature."""
    values = {name: str(value) for name, value in fields.items()}
    return {**values, "signature": sign(values, key)}


def verify(fields: Mapping[str, Any], key: bytes) -> bool:
    given = str(fields.get("signature", ""))
    return hmac.compare_digest(given.encode(), sign(fields, key).encode())


def request_fields(
    payment: Payment, conf: PaymentConf, *, description: str, now: dt.datetime
) -> dict[str, str]:
    """The signed payment request for `payment` that the citizen's browser carries to the gateway."""
    assert payment.order_id and payment.expires_at
    fields = {
        "version": VERSION,
        "merchant": conf.merchant,
        "order_id": payment.order_id,
        "amount": payment.amount_vnd,
        "currency": "VND",
        "description": description,
        "return_url": public_url(reverse("payments:returned", args=[payment.order_id])),
        "notify_url": public_url("/api/v1/payments/callback"),
        "expires_at": int(payment.expires_at.timestamp()),
        "timestamp": int(now.timestamp()),
    }
    return signed(fields, conf.key)


def gateway_url(fields: Mapping[str, str], conf: PaymentConf) -> str:
    """Where the browser goes: the real gateway's address, or the demo gateway's page."""
    base = conf.gateway_url if conf.gateway == "http" else reverse("payments:demo_gateway")
    return f"{base}{'&' if '?' in base else '?'}{urlencode(fields)}"


@dataclass(frozen=True)
class Notice:
    """What the gateway says about an order, once its signature and age are checked."""

    order_id: str
    transaction_id: str
    amount: int
    status: str  # paid | failed | cancelled
    message: str
    sent_at: dt.datetime


def _text(fields: Mapping[str, Any], name: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise BadNotice(_("The field “%(name)s” is missing.") % {"name": name}, code="invalid_notice")
    return str(value).strip()


def _signed_values(
    fields: Mapping[str, Any], names: tuple[str, ...], conf: PaymentConf, now: dt.datetime
) -> tuple[dict[str, str], dt.datetime]:
    """The named fields of a message from the gateway, once its signature, merchant and age hold."""
    if not verify(fields, conf.key):
        raise BadNotice(_("The signature of the notice is not valid."), code="invalid_signature")
    values = {name: _text(fields, name) for name in names}
    if values["merchant"] != conf.merchant or values["version"] != VERSION:
        raise BadNotice(_("The notice is for another merchant or protocol version."), code="invalid_notice")
    if not values["timestamp"].lstrip("-").isdigit():
        raise BadNotice(_("The notice's timestamp is not valid."), code="invalid_notice")
    sent_at = dt.datetime.fromtimestamp(int(values["timestamp"]), tz=dt.UTC)
    # A notice captured and sent again later is refused: each delivery is signed with its own moment.
    if abs((now - sent_at).total_seconds()) > conf.notice_max_age:
        raise BadNotice(
            _("The notice is too old or from the future; it is not accepted."), code="stale_notice"
        )
    return values, sent_at


def read_notice(
    fields: Mapping[str, Any], conf: PaymentConf, *, now: dt.datetime, pending: bool = False
) -> Notice:
    """Check a notice's fields, signature and age; refuse anything the gateway did not just sign.

    `pending`: the notice answers MotCua's status query, which may also say the order is still open.
    """
    names = tuple(name for name in NOTICE_FIELDS if name != "transaction_id")
    values, sent_at = _signed_values(fields, names, conf, now)
    statuses = ANSWER_STATUSES if pending else NOTICE_STATUSES
    if values["status"] not in statuses or not values["amount"].isdigit():
        raise BadNotice(_("The notice's status or amount is not valid."), code="invalid_notice")
    transaction_id = str(fields.get("transaction_id", "")).strip()
    if values["status"] == "paid" and not transaction_id:
        raise BadNotice(_("A paid notice must carry the gateway's transaction id."), code="invalid_notice")
    return Notice(
        order_id=values["order_id"],
        transaction_id=transaction_id[:100],
        amount=int(values["amount"]),
        status=values["status"],
        message=str(fields.get("message", ""))[:255],
        sent_at=sent_at,
    )


def parse_body(raw: bytes) -> dict[str, Any]:
    """The callback's JSON object, as sent (the signature covers exactly these fields)."""
    try:
        fields = json.loads(raw)
    except ValueError:
        fields = None
    if not isinstance(fields, dict):
        raise ValidationFailed(_("The notice must be a JSON object."), code="invalid_parameters")
    return fields


def notice_body(fields: Mapping[str, Any]) -> str:
    """The notice as kept in the log: JSON, cut to a readable size."""
    return json.dumps(dict(fields), ensure_ascii=False, sort_keys=True, default=str)[:4000]


# ---- Server to server: the status query and the refund request ----------------------------------


def query_fields(payment: Payment, conf: PaymentConf, *, now: dt.datetime) -> dict[str, str]:
    """The signed status query for an online order (answered by a notice like the callback)."""
    assert payment.order_id and payment.expires_at
    fields = {
        "version": VERSION,
        "merchant": conf.merchant,
        "order_id": payment.order_id,
        "amount": payment.amount_vnd,
        # A gateway that never saw the order tells from it whether the payer may still come.
        "expires_at": int(payment.expires_at.timestamp()),
        "timestamp": int(now.timestamp()),
    }
    return signed(fields, conf.key)


def refund_fields(
    payment: Payment, conf: PaymentConf, *, refund_id: str, amount: int, reason: str, now: dt.datetime
) -> dict[str, str]:
    """The signed request to give back `amount` of an online payment."""
    assert payment.order_id
    fields = {
        "version": VERSION,
        "merchant": conf.merchant,
        "order_id": payment.order_id,
        "transaction_id": payment.reference,
        "refund_id": refund_id,
        "amount": amount,
        "reason": reason,
        "timestamp": int(now.timestamp()),
    }
    return signed(fields, conf.key)


@dataclass(frozen=True)
class RefundNotice:
    """The gateway's signed answer to a refund request, once checked against what was asked."""

    refund_id: str
    refund_transaction_id: str
    amount: int
    status: str  # refunded | failed
    message: str


def read_refund_answer(
    fields: Mapping[str, Any], asked: Mapping[str, str], conf: PaymentConf, *, now: dt.datetime
) -> RefundNotice:
    """Check the refund answer's signature and age, and that it answers exactly what was asked."""
    values, _sent_at = _signed_values(fields, REFUND_ANSWER_FIELDS, conf, now)
    if values["status"] not in REFUND_STATUSES:
        raise BadNotice(_("The notice's status or amount is not valid."), code="invalid_notice")
    if any(values[name] != asked[name] for name in ("order_id", "refund_id", "amount")):
        raise BadNotice(
            _("The gateway's answer is about another order, refund or amount."), code="invalid_notice"
        )
    refund_transaction_id = str(fields.get("refund_transaction_id", "")).strip()
    if values["status"] == "refunded" and not refund_transaction_id:
        raise BadNotice(
            _("A refund confirmation must carry the gateway's refund transaction id."),
            code="invalid_notice",
        )
    return RefundNotice(
        refund_id=values["refund_id"],
        refund_transaction_id=refund_transaction_id[:100],
        amount=int(values["amount"]),
        status=values["status"],
        message=str(fields.get("message", ""))[:255],
    )
