"""What messages say (templates), who wants which channel (preferences), and agencies' webhooks."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.notify.kinds import MessageKind


class TemplateChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class Language(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class MessageTemplate(models.Model):
    """The words of one kind of message on one channel in one language, editable by the administrator.

    Django template syntax in a sandbox: only `if`, `for`, `with`, `firstof`, `comment`, `spaceless`,
    the built-in filters and the variables listed for the kind (`motcua.notify.kinds`).
    """

    kind = models.CharField(_("kind"), max_length=30, choices=MessageKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=TemplateChannel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.VI)
    subject = models.CharField(_("subject"), max_length=255, blank=True, help_text=_("E-mail only."))
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["kind", "channel", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel", "language"], name="one_template_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_channel_display()} · {self.language}"


class ContactPreference(models.Model):
    """A citizen's (or staff member's) channels and language, found by account, phone or e-mail.

    Citizens get SMS and e-mail unless they turn one off; staff get SMS only when they turn it on.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_preference",
        verbose_name=_("account"),
    )
    phone = models.CharField(_("phone (+84…)"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    sms_enabled = models.BooleanField(_("SMS"), default=True)
    email_enabled = models.BooleanField(_("e-mail"), default=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.VI)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(phone="") | ~Q(email=""), name="preference_has_a_key"
            ),
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="preference_unique_phone"),
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="preference_unique_email"),
        ]

    def __str__(self) -> str:
        return str(self.user or self.phone or self.email)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """Where an agency's own software wants dossier events, signed with a shared secret."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.CASCADE, related_name="webhook_endpoints", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"),
        max_length=100,
        default=new_secret,
        help_text=_("Shared with the receiver; it checks X-MotCua-Signature with it."),
    )
    active = models.BooleanField(_("active"), default=True)
    events = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_('Dossier actions to send, e.g. ["receive", "transfer", "hand_over"]; empty: all.'),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["agency", "url"]

    def __str__(self) -> str:
        return self.name or self.url

    def wants(self, action: str) -> bool:
        return not self.events or action in self.events
