"""Notifications in the admin: the outbox and its delivery log (read-only), templates, preferences, hooks."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from motcua.notify import rendering
from motcua.notify.compose import compose
from motcua.notify.kinds import MessageKind, variables_for
from motcua.notify.models import (
    ContactPreference,
    DeadlineWarning,
    DeliveryAttempt,
    MessageTemplate,
    OutboxMessage,
    WebhookEndpoint,
)
from motcua.notify.phones import normalise_phone
from motcua.notify.services.delivery import retry_now


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "started_at", "finished_at", "outcome", "error", "provider_message_id", "worker")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "dossier",
        "kind",
        "channel",
        "recipient",
        "status",
        "attempts",
        "sent_at",
        "error",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ("dossier__code", "recipient", "idempotency_key", "provider_message_id")
    date_hierarchy = "created_at"
    list_select_related = ("dossier",)
    inlines = [AttemptInline]
    actions = ["retry_failed"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    @admin.display(description=_("last error"))
    def error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:80]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Try the selected failed messages again"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = retry_now(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request, _("%(count)d message(s) queued again.") % {"count": count}, messages.SUCCESS
        )


def _variables_table(kind: str) -> str:
    rows = format_html_join(
        "",
        "<tr><td><code>{{{{ {} }}}}</code></td><td>{}</td></tr>",
        ((name, meaning) for name, (meaning, _sample) in variables_for(kind).items()),
    )
    return format_html("<table>{}</table>", rows)


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ("kind", "channel", "language", "subject", "body")

    def clean(self) -> dict:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind:
            allowed = variables_for(kind)
            for field in ("subject", "body"):
                problems = rendering.check(data.get(field) or "", allowed)
                if problems:
                    self.add_error(field, "; ".join(problems))
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ("kind", "channel", "language", "subject", "updated_at")
    list_filter = ("channel", "language", "kind")
    readonly_fields = ("variables", "preview")
    fields = ("kind", "channel", "language", "subject", "body", "variables", "preview")

    @admin.display(description=_("variables you may use"))
    def variables(self, obj: MessageTemplate) -> str:
        if obj.pk:
            return _variables_table(obj.kind)
        sections = format_html_join(
            "", "<h4>{}</h4>{}", ((label, _variables_table(value)) for value, label in MessageKind.choices)
        )
        return format_html("{}", sections)

    @admin.display(description=_("preview with sample values"))
    def preview(self, obj: MessageTemplate) -> str:
        if not obj.pk:
            return "—"
        samples = {name: sample for name, (_meaning, sample) in variables_for(obj.kind).items()}
        composed = compose(obj.kind, obj.channel, obj.language, samples)
        if composed is None:
            return "—"
        if obj.channel == "sms":
            encoding = "Unicode" if composed.unicode else "GSM-7"
            return format_html("<pre>{}</pre><p>{} · {} SMS</p>", composed.body, encoding, composed.segments)
        return format_html("<p><strong>{}</strong></p><pre>{}</pre>", composed.subject, composed.body)


class ContactPreferenceForm(forms.ModelForm):
    class Meta:
        model = ContactPreference
        fields = ("user", "phone", "email", "sms_enabled", "email_enabled", "language")

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone") or ""
        phone = normalise_phone(raw)
        if raw and not phone:
            raise forms.ValidationError(_("Not a phone number."))
        return phone


@admin.register(ContactPreference)
class ContactPreferenceAdmin(admin.ModelAdmin):
    form = ContactPreferenceForm
    list_display = ("__str__", "phone", "email", "sms_enabled", "email_enabled", "language", "updated_at")
    list_filter = ("sms_enabled", "email_enabled", "language")
    search_fields = ("phone", "email", "user__username", "user__full_name")
    raw_id_fields = ("user",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("agency", "name", "url", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("agency__code", "agency__name", "url", "name")
    raw_id_fields = ("agency",)


@admin.register(DeadlineWarning)
class DeadlineWarningAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "dossier", "step", "threshold", "due_at", "messages")
    list_filter = ("kind",)
    search_fields = ("dossier__code", "key")
    readonly_fields = [f.name for f in DeadlineWarning._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
