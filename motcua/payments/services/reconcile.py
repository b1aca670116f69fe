"""Ask the gateway about orders whose callback never came: one order on demand, or all that waited long;
send again the refund requests whose answer was lost.

Without this, an order whose callback was lost waits until it expires, and a citizen who paid is told the
fee is unpaid. The gateway's answer is a signed notice like the callback; it is checked and applied by
the same `record_notice`, so a payment is recorded once, whichever of the callback, the return page or
the query comes first. No dossier row is locked while the gateway is asked: the answer is applied in its
own transaction, under the dossier's lock, as a callback is. A refund request still pending is sent again
with its own `refund_id` (the gateway pays it once), at most `MOTCUA_PAYMENT_REFUND_ATTEMPTS` times in
all; after that it waits for the desk ("needs attention").
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.models import Dossier
from motcua.org.access import scope_for
from motcua.payments import gateway, gateway_client, rules
from motcua.payments.conf import PaymentConf, payment_conf
from motcua.payments.models import (
    NoticeOutcome,
    Payment,
    PaymentMethod,
    PaymentStatus,
    RefundRequest,
    RefundRequestStatus,
)
from motcua.payments.services.online import NoticeResult, record_notice
from motcua.payments.services.refund_requests import send_refund_request

logger = logging.getLogger("motcua.payments.gateway")

# The sweeper stops asking about an order still open this long after it began: a person looks at it.
SWEEP_FOR = dt.timedelta(days=7)


class AskedTooRecently(DomainError):
    code = "asked_too_recently"
    status = 429


def reconcile_order(payment: Payment, *, now: dt.datetime | None = None) -> NoticeResult:
    """Ask the gateway how the order stands and apply its signed answer exactly as a callback.

    `pending` changes nothing. An unreachable gateway, or an answer that is not signed, fresh and about
    this order, changes nothing either: `GatewayUnavailable` says why (and it is logged).
    """
    now = now or timezone.now()
    conf = payment_conf()
    if not conf.can_query:
        raise TransitionNotAllowed(
            _("The payment gateway cannot be asked about orders here."), code="gateway_query_off"
        )
    answer = gateway_client.exchange(gateway_client.QUERY, gateway.query_fields(payment, conf, now=now), conf)
    try:
        return record_notice(
            fields=answer, source="query", remote_addr=_host(conf), now=now, answer_to=payment
        )
    except gateway.BadNotice as bad:  # logged with the answer by record_notice
        raise gateway_client.GatewayUnavailable(
            _("The payment gateway's answer cannot be trusted (%(reason)s); nothing was changed.")
            % {"reason": bad.message},
            code=bad.code,
        ) from None


def _host(conf: PaymentConf) -> str:
    return "demo-gateway" if conf.gateway == "demo" else (urlsplit(conf.query_url).hostname or "")


def may_ask_now(payment: Payment, conf: PaymentConf, now: dt.datetime, *, what: str = "query") -> bool:
    """About one query (or refund sent again) per order every `query_seconds`, whoever asks.

    The window is counted on the clock the services use, and taken with the cache's atomic `add`, so two
    web workers asking at once send one query (with a shared cache, as for the look-up's limits).
    """
    window = int(now.timestamp()) // max(conf.query_seconds, 1)
    key = f"payments:{what}:{payment.order_id}:{window}"
    return bool(cache.add(key, 1, timeout=max(conf.query_seconds, 1) * 2))


def reconcile_if_due(payment: Payment, *, now: dt.datetime | None = None) -> NoticeResult | None:
    """From the citizen's return page: ask once the order has waited long enough, never too often."""
    now = now or timezone.now()
    conf = payment_conf()
    waited = now - payment.created_at >= dt.timedelta(seconds=conf.query_seconds)
    if payment.status != PaymentStatus.PENDING or not conf.can_query or not waited:
        return None
    if not may_ask_now(payment, conf, now):
        return None
    try:
        return reconcile_order(payment, now=now)
    except DomainError as failed:  # the page shows the order as recorded; the sweeper asks again
        logger.warning("query from the return page failed: %s %s", payment.order_id, failed.code)
        return None


def check_with_gateway(*, code: str, actor: User, now: dt.datetime | None = None) -> NoticeResult:
    """The desk asks the gateway about the dossier's waiting order (else its latest one not paid)."""
    dossier = access.get_dossier_for_staff(actor, code)
    if not rules.may_refund(actor, scope_for(actor), dossier):
        raise rules.NotAllowed(
            _("The payment gateway is asked by the desk that received the dossier."), code="counter_only"
        )
    conf = payment_conf()
    if not conf.can_query:
        raise TransitionNotAllowed(
            _("The payment gateway cannot be asked about orders here."), code="gateway_query_off"
        )
    payment = order_to_check(dossier)
    if payment is None:
        raise ValidationFailed(_("This dossier has no online payment to check."), code="no_online_order")
    if not may_ask_now(payment, conf, now or timezone.now()):
        raise AskedTooRecently(
            _("The gateway was asked about this order a moment ago; try again in %(n)s seconds.")
            % {"n": conf.query_seconds}
        )
    return reconcile_order(payment, now=now)


def order_to_check(dossier: Dossier) -> Payment | None:
    """The order waiting at the gateway; else the latest one not paid (closed, but maybe paid after all)."""
    orders = Payment.objects.filter(dossier=dossier, method=PaymentMethod.ONLINE).exclude(
        status=PaymentStatus.PAID
    )
    return orders.filter(status=PaymentStatus.PENDING).first() or orders.order_by("-created_at").first()


@dataclass
class Sweep:
    """What one run of the sweeper did: orders asked about, and what became of them."""

    asked: int = 0
    recorded: list[str] = field(default_factory=list)  # order ids paid or closed by the answer
    pending: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (order id, error code)


def reconcile_waiting(
    *, now: dt.datetime | None = None, older_than: dt.timedelta | None = None, limit: int = 500
) -> Sweep:
    """Ask about every order waiting longer than `older_than` (the setting by default), oldest first.

    One order's failure (the gateway down, a bad answer, a conflict) is logged and the next is asked.
    """
    now = now or timezone.now()
    conf = payment_conf()
    sweep = Sweep()
    if not conf.can_query:
        return sweep
    cutoff = now - (older_than if older_than is not None else dt.timedelta(minutes=conf.reconcile_minutes))
    waiting = Payment.objects.filter(
        method=PaymentMethod.ONLINE,
        status=PaymentStatus.PENDING,
        created_at__lte=cutoff,
        created_at__gte=now - SWEEP_FOR,
    ).order_by("created_at", "pk")[:limit]
    for payment in waiting:
        sweep.asked += 1
        try:
            result = reconcile_order(payment, now=now)
        except DomainError as failed:
            logger.warning("reconcile %s: %s %s", payment.order_id, failed.code, failed.message)
            sweep.failed.append((payment.order_id or "", failed.code))
            continue
        except Exception:  # one broken order must not stop the others; the traceback goes to the log
            logger.exception("reconcile %s failed", payment.order_id)
            sweep.failed.append((payment.order_id or "", "error"))
            continue
        target = sweep.pending if result.outcome == NoticeOutcome.PENDING else sweep.recorded
        target.append(payment.order_id or "")
    return sweep


@dataclass
class RefundSweep:
    """What one run did with the refund requests waiting for an answer."""

    sent: int = 0
    refunded: list[str] = field(default_factory=list)  # refund ids confirmed by the gateway
    failed: list[tuple[str, str]] = field(default_factory=list)  # (refund id, error code)
    skipped: int = 0  # asked about too recently (the rate limit per order)


def resend_waiting_refunds(*, now: dt.datetime | None = None, limit: int = 500) -> RefundSweep:
    """Send again every refund request still pending, oldest first, until its attempts run out.

    A request sent less than the gateway's timeout ago may still be in flight and waits for the next
    run; the others share the status query's limit of one call per order per `query_seconds`.
    """
    now = now or timezone.now()
    conf = payment_conf()
    sweep = RefundSweep()
    if not conf.can_refund:
        return sweep
    settled = now - dt.timedelta(seconds=conf.timeout)
    waiting = (
        RefundRequest.objects.filter(status=RefundRequestStatus.PENDING, attempts__lt=conf.refund_attempts)
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=settled))
        .select_related("payment", "dossier")
        .order_by("requested_at", "pk")[:limit]
    )
    for request in waiting:
        if not may_ask_now(request.payment, conf, now, what="refund"):
            sweep.skipped += 1
            continue
        sweep.sent += 1
        try:
            send_refund_request(request, now=now)
        except DomainError as failed:
            logger.warning("refund %s sent again: %s %s", request.refund_id, failed.code, failed.message)
            sweep.failed.append((request.refund_id, failed.code))
            continue
        except Exception:  # one broken request must not stop the others; the traceback goes to the log
            logger.exception("refund %s sent again failed", request.refund_id)
            sweep.failed.append((request.refund_id, "error"))
            continue
        sweep.refunded.append(request.refund_id)
    return sweep
