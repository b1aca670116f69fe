"""Fees and charges due on a dossier, and what was paid or exempted.

Money is integer VND. The dossier's running totals (`DossierFees`) carry the rules the database can hold:
nothing negative, never paid and exempted beyond what is due, never refunded beyond what was paid.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import FeeKind


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    CARD = "card", _("Card (POS terminal)")
    ONLINE = "online", _("Online payment")


# What a counter officer records; online payments come only from the gateway.
COUNTER_METHODS = (PaymentMethod.CASH, PaymentMethod.TRANSFER, PaymentMethod.CARD)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the payment gateway")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Not completed")
    # Confirmed by the gateway after the fees were settled otherwise: received, owed back, no receipt.
    OVERPAID = "overpaid", _("Overpaid: received after the fees were settled")


class RefundMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    GATEWAY = "gateway", _("Through the payment gateway")


# What a desk refund may be; a refund through the gateway comes only from the gateway's confirmation.
DESK_REFUND_METHODS = (RefundMethod.CASH, RefundMethod.TRANSFER)


class DossierFees(models.Model):
    """The dossier's fee account: what is due (its lines), paid, exempted and refunded, in VND."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="fees", verbose_name=_("dossier")
    )
    due_vnd = models.BigIntegerField(_("due (VND)"))
    paid_vnd = models.BigIntegerField(_("paid (VND)"), default=0)
    exempted_vnd = models.BigIntegerField(_("exempted or reduced (VND)"), default=0)
    refunded_vnd = models.BigIntegerField(_("refunded (VND)"), default=0)
    # When payments and exemptions first covered what is due; the Decision 766 measure counts by it.
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_online = models.BooleanField(_("settled by an online payment"), default=False)
    opened_at = models.DateTimeField(_("opened at"))

    class Meta:
        verbose_name = _("fees of a dossier")
        verbose_name_plural = _("fees of dossiers")
        indexes = [
            models.Index(fields=["settled_at"], condition=Q(settled_at__isnull=False), name="fees_settled")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_vnd__gte=0, paid_vnd__gte=0, exempted_vnd__gte=0, refunded_vnd__gte=0),
                name="fees_not_negative",
            ),
            # A dossier is never paid (or exempted) more than is due, and never refunded more than paid.
            models.CheckConstraint(
                condition=Q(due_vnd__gte=F("paid_vnd") + F("exempted_vnd")), name="fees_not_beyond_due"
            ),
            models.CheckConstraint(
                condition=Q(paid_vnd__gte=F("refunded_vnd")), name="fees_refund_not_beyond_paid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.paid_vnd + self.exempted_vnd}/{self.due_vnd}"

    @property
    def balance_vnd(self) -> int:
        """What is still to be paid or exempted."""
        return max(self.due_vnd - self.paid_vnd - self.exempted_vnd, 0)

    @property
    def settled(self) -> bool:
        return self.paid_vnd + self.exempted_vnd >= self.due_vnd


class FeeLine(models.Model):
    """One fee or charge due on a dossier, as the procedure's rules gave it when the dossier was received."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="fee_lines", verbose_name=_("dossier")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=FeeKind.choices)
    name = models.CharField(_("name"), max_length=500)
    amount_vnd = models.BigIntegerField(_("amount due (VND)"))

    class Meta:
        verbose_name = _("fee line")
        verbose_name_plural = _("fee lines")
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="fee_line_position_unique"),
            models.CheckConstraint(condition=Q(amount_vnd__gte=0), name="fee_line_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_vnd}"


class Payment(models.Model):
    """Money received for a dossier's fees: at the counter, or online through the payment gateway.

    A paid payment carries its e-receipt: the collecting agency's form symbol and a number from a
    gap-free sequence per agency, symbol and year. `lines` records which fee lines it paid
    ([{"position", "kind", "name", "amount_vnd"}]), for the receipt and the daily reconciliation.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payments", verbose_name=_("dossier")
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("collecting agency")
    )
    service_point = models.ForeignKey(
        "org.ServicePoint", on_delete=models.PROTECT, related_name="+", verbose_name=_("place of collection")
    )
    amount_vnd = models.BigIntegerField(_("amount paid (VND)"))
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(_("status"), max_length=10, choices=PaymentStatus.choices)
    payer_name = models.CharField(_("payer's name"), max_length=255, blank=True)
    lines = models.JSONField(_("fee lines paid"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, db_index=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collected by"),
    )
    # The bank transfer's or card slip's reference at the counter; the gateway's transaction id online.
    reference = models.CharField(_("transaction reference"), max_length=100, blank=True)
    # Online only: the order sent to the gateway (unguessable, it appears in the return address).
    order_id = models.CharField(_("order id"), max_length=40, null=True, blank=True, unique=True)
    expires_at = models.DateTimeField(_("order expires at"), null=True, blank=True)
    failure = models.CharField(_("why it was not completed"), max_length=255, blank=True)
    receipt_symbol = models.CharField(_("receipt symbol"), max_length=20, blank=True)
    receipt_year = models.PositiveSmallIntegerField(_("receipt year"), null=True, blank=True)
    receipt_number = models.PositiveIntegerField(_("receipt number"), null=True, blank=True)
    # The e-receipt signed with the collecting agency's seal, made once by a background task.
    receipt_file = models.ForeignKey(
        "dossiers.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed e-receipt"),
    )
    receipt_signed_at = models.DateTimeField(_("e-receipt signed at"), null=True, blank=True)
    # Why the e-receipt is not signed yet (no seal, seal expired, TSA down): tried again by the sweeper.
    receipt_sign_error = models.CharField(_("why the e-receipt is not signed"), max_length=40, blank=True)
    receipt_sign_message = models.CharField(_("e-receipt signing message"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="payment_amount_gt_0"),
            # Paid ⇔ a receipt and a moment; every online payment has an order for the gateway.
            models.CheckConstraint(
                condition=(
                    Q(status="paid", receipt_number__isnull=False, paid_at__isnull=False)
                    | (~Q(status="paid") & Q(receipt_number__isnull=True))
                ),
                name="payment_paid_has_receipt",
            ),
            models.CheckConstraint(
                condition=Q(method="online", order_id__isnull=False)
                | (~Q(method="online") & Q(status="paid")),
                name="payment_online_has_order",
            ),
            models.UniqueConstraint(
                fields=["agency", "receipt_year", "receipt_symbol", "receipt_number"],
                condition=Q(receipt_number__isnull=False),
                name="payment_receipt_unique",
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(method="online") & ~Q(reference=""),
                name="payment_gateway_ref_unique",
            ),
            # At most one order waiting at the gateway per dossier.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(status="pending"), name="payment_one_pending_per_dossier"
            ),
            # Signed ⇔ the signed file and its moment, on a paid payment only.
            models.CheckConstraint(
                condition=Q(receipt_file__isnull=True, receipt_signed_at__isnull=True)
                | Q(receipt_file__isnull=False, receipt_signed_at__isnull=False, status="paid"),
                name="payment_signed_receipt_has_file",
            ),
        ]
        indexes = [
            models.Index(fields=["service_point", "paid_at"], name="payment_point_day"),
            # The sweeper's candidates: receipts still unsigned (few, whatever the history).
            models.Index(
                fields=["paid_at"],
                condition=Q(status="paid", receipt_signed_at__isnull=True),
                name="payment_receipt_unsigned",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.receipt} {self.amount_vnd}" if self.receipt_number else f"{self.order_id} {self.status}"
        )

    @property
    def receipt(self) -> str:
        """The receipt's symbol and number as printed: "BL-26E 0000001"."""
        return f"{self.receipt_symbol} {self.receipt_number:07d}" if self.receipt_number else ""


class FeeExemption(models.Model):
    """An exemption or reduction of what a dossier owes, decided by a leader, with its legal basis."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="fee_exemptions", verbose_name=_("dossier")
    )
    amount_vnd = models.BigIntegerField(_("amount exempted (VND)"))
    reason = models.TextField(_("reason"))
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    lines = models.JSONField(_("fee lines exempted"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("fee exemption or reduction")
        verbose_name_plural = _("fee exemptions and reductions")
        ordering = ["decided_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="exemption_amount_gt_0")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: −{self.amount_vnd}"
