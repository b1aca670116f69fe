"""Deliver the outbox: claim due rows, send each through its channel, record the outcome, back off on failure.

Claims are exclusive (SKIP LOCKED on PostgreSQL, a guarded UPDATE on SQLite) and carry a lease. A row
whose worker died stays "sending" until its lease expires, then goes back to "pending" and is sent
again with the same idempotency key, which the gateway or webhook receiver uses to drop the repeat:
at-least-once from the outbox plus dedupe by key at the receiver gives exactly-once to the person.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import secrets
import socket
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Subquery
from django.utils import timezone

from motcua.notify import conf
from motcua.notify.channels import DeliveryError, Outgoing, Senders
from motcua.notify.conf import NotifyConf
from motcua.notify.kinds import DIRECT_KINDS
from motcua.notify.models import AttemptOutcome, DeliveryAttempt, MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)
WORKER = f"{socket.gethostname()}:{os.getpid()}"
SENT_SECRET = "(đã gửi; nội dung có mã bí mật nên không lưu lại)"
LOST = "the worker stopped while sending; sent again with the same idempotency key"


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    recovered: int = 0
    more: bool = False
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int | bool]:
        return {
            "sent": self.sent,
            "retried": self.retried,
            "failed": self.failed,
            "recovered": self.recovered,
            "more": self.more,
        }


def backoff(attempt: int, *, base: float, cap: float) -> dt.timedelta:
    """Return the wait before try `attempt + 1`: base·2^(attempt−1), capped, with half of it jittered."""
    delay = min(cap, base * 2 ** max(attempt - 1, 0))
    # Equal jitter: at least half the delay, so retries spread out without ever coming back at once.
    return dt.timedelta(seconds=delay / 2 + random.uniform(0, delay / 2))


def recover_expired(*, now: dt.datetime | None = None, settings: NotifyConf | None = None) -> int:
    """Return rows stuck in "sending" past their lease to "pending" (or "failed" when out of attempts)."""
    now = now or timezone.now()
    settings = settings or conf.get()
    stuck = OutboxMessage.objects.filter(status=MessageStatus.SENDING, lease_expires_at__lt=now)
    with transaction.atomic():
        given_up = stuck.filter(attempts__gte=settings.max_attempts).update(
            status=MessageStatus.FAILED, lease_expires_at=None, claim_token="", last_error=LOST
        )
        again = stuck.update(
            status=MessageStatus.PENDING,
            lease_expires_at=None,
            claim_token="",
            next_attempt_at=now,
            last_error=LOST,
        )
    return given_up + again


def claim(
    *, size: int, now: dt.datetime | None = None, settings: NotifyConf | None = None
) -> list[OutboxMessage]:
    """Take up to `size` due messages for this worker; no other worker can take them until the lease ends."""
    now = now or timezone.now()
    settings = settings or conf.get()
    token = secrets.token_hex(16)
    due = OutboxMessage.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "id"
    )
    claimed = {
        "status": MessageStatus.SENDING,
        "claim_token": token,
        "lease_expires_at": now + dt.timedelta(seconds=settings.lease_seconds),
        "attempts": F("attempts") + 1,
    }
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            # PostgreSQL: rows another worker holds are skipped, never waited for.
            ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:size])
            if not ids:
                return []
            OutboxMessage.objects.filter(id__in=ids).update(**claimed)
        else:
            # SQLite: writers are serialised (BEGIN IMMEDIATE); the status guard makes the claim atomic.
            picked = Subquery(due.values("id")[:size])
            if not OutboxMessage.objects.filter(id__in=picked, status=MessageStatus.PENDING).update(
                **claimed
            ):
                return []
    return list(OutboxMessage.objects.filter(claim_token=token).select_related("endpoint").order_by("id"))


def outgoing(message: OutboxMessage) -> Outgoing:
    endpoint = message.endpoint
    webhook = message.channel == "webhook"
    return Outgoing(
        key=message.idempotency_key,
        kind=message.kind,
        channel=message.channel,
        recipient=message.recipient,
        body=message.body,
        subject="" if webhook else message.subject,
        html=message.html,
        unicode=message.unicode,
        segments=message.segments,
        language=message.language,
        secret=endpoint.secret if webhook and endpoint is not None and endpoint.active else "",
        # A webhook row keeps its event type in `subject`, which webhooks have no other use for.
        event_type=message.subject if webhook else "",
    )


def _finish(
    message: OutboxMessage,
    started: dt.datetime,
    outcome: str,
    *,
    error: str = "",
    provider_id: str = "",
    next_attempt_at: dt.datetime | None = None,
) -> None:
    """Record one attempt and the row's new state, only if this worker still holds the claim."""
    now = timezone.now()
    statuses: dict[str, str] = {
        AttemptOutcome.SENT: MessageStatus.SENT,
        AttemptOutcome.RETRY: MessageStatus.PENDING,
        AttemptOutcome.FAILED: MessageStatus.FAILED,
    }
    status = statuses[outcome]
    changes: dict[str, object] = {"status": status, "claim_token": "", "lease_expires_at": None}
    if outcome == AttemptOutcome.SENT:
        changes.update(sent_at=now, provider_message_id=provider_id[:200], last_error="")
        if message.kind in DIRECT_KINDS:
            # A sign-in code is a secret: once it reached the gateway, the row keeps no copy of it.
            changes["body"] = SENT_SECRET
    else:
        changes["last_error"] = error
    if next_attempt_at is not None:
        changes["next_attempt_at"] = next_attempt_at
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Losing this record in a database crash only means the message is sent again with the same
            # key, which the receiver drops: the outcome need not wait for the WAL to reach the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        held = OutboxMessage.objects.filter(pk=message.pk, claim_token=message.claim_token)
        if not held.update(**changes):
            return  # the lease ran out and another worker took the row: its outcome will be recorded
        DeliveryAttempt.objects.create(
            message_id=message.pk,
            number=message.attempts,
            started_at=started,
            finished_at=now,
            outcome=outcome,
            error=error,
            provider_message_id=provider_id[:200],
            worker=WORKER,
        )


def send_one(message: OutboxMessage, senders: Senders, report: DeliveryReport) -> None:
    """Hand one claimed message to its channel and record what happened."""
    settings = senders.settings
    started = timezone.now()
    try:
        provider_id = senders.get(message.channel).send(outgoing(message))
    except Exception as exc:
        permanent = isinstance(exc, DeliveryError) and exc.permanent
        if not isinstance(exc, DeliveryError):
            logger.exception("unexpected error sending outbox message %s", message.pk)
        error = str(exc) or type(exc).__name__
        if permanent or message.attempts >= settings.max_attempts:
            reason = error if permanent else f"gave up after {message.attempts} attempts: {error}"
            _finish(message, started, AttemptOutcome.FAILED, error=reason)
            report.failed += 1
        else:
            wait = backoff(message.attempts, base=settings.backoff_base, cap=settings.backoff_max)
            _finish(
                message, started, AttemptOutcome.RETRY, error=error, next_attempt_at=timezone.now() + wait
            )
            report.retried += 1
        report.errors.append(error)
        return
    _finish(message, started, AttemptOutcome.SENT, provider_id=provider_id or "")
    report.sent += 1


def deliver_due(*, budget_seconds: float | None = None, limit: int | None = None) -> DeliveryReport:
    """Deliver due messages in batches until none is left, `limit` are done or the time budget is spent."""
    settings = conf.get()
    report = DeliveryReport(recovered=recover_expired(settings=settings))
    deadline = time.monotonic() + budget_seconds if budget_seconds else None
    senders = Senders(settings)
    try:
        while True:
            size = settings.batch_size if limit is None else min(settings.batch_size, limit - _done(report))
            batch = claim(size=size, settings=settings) if size > 0 else []
            if not batch:
                break
            for index, message in enumerate(batch):
                if _lease_running_out(message, settings.http_timeout):
                    release(batch[index:])  # claimed again at once, with a fresh lease
                    break
                send_one(message, senders, report)
            if (limit is not None and _done(report) >= limit) or (deadline and time.monotonic() > deadline):
                report.more = True
                break
    finally:
        senders.close()
    return report


def _lease_running_out(message: OutboxMessage, timeout: float) -> bool:
    # A slow gateway can eat a batch's lease; stop before another worker could take these rows too.
    margin = dt.timedelta(seconds=timeout * 1.5)
    return message.lease_expires_at is not None and timezone.now() + margin >= message.lease_expires_at


def release(messages: list[OutboxMessage]) -> int:
    """Give claimed, unsent messages back to the queue without counting an attempt."""
    return OutboxMessage.objects.filter(
        pk__in=[m.pk for m in messages], claim_token__in={m.claim_token for m in messages}
    ).update(status=MessageStatus.PENDING, claim_token="", lease_expires_at=None, attempts=F("attempts") - 1)


def _done(report: DeliveryReport) -> int:
    return report.sent + report.retried + report.failed


def retry_now(message_ids: list[int]) -> int:
    """Put failed messages back in the queue for a fresh series of attempts (an administrator's action)."""
    return OutboxMessage.objects.filter(pk__in=message_ids, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claim_token=""
    )
