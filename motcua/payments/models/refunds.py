"""Money given back: refunds recorded at the desk or confirmed by the gateway, and requests to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.payments.models.payments import Payment, RefundMethod


class Refund(models.Model):
    """Money given back for a dossier refused or stopped, with the reason.

    A refund through the gateway names the online payment it gives back and the gateway's refund
    transaction id; it is written only once the gateway has confirmed it.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="fee_refunds", verbose_name=_("dossier")
    )
    service_point = models.ForeignKey(
        "org.ServicePoint", on_delete=models.PROTECT, related_name="+", verbose_name=_("place of refund")
    )
    amount_vnd = models.BigIntegerField(_("amount refunded (VND)"))
    method = models.CharField(_("method"), max_length=10, choices=RefundMethod.choices)
    reason = models.TextField(_("reason"))
    # Empty for the automatic refund of an overpayment: no person asked for it.
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("refunded by"),
    )
    refunded_at = models.DateTimeField(_("refunded at"), db_index=True)
    payment = models.ForeignKey(
        Payment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("online payment refunded"),
    )
    reference = models.CharField(_("refund transaction id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["refunded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="refund_amount_gt_0"),
            # Through the gateway ⇔ the payment it gives back and the gateway's confirmation.
            models.CheckConstraint(
                condition=Q(method="gateway", payment__isnull=False) & ~Q(reference="")
                | (~Q(method="gateway") & Q(payment__isnull=True)),
                name="refund_gateway_has_payment",
            ),
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="refund_gateway_ref_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.amount_vnd}"


class RefundRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the gateway's answer")
    REFUNDED = "refunded", _("Refunded")
    FAILED = "failed", _("Refused by the gateway")


class RefundRequest(models.Model):
    """A refund asked of the gateway, written before it is sent, so a lost answer can be asked again.

    The request is recorded (pending, with its `refund_id`) in a short transaction, sent outside any
    transaction, and the gateway's signed answer is applied in another one; a request sent again keeps
    its `refund_id`, so the gateway pays it once. `confirmed` is the refund recorded on its confirmation.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="refund_requests",
        verbose_name=_("dossier"),
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refund_requests", verbose_name=_("online payment")
    )
    refund_id = models.CharField(_("refund id"), max_length=60, unique=True)
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    reason = models.TextField(_("reason"))
    # A payment confirmed after the fees were settled otherwise, given back on MotCua's own initiative.
    overpayment = models.BooleanField(_("overpayment"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=10, choices=RefundRequestStatus.choices)
    attempts = models.PositiveSmallIntegerField(_("times sent"), default=0)
    last_attempt_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=40, blank=True)
    message = models.CharField(_("gateway's message"), max_length=255, blank=True)
    confirmed = models.OneToOneField(
        Refund,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request",
        verbose_name=_("refund recorded"),
    )

    class Meta:
        verbose_name = _("gateway refund request")
        verbose_name_plural = _("gateway refund requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="refund_request_amount_gt_0"),
            # Refunded ⇔ the confirmed refund is recorded.
            models.CheckConstraint(
                condition=Q(status="refunded", confirmed__isnull=False)
                | (~Q(status="refunded") & Q(confirmed__isnull=True)),
                name="refund_request_refunded_has_refund",
            ),
            # One request waiting per payment: a second click sends the same request again.
            models.UniqueConstraint(
                fields=["payment"], condition=Q(status="pending"), name="refund_request_one_pending"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "requested_at"], name="refund_request_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.refund_id} {self.status}"
