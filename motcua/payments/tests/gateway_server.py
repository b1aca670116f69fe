"""A payment gateway on 127.0.0.1 for the tests: it speaks docs/payments.md with its own HMAC.

GET /pay?<signed request> checks the request's signature and fields, then, as a real gateway does once
the payer has paid, posts the signed callback to the request's `notify_url` and sends the browser back to
its `return_url` with the same signed fields. `choice` decides whether the payer pays or cancels;
`lose_callbacks` takes the payment but posts no callback and returns the browser without the fields.

POST /query answers MotCua's signed status query with a signed notice (`pending` for an order still open,
`cancelled` for one never seen once it expired); POST /refund answers a signed refund request, and a
refund id already refunded gets the same refund again. `clock` is the gateway's own time (Unix seconds);
`answer_key` signs its answers (another key: a forged answer); `delay` holds every answer back (timeouts).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from motcua.notify.tests.servers import _JsonHandler, _Server

# The request's fields as docs/payments.md lists them (written here again: the test checks the docs).
REQUEST_FIELDS = {"version", "merchant", "order_id", "amount", "currency", "description", "return_url"}
REQUEST_FIELDS |= {"notify_url", "expires_at", "timestamp", "signature"}
QUERY_FIELDS = {"version", "merchant", "order_id", "amount", "expires_at", "timestamp", "signature"}
REFUND_FIELDS = {"version", "merchant", "order_id", "transaction_id", "refund_id", "amount", "reason"}
REFUND_FIELDS |= {"timestamp", "signature"}


def signature(fields: dict[str, Any], key: str) -> str:
    text = "\n".join(f"{name}={fields[name]}" for name in sorted(fields) if name != "signature")
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


class GatewayHandler(_JsonHandler):
    def do_GET(self) -> None:
        gateway: PaymentGateway = self.server.owner  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        fields = dict(parse_qsl(url.query))
        problem = gateway.check(url.path, fields)
        if problem:
            gateway.errors.append(problem)
            self.reply(400, {"error": problem})
            return
        notice = gateway.notice(fields)
        gateway.orders[fields["order_id"]] = {**notice, "refunds": {}}
        location = fields["return_url"]
        if not gateway.lose_callbacks:
            gateway.callbacks.append(gateway.post(fields["notify_url"], notice))
            location = f"{location}?{urlencode(notice)}"
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        gateway: PaymentGateway = self.server.owner  # type: ignore[attr-defined]
        fields = json.loads(self.read_body())
        gateway.received.append((self.path, fields))
        time.sleep(gateway.delay)
        expected = {"/query": QUERY_FIELDS, "/refund": REFUND_FIELDS}.get(self.path)
        if expected is None or set(fields) != expected:
            gateway.errors.append(f"{self.path}: fields {sorted(set(fields) ^ (expected or set()))}")
            self.reply(400, {"error": "bad request"})
        elif not hmac.compare_digest(fields["signature"], signature(fields, gateway.key)):
            gateway.errors.append("bad signature")
            self.reply(401, {"error": "bad signature"})
        elif gateway.status_override:
            self.reply(gateway.status_override, {"error": "unavailable"})
        else:
            answer = gateway.status(fields) if self.path == "/query" else gateway.refund(fields)
            self.reply(200, answer)


class PaymentGateway(_Server):
    def __init__(self, *, key: str, merchant: str = "MOTCUA") -> None:
        super().__init__(GatewayHandler)
        self.key, self.merchant = key, merchant
        self.answer_key = key
        self.choice = "paid"
        self.lose_callbacks = False
        self.refund_choice = "refunded"
        self.delay = 0.0
        self.status_override = 0  # an HTTP status to answer every server-to-server request with
        self.clock: Callable[[], float] = time.time
        self.errors: list[str] = []
        self.callbacks: list[tuple[int, dict[str, Any]]] = []
        self.orders: dict[str, dict[str, Any]] = {}  # what the gateway knows of each order it saw
        self.received: list[tuple[str, dict[str, Any]]] = []  # MotCua's queries and refund requests

    @property
    def url(self) -> str:
        return f"{self.base_url}/pay"

    def check(self, path: str, fields: dict[str, str]) -> str:
        if path != "/pay":
            return f"unknown path {path}"
        if set(fields) != REQUEST_FIELDS:
            return f"fields {sorted(set(fields) ^ REQUEST_FIELDS)}"
        if not hmac.compare_digest(fields["signature"], signature(fields, self.key)):
            return "bad signature"
        if (
            fields["merchant"] != self.merchant
            or fields["currency"] != "VND"
            or not fields["amount"].isdigit()
        ):
            return "bad merchant, currency or amount"
        if int(fields["expires_at"]) < self.clock():
            return "order expired"
        return ""

    def paid_without_callback(self, pay_url: str) -> dict[str, str]:
        """The payer pays the order at `pay_url`, and the callback and the return are both lost."""
        fields = dict(parse_qsl(urlsplit(pay_url).query))
        assert self.check(urlsplit(pay_url).path, fields) == "", self.check(urlsplit(pay_url).path, fields)
        notice = self.notice(fields)
        self.orders[fields["order_id"]] = {**notice, "refunds": {}}
        return notice

    def notice(self, request: dict[str, str]) -> dict[str, str]:
        fields = {
            "version": "1",
            "merchant": self.merchant,
            "order_id": request["order_id"],
            "transaction_id": f"GW{int(time.time() * 1000)}" if self.choice == "paid" else "",
            "amount": request["amount"],
            "status": self.choice,
            "message": "",
            "timestamp": str(int(self.clock())),
        }
        return {**fields, "signature": signature(fields, self.key)}

    def signed(self, fields: dict[str, Any]) -> dict[str, str]:
        values = {name: str(value) for name, value in {**fields, "timestamp": int(self.clock())}.items()}
        return {**values, "signature": signature(values, self.answer_key)}

    def status(self, query: dict[str, str]) -> dict[str, str]:
        """The order as the gateway knows it, signed again now."""
        order = self.orders.get(query["order_id"])
        if order is None:
            still_open = int(query["expires_at"]) > self.clock()
            order = {"transaction_id": "", "amount": query["amount"], "message": "no such payment"}
            order["status"] = "pending" if still_open else "cancelled"
        names = ("version", "merchant", "order_id", "transaction_id", "amount", "status", "message")
        return self.signed({name: order.get(name, query.get(name, "")) for name in names})

    def refund(self, request: dict[str, str]) -> dict[str, str]:
        order = self.orders.get(request["order_id"])
        refunds = order["refunds"] if order else {}
        done = refunds.get(request["refund_id"])
        status, reference, message = "failed", "", "not refunded"
        if done is not None:
            status, reference, message = "refunded", done, ""
        elif order and order["status"] == "paid" and self.refund_choice == "refunded":
            status, reference, message = "refunded", f"RF{int(time.time() * 1000)}{len(refunds)}", ""
            refunds[request["refund_id"]] = reference
        elif self.refund_choice != "refunded":
            message = self.refund_choice
        names = ("version", "merchant", "order_id", "refund_id", "amount")
        answer = {name: request[name] for name in names}
        return self.signed(
            {**answer, "refund_transaction_id": reference, "status": status, "message": message}
        )

    def post(self, url: str, notice: dict[str, str]) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(
            url,
            data=json.dumps(notice).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read())
