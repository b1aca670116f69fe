"""Reads of the payments app: a dossier's fees for its pages and the API, a desk's day of collections."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.choices import OnlineLevel
from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.dossiers.models import Dossier
from motcua.payments.conf import payment_conf
from motcua.payments.models import (
    DossierFees,
    FeeExemption,
    FeeLine,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundRequest,
    RefundRequestStatus,
)
from motcua.payments.services.ledger import LineDue, lines_due


@dataclass(frozen=True)
class Fees:
    """What a dossier owes and what became of it; `lines` are as written, or as they would be."""

    dossier: Dossier
    lines: list[FeeLine] | list[LineDue]
    due_vnd: int
    paid_vnd: int = 0
    exempted_vnd: int = 0
    refunded_vnd: int = 0
    payments: list[Payment] = field(default_factory=list)
    exemptions: list[FeeExemption] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    refund_requests: list[RefundRequest] = field(default_factory=list)

    @property
    def balance_vnd(self) -> int:
        return max(self.due_vnd - self.paid_vnd - self.exempted_vnd, 0)

    @property
    def settled(self) -> bool:
        return self.balance_vnd == 0

    @property
    def receipts(self) -> list[Payment]:
        return [p for p in self.payments if p.status == PaymentStatus.PAID]

    @property
    def pending(self) -> Payment | None:
        return next((p for p in self.payments if p.status == PaymentStatus.PENDING), None)

    @property
    def overpayments(self) -> list[Payment]:
        """Online payments confirmed after the fees were settled: received, and given back whole."""
        return [p for p in self.payments if p.status == PaymentStatus.OVERPAID]

    @property
    def waiting_refunds(self) -> list[RefundRequest]:
        """Refund requests not confirmed by the gateway, for the desk to follow (a refusal until retried)."""
        live = {r.payment_id for r in self.refund_requests if r.status != RefundRequestStatus.FAILED}
        return [
            r
            for r in self.refund_requests
            if r.status == RefundRequestStatus.PENDING
            or (r.status == RefundRequestStatus.FAILED and r.payment_id not in live)
        ]

    @property
    def refundable_vnd(self) -> int:
        """Paid and not given back, nor asked of the gateway and still waiting for its answer."""
        waiting = sum(
            r.amount_vnd
            for r in self.refund_requests
            if r.status == RefundRequestStatus.PENDING and not r.overpayment
        )
        return self.paid_vnd - self.refunded_vnd - waiting

    @property
    def online_refundable_vnd(self) -> int:
        """What may still go back through the gateway: paid online, not yet given back that way."""
        online = sum(p.amount_vnd for p in self.payments if p.method == "online" and p.status == "paid")
        overpaid = {p.pk for p in self.overpayments}
        back = sum(r.amount_vnd for r in self.refunds if r.payment_id and r.payment_id not in overpaid)
        return max(min(online - back, self.refundable_vnd), 0)


def attention_after() -> int:
    """Attempts after which a pending refund waits for the desk (at once when refunds are off here)."""
    conf = payment_conf()
    return conf.refund_attempts if conf.can_refund else 0


def needs_attention(request: RefundRequest, attempts: int) -> bool:
    """A refund the sweeper no longer sends: out of attempts, or an overpayment the gateway refused."""
    if request.status == RefundRequestStatus.PENDING:
        return request.attempts >= attempts
    return request.status == RefundRequestStatus.FAILED and request.overpayment


def fees_of(dossier: Dossier) -> Fees | None:
    """The dossier's fees; None (and no query) for a dossier without any."""
    if not dossier.fee_due_vnd:
        return None
    account = DossierFees.objects.filter(dossier_id=dossier.pk).first()
    if account is None:
        return Fees(dossier=dossier, lines=lines_due(dossier), due_vnd=dossier.fee_due_vnd)
    return Fees(
        dossier=dossier,
        lines=list(FeeLine.objects.filter(dossier_id=dossier.pk).order_by("position")),
        due_vnd=account.due_vnd,
        paid_vnd=account.paid_vnd,
        exempted_vnd=account.exempted_vnd,
        refunded_vnd=account.refunded_vnd,
        payments=list(
            Payment.objects.filter(dossier_id=dossier.pk)
            .select_related("collected_by", "agency")
            .order_by("created_at", "pk")
        ),
        exemptions=list(
            FeeExemption.objects.filter(dossier_id=dossier.pk)
            .select_related("decided_by")
            .order_by("decided_at", "pk")
        ),
        refunds=list(
            Refund.objects.filter(dossier_id=dossier.pk)
            .select_related("refunded_by")
            .order_by("refunded_at", "pk")
        ),
        refund_requests=list(
            RefundRequest.objects.filter(dossier_id=dossier.pk).order_by("requested_at", "pk")
        ),
    )


def receipt_of(dossier: Dossier, symbol: str, number: int) -> Payment | None:
    """A paid payment of the dossier by its receipt symbol and number."""
    return (
        Payment.objects.filter(
            dossier=dossier, status=PaymentStatus.PAID, receipt_symbol=symbol, receipt_number=number
        )
        .select_related(
            "dossier__procedure_version", "agency__unit", "agency__parent", "collected_by", "receipt_file"
        )
        .first()
    )


def receipt_not_found() -> NotFound:
    return NotFound(_("No such receipt on this dossier."), code="receipt_not_found")


def payment_by_order(order_id: str) -> Payment | None:
    return (
        Payment.objects.filter(order_id=order_id, method=PaymentMethod.ONLINE)
        .select_related("dossier")
        .first()
    )


# ---- A desk's day ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    label: str
    count: int
    amount_vnd: int


@dataclass(frozen=True)
class Day:
    """What a desk (or one officer) collected and refunded on one day, with its totals."""

    day: dt.date
    payments: list[Payment]
    refunds: list[Refund]
    # Online payments confirmed after the fees were settled: received (no receipt), refunded automatically.
    overpayments: list[Payment] = field(default_factory=list)

    @property
    def collected_vnd(self) -> int:
        return sum(p.amount_vnd for p in self.payments)

    @property
    def overpaid_vnd(self) -> int:
        return sum(p.amount_vnd for p in self.overpayments)

    @property
    def refunded_vnd(self) -> int:
        return sum(r.amount_vnd for r in self.refunds)

    @property
    def net_vnd(self) -> int:
        return self.collected_vnd + self.overpaid_vnd - self.refunded_vnd

    @property
    def by_method(self) -> list[Total]:
        labels = dict(PaymentMethod.choices)
        return _totals((str(labels[p.method]), p.amount_vnd) for p in self.payments)

    @property
    def by_officer(self) -> list[Total]:
        return _totals((officer_name(p), p.amount_vnd) for p in self.payments)

    @property
    def by_line(self) -> list[Total]:
        return _totals((line["name"], int(line["amount_vnd"])) for p in self.payments for line in p.lines)


def refunder_name(refund: Refund) -> str:
    """Who gave the money back: the officer, or MotCua itself for an overpayment refunded automatically."""
    user = refund.refunded_by
    if user is None:
        return "Hoàn trả tự động qua cổng thanh toán"
    return user.full_name or user.get_username()


def officer_name(payment: Payment) -> str:
    """Who took the money: the officer, or the payment gateway for an online payment."""
    user = payment.collected_by
    if user is None:
        return "Cổng thanh toán trực tuyến"
    return user.full_name or user.get_username()


def _totals(pairs: object) -> list[Total]:
    counts: dict[str, int] = defaultdict(int)
    amounts: dict[str, int] = defaultdict(int)
    for label, amount in pairs:  # type: ignore[attr-defined]
        counts[label] += 1
        amounts[label] += amount
    return [Total(label, counts[label], amounts[label]) for label in sorted(amounts)]


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The day from 00:00 to 24:00 in Vietnam time, as aware moments."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, start + dt.timedelta(days=1)


def day_of_collections(*, day: dt.date, point_ids: frozenset[int], officer: User | None = None) -> Day:
    """Receipts, overpayments and refunds of `day` at the points; only `officer`'s own when one is given.

    Three queries (an officer collects nothing online, so she has no overpayments: two).
    """
    start, end = day_bounds(day)
    received: QuerySet[Payment] = Payment.objects.filter(
        service_point_id__in=point_ids, paid_at__gte=start, paid_at__lt=end
    )
    payments = received.filter(status=PaymentStatus.PAID)
    refunds: QuerySet[Refund] = Refund.objects.filter(
        service_point_id__in=point_ids, refunded_at__gte=start, refunded_at__lt=end
    )
    overpaid = received.filter(status=PaymentStatus.OVERPAID).select_related("dossier")
    if officer is not None:
        payments, refunds = payments.filter(collected_by=officer), refunds.filter(refunded_by=officer)
    return Day(
        day=day,
        payments=list(
            payments.select_related("dossier", "collected_by").order_by("paid_at", "receipt_number", "pk")
        ),
        refunds=list(refunds.select_related("dossier", "refunded_by").order_by("refunded_at", "pk")),
        overpayments=[] if officer is not None else list(overpaid.order_by("paid_at", "pk")),
    )


def refunds_needing_attention(*, point_ids: frozenset[int], attempts: int) -> list[RefundRequest]:
    """Gateway refunds of the points' dossiers the sweeper gave up on, or overpayments refused (one query).

    An overpayment refused is no longer listed once it was asked again (pending) or refunded.
    """
    answered_again = RefundRequest.objects.filter(
        payment_id=OuterRef("payment_id"),
        status__in=[RefundRequestStatus.PENDING, RefundRequestStatus.REFUNDED],
    )
    found = RefundRequest.objects.filter(dossier__receiving_point_id__in=point_ids).filter(
        Q(status=RefundRequestStatus.PENDING, attempts__gte=attempts)
        | Q(status=RefundRequestStatus.FAILED, overpayment=True) & ~Exists(answered_again)
    )
    return list(found.select_related("dossier").order_by("requested_at", "pk"))


# ---- Decision 766 -------------------------------------------------------------------------------

NO_FEES_SETTLED = gettext_lazy(
    "No fees of an online procedure were settled in this period: online payment has nothing to measure."
)


def online_payment_counts(
    dossiers: QuerySet[Dossier], start: dt.datetime, end: dt.datetime
) -> tuple[int, int]:
    """(settled online, settled) among `dossiers` whose fees were first settled in [start, end) (one query).

    Only procedures provided online (Decree 42/2022: fully or partly) can be paid online, so only their
    dossiers count; a dossier exempted in full paid nothing, online or not, and is left out too.
    """
    settled = dossiers.filter(
        fees__settled_at__gte=start,
        fees__settled_at__lt=end,
        fees__paid_vnd__gt=0,
        procedure_version__online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL],
    )
    counts = settled.aggregate(total=Count("pk"), online=Count("pk", filter=Q(fees__settled_online=True)))
    return counts["online"], counts["total"]
