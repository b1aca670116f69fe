"""Sign every e-receipt with the collecting agency's seal (Decree 123/2020, Circular 78/2021/TT-BTC).

The payment's transaction queues a task (`queue_signing`); the task signs after the commit, so a seal
missing or expired, or a timestamp authority that does not answer, never blocks or undoes a payment: the
receipt stays unsigned, the reason is kept on the payment, and `sign_waiting_receipts` (the command
`payments_sign_receipts`) tries again. The PDF is signed with no lock held; the dossier and the payment
are locked only to store it, so a task and sweepers running at once store one signed receipt, and a
sweeper skips rows another worker holds. Its events keep the dossier's version: an officer with the
dossier open is not asked to reload because a receipt was sealed in the background.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, FileKind
from motcua.dossiers.transitions import apply_action, lock_dossier, operation
from motcua.payments.models import Payment, PaymentStatus

if TYPE_CHECKING:
    from motcua.signing.services.issued import Sealed

logger = logging.getLogger("motcua.payments.receipts")


class Outcome(enum.StrEnum):
    SIGNED = "signed"
    ALREADY = "already_signed"
    UNSIGNED = "unsigned"  # refused or failed: the reason is on the payment
    BUSY = "busy"  # another worker holds the dossier or the payment: the sweeper comes back
    NO_RECEIPT = "no_receipt"


def queue_signing(payment: Payment) -> None:
    """Queue the signing of `payment`'s receipt in the current transaction: it runs only if this commits.

    With the database task backend the task's row is written in this transaction; another backend is
    asked after the commit, and the sweeper catches a receipt whose task was lost.
    """
    from django_tasks_db.backend import DatabaseBackend

    from motcua.payments.tasks import sign_receipt_task  # the task module imports this one

    if isinstance(sign_receipt_task.get_backend(), DatabaseBackend):
        sign_receipt_task.enqueue(payment.pk)
    else:
        payment_id = payment.pk
        transaction.on_commit(lambda: sign_receipt_task.enqueue(payment_id), robust=True)


def sign_receipt(payment_id: int, *, skip_locked: bool = False, now: dt.datetime | None = None) -> Outcome:
    """Sign the receipt of a paid payment with its agency's seal, once; keep why when it cannot be signed.

    The signing (and a timestamp authority's answer) happens outside any transaction, so nothing waits
    on it; then a short transaction locks the dossier and the payment and stores the signed file, unless
    another worker stored one meanwhile. `skip_locked` (the sweeper): a dossier or payment another
    transaction holds is left for later.
    """
    now = now or timezone.now()
    payment = (
        Payment.objects.select_related("dossier__procedure_version", "agency__unit", "agency__parent")
        .select_related("collected_by")
        .filter(pk=payment_id, status=PaymentStatus.PAID, receipt_number__isnull=False)
        .first()
    )
    if payment is None:
        return Outcome.NO_RECEIPT
    if payment.receipt_signed_at is not None:
        return Outcome.ALREADY
    try:
        sealed = _seal(payment, now)
    except DomainError as refused:
        return _keep_unsigned(payment_id, refused.code, refused.message, skip_locked=skip_locked, now=now)
    except Exception:
        logger.exception("e-receipt %s could not be signed", payment.receipt)
        message = _(
            "The e-receipt could not be signed because of an unexpected error; it will be tried again."
        )
        return _keep_unsigned(payment_id, "signing_failed", message, skip_locked=skip_locked, now=now)
    try:
        return _store(payment_id, sealed, skip_locked=skip_locked, now=now)
    finally:
        sealed.close()


def _seal(payment: Payment, now: dt.datetime) -> Sealed:
    # Imported here: the receipt reads the payments selectors, which import the services (a cycle).
    from motcua.payments.receipts import receipt_name, render_receipt
    from motcua.signing.services import seal_pdf

    return seal_pdf(
        agency_id=payment.agency_id,
        data=render_receipt(payment),  # from the payment's own data: the same bytes whenever it renders
        name=receipt_name(payment),
        kind=FileKind.RECEIPT,
        code=payment.dossier.code,
        now=now,
    )


def _locked(payment_id: int, skip_locked: bool) -> tuple[Dossier, Payment] | None:
    """The payment's dossier and the payment, locked in that order (as every dossier operation locks)."""
    found = Payment.objects.filter(pk=payment_id).values_list("dossier_id", "dossier__code").first()
    if found is None:
        return None
    dossier_id, code = found
    if skip_locked and not list(
        Dossier.objects.select_for_update(skip_locked=True).filter(pk=dossier_id).values_list("pk")
    ):
        return None
    dossier = lock_dossier(code)
    payment = (
        Payment.objects.select_for_update(skip_locked=skip_locked, of=("self",))
        .select_related("agency")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        return None
    payment.dossier = dossier
    return dossier, payment


@operation
def _store(payment_id: int, sealed: Sealed, *, skip_locked: bool, now: dt.datetime) -> Outcome:
    from motcua.payments.receipts import receipt_name
    from motcua.signing.services import store_sealed

    locked = _locked(payment_id, skip_locked)
    if locked is None:
        return Outcome.BUSY
    dossier, payment = locked
    if payment.receipt_signed_at is not None:  # another worker stored its copy first
        return Outcome.ALREADY
    stored = store_sealed(sealed, dossier=dossier, name=receipt_name(payment), kind=FileKind.RECEIPT, now=now)
    payment.receipt_file, payment.receipt_signed_at = stored, now
    payment.receipt_sign_error = payment.receipt_sign_message = ""
    payment.save(
        update_fields=["receipt_file", "receipt_signed_at", "receipt_sign_error", "receipt_sign_message"]
    )
    _record(
        dossier,
        payment,
        Action.SIGN_RECEIPT,
        now,
        file_id=stored.pk,
        certificate=sealed.certificate.fingerprint,
        signer=sealed.certificate.common_name,
        status=sealed.report.signatures[-1].status if sealed.report.signatures else "",
    )
    return Outcome.SIGNED


@operation
def _keep_unsigned(
    payment_id: int, code: str, message: str, *, skip_locked: bool, now: dt.datetime
) -> Outcome:
    locked = _locked(payment_id, skip_locked)
    if locked is None:
        return Outcome.BUSY
    dossier, payment = locked
    if payment.receipt_signed_at is not None:
        return Outcome.ALREADY
    _not_signed(dossier, payment, code, message, now)
    return Outcome.UNSIGNED


def _not_signed(dossier: Dossier, payment: Payment, code: str, message: str, now: dt.datetime) -> None:
    """Keep why the receipt is unsigned; a new reason (not every retry) is recorded on the dossier."""
    logger.warning("e-receipt %s not signed: %s", payment.receipt, code)
    changed = code != payment.receipt_sign_error
    payment.receipt_sign_error, payment.receipt_sign_message = code[:40], message[:500]
    payment.save(update_fields=["receipt_sign_error", "receipt_sign_message"])
    if changed:
        _record(
            dossier, payment, Action.RECEIPT_NOT_SIGNED, now, code=code, reason=payment.receipt_sign_message
        )


def _record(dossier: Dossier, payment: Payment, action: str, now: dt.datetime, **data: str | int) -> None:
    """The dossier's event for its receipt, made by the system: not public, and the version stays."""
    apply_action(
        dossier,
        action,
        actor=None,
        at=now,
        agency=payment.agency_id,
        public=False,
        versioned=False,
        data={"receipt": payment.receipt, **data},
    )


DONE = (Outcome.SIGNED, Outcome.UNSIGNED)  # the outcomes a sweep reports by receipt


@dataclass
class ReceiptSweep:
    signed: list[str] = field(default_factory=list)
    unsigned: list[tuple[str, str]] = field(default_factory=list)  # (receipt, reason code)
    skipped: int = 0


def sign_waiting_receipts(*, limit: int = 500, now: dt.datetime | None = None) -> ReceiptSweep:
    """Sign the receipts still unsigned, oldest first, each in its own transaction (the sweeper)."""
    sweep = ReceiptSweep()
    waiting = (
        Payment.objects.filter(status=PaymentStatus.PAID, receipt_signed_at__isnull=True)
        .order_by("paid_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcomes = {pk: sign_receipt(pk, skip_locked=True, now=now) for pk in list(waiting)}
    # What the sweep did, read back in one query: the receipts' numbers and the reasons kept.
    done = Payment.objects.filter(pk__in=[pk for pk, o in outcomes.items() if o in DONE]).order_by(
        "paid_at", "pk"
    )
    for payment in done:
        if outcomes[payment.pk] == Outcome.SIGNED:
            sweep.signed.append(payment.receipt)
        else:
            sweep.unsigned.append((payment.receipt, payment.receipt_sign_error))
    sweep.skipped = len(outcomes) - len(sweep.signed) - len(sweep.unsigned)
    return sweep
