from motcua.notify.models.content import (
    ContactPreference,
    Language,
    MessageTemplate,
    TemplateChannel,
    WebhookEndpoint,
)
from motcua.notify.models.outbox import (
    AttemptOutcome,
    DeliveryAttempt,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
)
from motcua.notify.models.watch import DeadlineWarning, WarningKind

__all__ = [
    "AttemptOutcome",
    "ContactPreference",
    "DeadlineWarning",
    "DeliveryAttempt",
    "Language",
    "MessageChannel",
    "MessageStatus",
    "MessageTemplate",
    "OutboxMessage",
    "TemplateChannel",
    "WarningKind",
    "WebhookEndpoint",
]
