"""Who may collect, exempt, refund or pay a dossier's fees, and when: read alike by services and pages.

Law on Fees and Charges 2015: fees are collected by the body that provides the service, which issues the
receipt; at a one-stop desk the counter officer collects for it. Exemptions and reductions are decided by
the handling agency's leaders or the centre's director. The result is handed over once the fees are
settled (paid or exempted), unless the province turns that rule off.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.catalog.choices import OnlineLevel
from motcua.core.errors import DomainError, TransitionNotAllowed
from motcua.core.models import User
from motcua.dossiers.access import is_counter_officer_of, is_director_of
from motcua.dossiers.lifecycle import TRANSITIONS
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.org.access import Scope
from motcua.org.models import Role
from motcua.payments.models import DossierFees
from motcua.payments.words import format_vnd

LEADER_ROLES = (Role.AGENCY_LEADER, Role.UNIT_LEADER)


class NotAllowed(DomainError):
    """The person sees the dossier but her role does not let her do this."""

    code = "not_allowed"
    status = 403


def may_collect(user: User, scope: Scope, dossier: Dossier) -> bool:
    """The counter officers of the point that received the dossier."""
    return is_counter_officer_of(user, dossier, scope)


def may_exempt(user: User, scope: Scope, dossier: Dossier) -> bool:
    """Leaders of the handling agency (or of the body above its division), or the centre's director."""
    if any(dossier.lead_agency_id in scope.ids_for(role) for role in LEADER_ROLES):
        return True
    return is_director_of(user, dossier, scope)


def may_refund(user: User, scope: Scope, dossier: Dossier) -> bool:
    """The desk that holds the money: its counter officers, or the centre's director."""
    return is_counter_officer_of(user, dossier, scope) or is_director_of(user, dossier, scope)


def may_pay(dossier: Dossier, user: User | None, secret: str | None) -> bool:
    """The applicant's own account, or whoever holds the receipt's look-up secret."""
    if secret is not None:
        return hmac.compare_digest(dossier.lookup_secret.encode(), secret.strip().upper().encode())
    return user is not None and dossier.citizen_id is not None and dossier.citizen_id == user.pk


def offered_online(dossier: Dossier) -> bool:
    """Online payment is offered for procedures provided online (Decree 42/2022: fully or partly)."""
    return dossier.procedure_version.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)


def status_allows(action: str, status: str) -> bool:
    return status in TRANSITIONS[action].sources


def work_done(steps: Iterable[DossierStep]) -> bool:
    """Whether an agency has finished any step: the receipt at the desk is not the agency's work."""
    return any(s.status == StepStatus.DONE and s.role != Role.COUNTER_OFFICER for s in steps)


def refund_refusal(rule: str, steps: Iterable[DossierStep]) -> TransitionNotAllowed | None:
    """Why the province's refund rule forbids a refund now, or None when it allows one."""
    if rule == "never":
        return TransitionNotAllowed(
            _("Fees are not refunded under this province's rules."), code="no_refunds"
        )
    if rule == "before_work" and work_done(steps):
        return TransitionNotAllowed(
            _("The agency had already worked on the dossier: its fees are not refunded."),
            code="work_already_done",
        )
    return None


def fees_required_before_result() -> bool:
    return bool(settings.MOTCUA.get("PAYMENT_BEFORE_RESULT", True))


def unsettled(dossier: Dossier) -> int:
    """What is still owed; reads nothing for a dossier without fees."""
    if not dossier.fee_due_vnd:
        return 0
    fees = DossierFees.objects.filter(dossier_id=dossier.pk).first()
    return dossier.fee_due_vnd if fees is None else fees.balance_vnd


def require_fees_settled(dossier: Dossier) -> None:
    """Refuse to hand over a result while fees are owed (when the province's rule is on)."""
    if not dossier.fee_due_vnd or not fees_required_before_result():
        return
    owed = unsettled(dossier)
    if owed:
        raise TransitionNotAllowed(
            _("The fees and charges are not settled: %(amount)s đ still due. Collect or exempt them first.")
            % {"amount": format_vnd(owed)},
            code="fees_unpaid",
            fields={"balance_vnd": owed},
        )
