"""A payment gateway on 127.0.0.1 for the tests: it speaks docs/payments.md with its own HMAC.

GET /pay?<signed request> checks the request's signature and fields, then, as a real gateway does once
the payer has paid, posts the signed callback to the request's `notify_url` and sends the browser back to
its `return_url` with the same signed fields. `choice` decides whether the payer pays or cancels.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from motcua.notify.tests.servers import _JsonHandler, _Server

# The request's fields as docs/payments.md lists them (written here again: the test checks the docs).
REQUEST_FIELDS = {"version", "merchant", "order_id", "amount", "currency", "description", "return_url"}
REQUEST_FIELDS |= {"notify_url", "expires_at", "timestamp", "signature"}


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
        gateway.callbacks.append(gateway.post(fields["notify_url"], notice))
        self.send_response(302)
        self.send_header("Location", f"{fields['return_url']}?{urlencode(notice)}")
        self.send_header("Content-Length", "0")
        self.end_headers()


class PaymentGateway(_Server):
    def __init__(self, *, key: str, merchant: str = "MOTCUA") -> None:
        super().__init__(GatewayHandler)
        self.key, self.merchant = key, merchant
        self.choice = "paid"
        self.errors: list[str] = []
        self.callbacks: list[tuple[int, dict[str, Any]]] = []

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
        if int(fields["expires_at"]) < time.time():
            return "order expired"
        return ""

    def notice(self, request: dict[str, str]) -> dict[str, str]:
        fields = {
            "version": "1",
            "merchant": self.merchant,
            "order_id": request["order_id"],
            "transaction_id": f"GW{int(time.time() * 1000)}" if self.choice == "paid" else "",
            "amount": request["amount"],
            "status": self.choice,
            "message": "",
            "timestamp": str(int(time.time())),
        }
        return {**fields, "signature": signature(fields, self.key)}

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
