"""Payment settings (`settings.MOTCUA["PAYMENT_*"]`, `["RECEIPT_*"]`), read at call time.

`motcua/settings.py` reads them from the environment and refuses a demo gateway with DEBUG off; this
module refuses it again at run time, so a test or a changed setting can never open it in production.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GATEWAYS = ("off", "demo", "http")
REFUND_RULES = ("before_work", "ended", "never")


@dataclass(frozen=True)
class PaymentConf:
    gateway: str  # off | demo | http
    gateway_url: str
    key: bytes
    merchant: str
    order_minutes: int
    notice_max_age: int  # seconds
    partial: bool
    before_result: bool
    refund_rule: str
    receipt_symbol: str  # a template: {yy} is the year's last two digits
    receipt_form: str
    query_url: str  # the gateway's status query, server to server ("" with demo: answered inside)
    refund_url: str  # the gateway's refunds; "" turns refunds through the gateway off
    timeout: float  # seconds MotCua waits for the gateway's answer to a query or a refund
    reconcile_minutes: int  # the sweeper asks about orders waiting longer than this
    query_seconds: int  # the return page asks after this wait; at most one query per order this often
    refund_attempts: int  # times a refund request is sent before it is left to the desk

    @property
    def online(self) -> bool:
        """Whether citizens may pay online at all."""
        return self.gateway != "off"

    def symbol_for(self, year: int) -> str:
        """The receipt symbol printed in `year`: "BL-{yy}E" → "BL-26E"."""
        return self.receipt_symbol.replace("{yy}", f"{year % 100:02d}")

    def order_lifetime(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.order_minutes)

    @property
    def can_query(self) -> bool:
        """Whether MotCua may ask the gateway how an order stands (the demo gateway always answers)."""
        return self.gateway == "demo" or (self.gateway == "http" and bool(self.query_url))

    @property
    def can_refund(self) -> bool:
        """Whether money paid online may be given back through the gateway (else only at the desk)."""
        return self.gateway == "demo" or (self.gateway == "http" and bool(self.refund_url))


def _key(options: dict, gateway: str) -> bytes:
    key = str(options.get("PAYMENT_GATEWAY_KEY", ""))
    if key:
        return key.encode()
    if gateway == "http":
        raise ImproperlyConfigured("MOTCUA_PAYMENT_GATEWAY_KEY is required with the http payment gateway")
    # The demo gateway signs with a key only this installation knows.
    return hmac.new(settings.SECRET_KEY.encode(), b"motcua-demo-payment-gateway", hashlib.sha256).digest()


def payment_conf() -> PaymentConf:
    options = settings.MOTCUA
    gateway = str(options.get("PAYMENT_GATEWAY", "off"))
    if gateway not in GATEWAYS:
        raise ImproperlyConfigured(f"MOTCUA_PAYMENT_GATEWAY must be one of {GATEWAYS}, not {gateway!r}")
    if gateway == "demo" and not settings.DEBUG:
        raise ImproperlyConfigured("The demo payment gateway exists only with DEBUG on")
    if gateway == "http" and not options.get("PAYMENT_GATEWAY_URL"):
        raise ImproperlyConfigured("MOTCUA_PAYMENT_GATEWAY_URL is required with the http payment gateway")
    refund_rule = str(options.get("PAYMENT_REFUND", "before_work"))
    if refund_rule not in REFUND_RULES:
        raise ImproperlyConfigured(f"MOTCUA_PAYMENT_REFUND must be one of {REFUND_RULES}")
    return PaymentConf(
        gateway=gateway,
        gateway_url=str(options.get("PAYMENT_GATEWAY_URL", "")),
        key=_key(options, gateway),
        merchant=str(options.get("PAYMENT_MERCHANT", "MOTCUA")),
        order_minutes=int(options.get("PAYMENT_ORDER_MINUTES", 15)),
        notice_max_age=int(options.get("PAYMENT_NOTICE_MAX_AGE", 600)),
        partial=bool(options.get("PAYMENT_PARTIAL", False)),
        before_result=bool(options.get("PAYMENT_BEFORE_RESULT", True)),
        refund_rule=refund_rule,
        receipt_symbol=str(options.get("RECEIPT_SYMBOL", "BL-{yy}E")),
        receipt_form=str(options.get("RECEIPT_FORM", "01BLP0-001")),
        query_url=str(options.get("PAYMENT_GATEWAY_QUERY_URL", "")),
        refund_url=str(options.get("PAYMENT_GATEWAY_REFUND_URL", "")),
        timeout=float(options.get("PAYMENT_GATEWAY_TIMEOUT", 10)),
        reconcile_minutes=int(options.get("PAYMENT_RECONCILE_MINUTES", 15)),
        query_seconds=int(options.get("PAYMENT_QUERY_SECONDS", 30)),
        refund_attempts=max(int(options.get("PAYMENT_REFUND_ATTEMPTS", 5)), 1),
    )
