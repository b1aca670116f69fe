"""What the payment gateway sent: every notice, kept with what MotCua made of it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeOutcome(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    REPEATED = "repeated", _("Already recorded")
    REFUSED = "refused", _("Refused")
    PENDING = "pending", _("Still open at the gateway")


class GatewayNotice(models.Model):
    """Every message the gateway sent about an order (callback or return), kept with what we did with it."""

    received_at = models.DateTimeField(_("received at"), db_index=True)
    source = models.CharField(_("source"), max_length=10)  # callback | return | query | refund
    order_id = models.CharField(_("order id"), max_length=40, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=NoticeOutcome.choices)
    code = models.CharField(_("error code"), max_length=40, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    body = models.TextField(_("message as received"), blank=True)
    remote_addr = models.CharField(_("sender's address"), max_length=45, blank=True)

    class Meta:
        verbose_name = _("payment gateway notice")
        verbose_name_plural = _("payment gateway notices")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.order_id} {self.outcome}"
