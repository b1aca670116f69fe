"""Parts of the payments app shown on other apps' pages: a dossier's fees for staff, paying online.

Each tag reads through a selector and renders one of this app's templates, so the pages that show them
(the staff dossier page, the citizen's dossier, the public look-up) need one include and nothing else.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.org.access import scope_for
from motcua.payments import rules
from motcua.payments.conf import payment_conf
from motcua.payments.forms import CollectForm, ExemptForm, GatewayRefundForm, PayOnlineForm, RefundForm
from motcua.payments.models import RefundRequest, RefundRequestStatus
from motcua.payments.selectors import Fees, attention_after, fees_of, needs_attention
from motcua.payments.words import format_vnd

register = template.Library()


@register.filter
def money(amount: int | None) -> str:
    """150000 → "150.000 đ"."""
    return "" if amount is None else f"{format_vnd(amount)} đ"


@register.simple_tag
def refund_state(request: RefundRequest) -> str:
    """Where a refund through the gateway stands, in words for the desk."""
    if request.status == RefundRequestStatus.REFUNDED:
        return _("Refunded")
    if request.status == RefundRequestStatus.FAILED:
        return _("Refused by the gateway: %(reason)s") % {"reason": request.message or _("no reason given")}
    sent = _("sent %(n)s times") % {"n": request.attempts}
    if request.last_attempt_at:
        sent += ", " + timezone.localtime(request.last_attempt_at).strftime("%H:%M %d/%m/%Y")
    if needs_attention(request, attention_after()):
        return _("Needs attention: the gateway has not confirmed this refund (%(sent)s).") % {"sent": sent}
    return _("Waiting for the gateway's confirmation (%(sent)s).") % {"sent": sent}


@register.inclusion_tag("payments/_staff_panel.html", takes_context=True)
def staff_fees(context: template.Context, dossier: Dossier) -> dict[str, Any]:
    """The dossier's fees on its staff page, with the forms the person's role allows now."""
    fees = fees_of(dossier)
    if fees is None:
        return {"fees": None}
    request = context["request"]
    staff = context.get("staff")
    scope = staff.full_scope if staff else scope_for(request.user)
    user, status, version = request.user, dossier.status, {"expected_version": dossier.version}
    collect = (
        fees.balance_vnd > 0
        and rules.status_allows(Action.COLLECT_FEE, status)
        and rules.may_collect(user, scope, dossier)
    )
    exempt = (
        fees.balance_vnd > 0
        and rules.status_allows(Action.EXEMPT_FEE, status)
        and rules.may_exempt(user, scope, dossier)
    )
    refund = (
        fees.refundable_vnd > 0
        and rules.status_allows(Action.REFUND_FEE, status)
        and rules.may_refund(user, scope, dossier)
    )
    payer = dossier.applicant_snapshot.get("name", "")
    conf = payment_conf()
    desk = rules.may_refund(user, scope, dossier)  # the desk that received it asks and refunds online
    online_left = fees.online_refundable_vnd if refund and conf.can_refund else 0
    return {
        "fees": fees,
        "dossier": dossier,
        "check_gateway": desk and conf.can_query and _worth_asking(fees),
        "online_left": online_left,
        "gateway_refund_form": (
            GatewayRefundForm(initial=version, auto_id="gwrefund_%s") if online_left else None
        ),
        "collect_form": CollectForm(
            initial={**version, "payer_name": payer, "amount_vnd": fees.balance_vnd},
            auto_id="collect_%s",
            partial=payment_conf().partial,
        )
        if collect
        else None,
        # The desk sends again a refund still waiting, or an overpayment the gateway refused.
        "resend_refunds": desk and conf.can_refund,
        "exempt_form": ExemptForm(initial=version, auto_id="exempt_%s") if exempt else None,
        "refund_form": RefundForm(initial=version, auto_id="refund_%s") if refund else None,
        "csrf_token": context.get("csrf_token"),
    }


def _worth_asking(fees: Fees) -> bool:
    """An order waits at the gateway, or one was closed without payment while fees are still due."""
    unpaid = [p for p in fees.payments if p.method == "online" and p.status != "paid"]
    return bool(unpaid) and (fees.pending is not None or fees.balance_vnd > 0)


@register.inclusion_tag("payments/_pay_online.html", takes_context=True)
def pay_online(context: template.Context, dossier: Dossier | None, secret: str = "") -> dict[str, Any]:
    """The fees still due and the "pay online" button; paid fees and their receipts once settled.

    Shown on the public look-up (with the secret, no personal data) and on the applicant's own page.
    """
    fees = fees_of(dossier) if dossier is not None else None
    if fees is None:
        return {"fees": None}
    conf = payment_conf()
    payable = (
        fees.balance_vnd > 0
        and conf.online
        and rules.offered_online(fees.dossier)
        and rules.status_allows(Action.START_ONLINE_PAYMENT, fees.dossier.status)
    )
    secret = str(secret or "").strip().upper()
    return {
        "fees": fees,
        "payable": payable,
        "form": PayOnlineForm(initial={"secret": secret}),
        "own": not secret,
        "csrf_token": context.get("csrf_token"),
    }
