"""What every payment operation shares: the dossier's fee account and lines, allocation, receipt numbers.

All of it runs inside an operation that holds the dossier's row lock (`lock_dossier`), so reading the
account and then writing it cannot race with another desk or the gateway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.fees import fee_breakdown
from motcua.catalog.parts import version_parts
from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.dossiers.codes import next_sequence
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import apply_action
from motcua.payments import gateway
from motcua.payments.conf import PaymentConf
from motcua.payments.models import (
    DossierFees,
    FeeExemption,
    FeeLine,
    GatewayNotice,
    Payment,
    PaymentMethod,
    PaymentStatus,
)

# Printed when the procedure's rules no longer give the total the dossier was received with.
WHOLE_LINE_NAME = "Phí, lệ phí theo giấy tiếp nhận hồ sơ"


@dataclass(frozen=True)
class LineDue:
    position: int
    kind: str
    name: str
    amount_vnd: int


def lines_due(dossier: Dossier) -> list[LineDue]:
    """The fees and charges the dossier owes, from the rules of the version it was received under.

    A published version never changes (catalog/services/versions.py), so these are the lines the
    receipt slip's total was computed from; if they no longer add up to it (a version edited after
    being unpublished), the total the applicant was told stands, as one line.
    """
    rules = version_parts(dossier.procedure_version).fees
    found = [
        LineDue(position=n, kind=line.kind, name=line.name, amount_vnd=line.amount_vnd)
        for n, line in enumerate(fee_breakdown(rules, channel=dossier.channel), start=1)
        if line.amount_vnd > 0
    ]
    if sum(line.amount_vnd for line in found) != dossier.fee_due_vnd:
        return [LineDue(position=1, kind="charge", name=WHOLE_LINE_NAME, amount_vnd=dossier.fee_due_vnd)]
    return found


def open_account(dossier: Dossier, now: dt.datetime) -> DossierFees:
    """The dossier's fee account, written with its lines the first time money moves on it.

    From then on the lines are kept as written, whatever the catalog says later.
    """
    found = DossierFees.objects.filter(dossier=dossier).first()
    if found is not None:
        return found
    if not dossier.fee_due_vnd:
        raise ValidationFailed(_("This dossier has no fees or charges to pay."), code="nothing_due")
    lines = lines_due(dossier)
    FeeLine.objects.bulk_create(
        FeeLine(dossier=dossier, position=d.position, kind=d.kind, name=d.name, amount_vnd=d.amount_vnd)
        for d in lines
    )
    return DossierFees.objects.create(
        dossier=dossier, due_vnd=sum(d.amount_vnd for d in lines), opened_at=now
    )


def allocated(dossier: Dossier) -> dict[int, int]:
    """How much of each line is already paid or exempted (by position)."""
    taken: dict[int, int] = {}
    paid = Payment.objects.filter(dossier=dossier, status=PaymentStatus.PAID).values_list("lines", flat=True)
    exempted = FeeExemption.objects.filter(dossier=dossier).values_list("lines", flat=True)
    for lines in [*paid, *exempted]:
        for line in lines:
            taken[line["position"]] = taken.get(line["position"], 0) + int(line["amount_vnd"])
    return taken


def allocate(dossier: Dossier, amount: int) -> list[dict[str, Any]]:
    """Spread `amount` over the lines still open, in the order the procedure lists them."""
    taken = allocated(dossier)
    shares: list[dict[str, Any]] = []
    left = amount
    for line in FeeLine.objects.filter(dossier=dossier).order_by("position"):
        share = min(line.amount_vnd - taken.get(line.position, 0), left)
        if share > 0:
            shares.append(
                {"position": line.position, "kind": line.kind, "name": line.name, "amount_vnd": share}
            )
            left -= share
    return shares


def amount_within(balance: int, wanted: int | None, *, partial: bool, what: str) -> int:
    """The amount to take: the whole balance unless a part is asked for and allowed."""
    if balance <= 0:
        raise ValidationFailed(_("Nothing is left to pay on this dossier."), code="nothing_due")
    if wanted is None:
        return balance
    if wanted <= 0:
        message = _("The amount must be more than 0 đ.")
        raise ValidationFailed(message, code="invalid_amount", fields={"amount_vnd": message})
    if wanted > balance:
        message = _("The amount is more than what is still due.")
        raise ValidationFailed(message, code="more_than_due", fields={"amount_vnd": message})
    if wanted != balance and not partial and what == "payment":
        message = _("The fees are paid in one go: the amount must be what is still due.")
        raise ValidationFailed(message, code="partial_payment_not_allowed", fields={"amount_vnd": message})
    return wanted


def issue_receipt(payment: Payment, conf: PaymentConf, now: dt.datetime) -> None:
    """Give the payment its e-receipt number: per collecting agency, symbol and year, without gaps.

    The number is taken as dossier codes are (dossiers/codes.py): an upsert that locks the year's row
    until the transaction ends, so concurrent desks queue, and a rollback gives the number back.
    """
    year = timezone.localdate(now).year
    symbol = conf.symbol_for(year)
    payment.receipt_symbol, payment.receipt_year = symbol, year
    payment.receipt_number = next_sequence(
        prefix=f"receipt:{payment.agency_id}:{symbol}", day=dt.date(year, 1, 1)
    )


def credit(
    fees: DossierFees, *, paid: int = 0, exempted: int = 0, method: str = "", now: dt.datetime
) -> None:
    """Add a payment or an exemption to the account; note when (and how) it first became settled."""
    fees.paid_vnd += paid
    fees.exempted_vnd += exempted
    if fees.settled and fees.settled_at is None:
        fees.settled_at = now
        fees.settled_online = method == PaymentMethod.ONLINE
    fees.save(update_fields=["paid_vnd", "exempted_vnd", "settled_at", "settled_online"])


def close_order(
    dossier: Dossier, payment: Payment, *, reason: str, actor: User | None, now: dt.datetime
) -> None:
    """Mark an online order not completed, with why, and record it on the dossier (not publicly)."""
    payment.status, payment.failure = PaymentStatus.FAILED, reason[:255]
    payment.save(update_fields=["status", "failure"])
    apply_action(
        dossier,
        Action.FAIL_ONLINE_PAYMENT,
        actor=actor,
        at=now,
        agency=dossier.lead_agency_id,
        public=False,
        data={"order_id": payment.order_id, "reason": payment.failure},
    )


def log_notice(
    fields: Mapping[str, Any],
    source: str,
    remote_addr: str,
    now: dt.datetime,
    outcome: str,
    code: str,
    detail: str,
) -> None:
    """Keep a message from the gateway with what became of it (committed even when the caller fails)."""
    with transaction.atomic():
        GatewayNotice.objects.create(
            received_at=now,
            source=source,
            order_id=str(fields.get("order_id", ""))[:40],
            outcome=outcome,
            code=code,
            detail=detail[:500],
            body=gateway.notice_body(fields),
            remote_addr=remote_addr[:45],
        )
