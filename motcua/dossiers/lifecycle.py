"""The dossier's lifecycle, declared once as data: which action may move a dossier from where to where.

Read TRANSITIONS and you know the lifecycle. Lateness is not a status: it is `due_at` against the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import TransitionNotAllowed


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted online, awaiting check")
    NEEDS_COMPLETION = "needs_completion", _("Completion requested before acceptance")
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In processing")
    WAITING_SUPPLEMENT = "waiting_supplement", _("Waiting for the applicant's supplement")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Refused")
    STOPPED = "stopped", _("Stopped at the applicant's request")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    ABANDONED = "abandoned", _("Closed: not completed in time")


class Action(models.TextChoices):
    SUBMIT_ONLINE = "submit_online", _("Submit online")
    RECEIVE = "receive", _("Receive")
    ACCEPT = "accept", _("Accept an online submission")
    REQUEST_COMPLETION = "request_completion", _("Request completion before acceptance")
    COMPLETE_SUBMISSION = "complete_submission", _("Complete the submission")
    REFUSE_INTAKE = "refuse_intake", _("Refuse at intake")
    WITHDRAW = "withdraw", _("Withdraw")
    TRANSFER = "transfer", _("Transfer to the handling agency")
    ASSIGN_STEP = "assign_step", _("Assign a step")
    TAKE_STEP = "take_step", _("Take a step")
    COMPLETE_STEP = "complete_step", _("Complete a step")
    RETURN_STEP = "return_step", _("Return to an earlier step")
    REQUEST_SUPPLEMENT = "request_supplement", _("Request a supplement")
    RECEIVE_SUPPLEMENT = "receive_supplement", _("Receive the supplement")
    RECEIVE_SUPPLEMENT_AT_DESK = "receive_supplement_at_desk", _("Receive the supplement before the transfer")
    ABANDON = "abandon", _("Close for lack of supplement")
    ISSUE_APOLOGY = "issue_apology", _("Issue an apology and a new appointment")
    REFUSE = "refuse", _("Refuse during processing")
    MARK_RESULT_READY = "mark_result_ready", _("Mark the result ready")
    HAND_OVER = "hand_over", _("Hand over the result")
    STOP = "stop", _("Stop at the applicant's request")
    ATTACH_FILE = "attach_file", _("Attach a file")
    SIGN_FILE = "sign_file", _("Sign a file digitally")
    RATE = "rate", _("Rate the handling")
    COLLECT_FEE = "collect_fee", _("Collect fees and charges")
    START_ONLINE_PAYMENT = "start_online_payment", _("Start an online payment")
    PAY_ONLINE = "pay_online", _("Pay fees and charges online")
    FAIL_ONLINE_PAYMENT = "fail_online_payment", _("Online payment not completed")
    EXEMPT_FEE = "exempt_fee", _("Exempt or reduce fees and charges")
    REFUND_FEE = "refund_fee", _("Refund fees and charges")
    REFUND_OVERPAYMENT = "refund_overpayment", _("Refund money paid online after the fees were settled")
    SIGN_RECEIPT = "sign_receipt", _("Sign an e-receipt with the agency's seal")
    RECEIPT_NOT_SIGNED = "receipt_not_signed", _("E-receipt not signed digitally")
    RENEW_ARCHIVE = "renew_archive", _("Renew the archive timestamp of a signed file")
    NOTE = "note", _("Add a note")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None keeps the status


def _t(sources: Iterable[str], target: str | None) -> Transition:
    return Transition(frozenset(sources), target)


S = Status
NEW = "new"  # the source of an action that creates the dossier
ACTIVE = [S.RECEIVED, S.IN_PROGRESS, S.WAITING_SUPPLEMENT]
PAYABLE = [S.SUBMITTED, *ACTIVE, S.RESULT_READY]

TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT_ONLINE: _t([NEW], S.SUBMITTED),
    # A paper dossier asked to complete is received on the same record once complete.
    Action.RECEIVE: _t([NEW, S.NEEDS_COMPLETION], S.RECEIVED),
    Action.ACCEPT: _t([S.SUBMITTED], S.RECEIVED),
    # Decree 118: one request to complete a dossier, listing everything, before it is accepted.
    Action.REQUEST_COMPLETION: _t([NEW, S.SUBMITTED], S.NEEDS_COMPLETION),
    Action.COMPLETE_SUBMISSION: _t([S.NEEDS_COMPLETION], S.SUBMITTED),
    Action.REFUSE_INTAKE: _t([NEW, S.SUBMITTED, S.NEEDS_COMPLETION], S.REFUSED),
    Action.WITHDRAW: _t([S.SUBMITTED, S.NEEDS_COMPLETION], S.WITHDRAWN),
    Action.TRANSFER: _t([S.RECEIVED], S.IN_PROGRESS),
    Action.ASSIGN_STEP: _t([S.IN_PROGRESS], None),
    Action.TAKE_STEP: _t([S.IN_PROGRESS], None),
    Action.COMPLETE_STEP: _t([S.IN_PROGRESS], None),
    Action.RETURN_STEP: _t([S.IN_PROGRESS], None),
    Action.REQUEST_SUPPLEMENT: _t([S.RECEIVED, S.IN_PROGRESS], S.WAITING_SUPPLEMENT),
    Action.RECEIVE_SUPPLEMENT: _t([S.WAITING_SUPPLEMENT], S.IN_PROGRESS),
    # Asked by the desk before it handed the dossier over: back at the desk, transferred by the usual rule.
    Action.RECEIVE_SUPPLEMENT_AT_DESK: _t([S.WAITING_SUPPLEMENT], S.RECEIVED),
    # A dossier not completed within 15 working days of the request is closed (DOMAIN, Supplement).
    Action.ABANDON: _t([S.WAITING_SUPPLEMENT, S.NEEDS_COMPLETION], S.ABANDONED),
    Action.ISSUE_APOLOGY: _t(ACTIVE, None),
    Action.REFUSE: _t(ACTIVE, S.REFUSED),
    Action.MARK_RESULT_READY: _t([S.IN_PROGRESS], S.RESULT_READY),
    Action.HAND_OVER: _t([S.RESULT_READY], S.RETURNED),
    # A stop is possible only while no decision or result exists.
    Action.STOP: _t(ACTIVE, S.STOPPED),
    Action.ATTACH_FILE: _t([S.SUBMITTED, S.NEEDS_COMPLETION, *ACTIVE, S.RESULT_READY], None),
    # Decree 45/2020 art. 25: scans are signed by the officer; results by the agency that issues them.
    Action.SIGN_FILE: _t([S.SUBMITTED, S.NEEDS_COMPLETION, *ACTIVE, S.RESULT_READY], None),
    # DOMAIN, Lifecycle 9: the applicant rates the handling once it has ended.
    Action.RATE: _t([S.RETURNED, S.REFUSED], None),
    # Fees (motcua/payments): due from filing until the result is handed over; the gateway's answer is
    # recorded whatever happened meanwhile (the money was taken), and a refusal or stop may be refunded.
    Action.COLLECT_FEE: _t(PAYABLE, None),
    Action.START_ONLINE_PAYMENT: _t(PAYABLE, None),
    Action.PAY_ONLINE: _t([s.value for s in Status], None),
    Action.FAIL_ONLINE_PAYMENT: _t([s.value for s in Status], None),
    Action.EXEMPT_FEE: _t(PAYABLE, None),
    Action.REFUND_FEE: _t([S.REFUSED, S.STOPPED, S.WITHDRAWN], None),
    # Money never owed (a late online confirmation after the fees were settled) goes back in any status.
    Action.REFUND_OVERPAYMENT: _t([s.value for s in Status], None),
    # A receipt is signed after its payment by a background task, whatever happened to the dossier meanwhile.
    Action.SIGN_RECEIPT: _t([s.value for s in Status], None),
    Action.RECEIPT_NOT_SIGNED: _t([s.value for s in Status], None),
    # A signed file's archive timestamp (PAdES B-LTA) is renewed by a scheduled job, long after the dossier
    # has ended: before the timestamp authority's certificate expires, whatever the status.
    Action.RENEW_ARCHIVE: _t([s.value for s in Status], None),
    Action.NOTE: _t([s.value for s in Status], None),
}

FINISHED = frozenset({S.RETURNED, S.REFUSED, S.STOPPED, S.WITHDRAWN, S.ABANDONED})
# The clock runs for the handling agencies only in these statuses.
CLOCK_RUNNING = frozenset({S.RECEIVED, S.IN_PROGRESS})


def next_status(current: str | None, action: str) -> str:
    """Return the status after `action`, or raise TransitionNotAllowed naming both."""
    transition = TRANSITIONS[action]
    source = current or NEW
    if source not in transition.sources:
        raise TransitionNotAllowed(
            gettext("Cannot “%(action)s” while the dossier is “%(status)s”.")
            % {"action": Action(action).label, "status": _status_label(source)},
            fields={"action": action, "status": source},
        )
    return transition.target or source


def allowed_actions(current: str) -> list[str]:
    return [action for action, t in TRANSITIONS.items() if current in t.sources]


def _status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value
