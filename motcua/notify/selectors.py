"""Reads of the notify app: the delivery log of a dossier, for the staff dossier page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.dossiers.models import Dossier
from motcua.notify.models import DeliveryAttempt, MessageStatus, OutboxMessage

PREVIEW_LENGTH = 160


@dataclass(frozen=True)
class AttemptRow:
    number: int
    finished_at: dt.datetime
    outcome: str
    outcome_label: str
    error: str


@dataclass(frozen=True)
class DeliveryRow:
    """One message about the dossier: to whom, on which channel, what it said, and how delivery went."""

    id: int
    created_at: dt.datetime
    kind: str
    kind_label: str
    channel: str
    channel_label: str
    recipient: str
    subject: str
    preview: str
    status: str
    status_label: str
    attempts: int
    sent_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    last_error: str
    provider_message_id: str
    failed: bool
    history: list[AttemptRow]


def deliveries_for_dossier(dossier: Dossier) -> list[DeliveryRow]:
    """Return every message queued about `dossier`, oldest first, with its attempts (two queries)."""
    messages = list(OutboxMessage.objects.filter(dossier=dossier).order_by("created_at", "id"))
    history: dict[int, list[AttemptRow]] = {}
    attempts = DeliveryAttempt.objects.filter(message__dossier=dossier).order_by("message_id", "number", "id")
    for attempt in attempts:
        history.setdefault(attempt.message_id, []).append(
            AttemptRow(
                number=attempt.number,
                finished_at=attempt.finished_at,
                outcome=attempt.outcome,
                outcome_label=str(attempt.get_outcome_display()),
                error=attempt.error,
            )
        )
    return [
        DeliveryRow(
            id=m.pk,
            created_at=m.created_at,
            kind=m.kind,
            kind_label=str(m.get_kind_display()),
            channel=m.channel,
            channel_label=str(m.get_channel_display()),
            recipient=m.recipient,
            subject=m.subject if m.channel == "email" else "",
            preview=m.body[:PREVIEW_LENGTH] if m.channel != "webhook" else m.subject,
            status=m.status,
            status_label=str(m.get_status_display()),
            attempts=m.attempts,
            sent_at=m.sent_at,
            next_attempt_at=m.next_attempt_at if m.status == MessageStatus.PENDING else None,
            last_error=m.last_error,
            provider_message_id=m.provider_message_id,
            failed=m.status == MessageStatus.FAILED,
            history=history.get(m.pk, []),
        )
        for m in messages
    ]
