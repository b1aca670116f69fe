"""Write messages into the outbox inside the caller's transaction, with a delivery run to send them."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from motcua.core.rows import build, insert_new, insert_new_then_read
from motcua.notify.compose import TemplateCache, compose
from motcua.notify.models import OutboxMessage
from motcua.notify.recipients import Recipient
from motcua.notify.wakeup import WAITING_RUN, delivery_run_due, ensure_delivery_run

logger = logging.getLogger(__name__)


def idempotency_key(source: str, kind: str, channel: str, recipient: str) -> str:
    """Return the key of one message: the same cause, kind, channel and recipient give the same key."""
    return hashlib.sha256(f"{source}|{kind}|{channel}|{recipient.lower()}".encode()).hexdigest()


@dataclass(frozen=True)
class Draft:
    """A message ready to be queued: already rendered, already addressed."""

    source: str
    kind: str
    channel: str
    recipient: str
    body: str
    subject: str = ""
    html: str = ""
    unicode: bool = False
    segments: int | None = None
    language: str = "vi"
    user_id: int | None = None
    dossier_id: int | None = None
    event_id: int | None = None
    endpoint_id: int | None = None


def drafts_for(
    *,
    kind: str,
    source: str,
    recipients: Iterable[Recipient],
    variables: Callable[[str], dict[str, Any]],
    dossier_id: int | None = None,
    event_id: int | None = None,
    templates: TemplateCache | None = None,
) -> list[Draft]:
    """Render `kind` for each recipient, in her language; `variables(language)` gives the values."""
    templates = templates or TemplateCache()
    by_language: dict[str, dict[str, Any]] = {}
    drafts = []
    for recipient in recipients:
        if recipient.language not in by_language:
            by_language[recipient.language] = variables(recipient.language)
        values = {**by_language[recipient.language], "recipient_name": recipient.name}
        composed = compose(kind, recipient.channel, recipient.language, values, templates)
        if composed is None:
            continue
        drafts.append(
            Draft(
                source=source,
                kind=kind,
                channel=recipient.channel,
                recipient=recipient.address,
                subject=composed.subject,
                body=composed.body,
                html=composed.html,
                unicode=composed.unicode,
                segments=composed.segments,
                language=recipient.language,
                user_id=recipient.user_id,
                dossier_id=dossier_id,
                event_id=event_id,
            )
        )
    return drafts


def queue(drafts: Iterable[Draft], *, now: dt.datetime | None = None) -> int:
    """Insert the drafts (a repeat of an existing key is ignored); a delivery run sends them after commit."""
    now = now or timezone.now()
    rows: dict[str, OutboxMessage] = {}
    for d in drafts:
        key = idempotency_key(d.source, d.kind, d.channel, d.recipient)
        rows[key] = build(
            OutboxMessage,
            idempotency_key=key,
            source=d.source[:200],
            kind=d.kind,
            channel=d.channel,
            recipient=d.recipient,
            user_id=d.user_id,
            dossier_id=d.dossier_id,
            event_id=d.event_id,
            endpoint_id=d.endpoint_id,
            language=d.language,
            subject=d.subject,
            body=d.body,
            html=d.html,
            unicode=d.unicode,
            segments=d.segments,
            next_attempt_at=now,
            created_at=now,
        )
    if not rows:
        return 0
    # The check for a waiting delivery run comes after the INSERT: outside a transaction the rows are
    # committed by then, so a run found waiting sees them. Inside one, only the transaction's first
    # call checks (see notify.wakeup); on PostgreSQL it goes in the INSERT's round trip.
    if delivery_run_due():
        _written, (found,) = insert_new_then_read(list(rows.values()), (WAITING_RUN, {}))
        ensure_delivery_run(found)
    else:
        insert_new(list(rows.values()))
        ensure_delivery_run()
    return len(rows)
