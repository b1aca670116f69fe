"""The outbox: one row per message to one recipient on one channel, written with the change that caused it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.notify.kinds import MessageKind


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """A message rendered when its cause was committed; workers deliver it, at most once per key."""

    # sha256(source | kind | channel | recipient): the same cause never queues the same message twice,
    # and the receiver (gateway, webhook) is given the key to drop a repeat after a worker crash.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    source = models.CharField(
        _("cause"), max_length=200, help_text=_("event:<id>, warning:<key>, inbound:<id>")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MessageKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=MessageChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=320, help_text=_("Phone, e-mail address or URL."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("dossier"),
        db_index=False,  # outbox_dossier_log leads with it
    )
    event = models.ForeignKey(
        "dossiers.DossierEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("event"),
    )
    endpoint = models.ForeignKey(
        "notify.WebhookEndpoint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        verbose_name=_("webhook endpoint"),
    )
    language = models.CharField(_("language"), max_length=5, default="vi")
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    html = models.TextField(_("HTML body"), blank=True)
    unicode = models.BooleanField(_("Unicode SMS"), default=False)
    segments = models.PositiveSmallIntegerField(_("SMS segments"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    lease_expires_at = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.CharField(_("claim"), max_length=32, blank=True, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["dossier", "created_at"], name="outbox_dossier_log"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values), name="outbox_status_known"),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(lease_expires_at__isnull=False),
                name="outbox_sending_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_status_display()})"


class AttemptOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    RETRY = "retry", _("Failed, will retry")
    FAILED = "failed", _("Failed for good")


class DeliveryAttempt(models.Model):
    """One try to hand a message to its channel: the delivery log shown to staff."""

    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="delivery_attempts", verbose_name=_("message")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=AttemptOutcome.choices)
    error = models.TextField(_("error"), blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["message", "number", "id"]

    def __str__(self) -> str:
        return f"#{self.number} {self.get_outcome_display()}"
