"""Kill a real worker (SIGKILL) in the middle of a batch; after a restart every SMS reaches the person once.

The worker is `python manage.py db_worker --queue-name notify` on the test database; the gateway is slow
(0.1 s a message) so the kill lands mid-batch. The message in flight may reach the gateway twice, with
the same idempotency key: the gateway counts and drops the repeat, so each key is delivered once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.notify.models import MessageStatus, OutboxMessage
from motcua.notify.services import Draft, queue
from motcua.notify.tasks import deliver_outbox
from motcua.notify.tests.conftest import database_url, needs_shared_database
from motcua.notify.tests.servers import SmsGateway

pytestmark = [pytest.mark.subprocess, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]
MESSAGES = 40
LEASE = 3.0


@pytest.fixture
def slow_gateway() -> Iterator[SmsGateway]:
    server = SmsGateway(delay=0.1).start()
    yield server  # type: ignore[misc]
    server.stop()


def _worker(gateway: SmsGateway, log: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "NOTIFY_SMS_BACKEND": "http",
        "NOTIFY_SMS_URL": gateway.url,
        "NOTIFY_SMS_API_KEY": gateway.api_key,
        "NOTIFY_BATCH_SIZE": "10",
        "NOTIFY_HTTP_TIMEOUT": "1",
        "NOTIFY_LEASE_SECONDS": str(LEASE),
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "notify", "--interval", "0.1"]
    command += ["--no-startup-delay", "--no-reload", "--worker-id", name, "--verbosity", "0"]
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait(condition: Callable[[], bool], seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out; worker log:\n" + log.read_text(errors="replace")[-3000:])
        time.sleep(0.05)


def test_a_worker_killed_mid_batch_delivers_every_message_exactly_once_after_restart(slow_gateway, tmp_path):
    needs_shared_database()
    log = tmp_path / "worker.log"
    drafts = [
        Draft(
            source=f"crash-test:{n}",
            kind="received",
            channel="sms",
            recipient=f"+8491{n:07d}",
            body=f"Hồ sơ số {n} đã được tiếp nhận.",
            unicode=True,
            segments=1,
        )
        for n in range(MESSAGES)
    ]
    with transaction.atomic():
        queue(drafts)  # on commit: one delivery task for the workers
    keys = set(OutboxMessage.objects.values_list("idempotency_key", flat=True))

    first = _worker(slow_gateway, log, "crash-first")
    try:
        _wait(lambda: len(slow_gateway.accepted) >= 12, 30, log)
        first.send_signal(signal.SIGKILL)
    finally:
        first.kill()
        first.wait(10)
    states = list(OutboxMessage.objects.values_list("status", flat=True))
    left = OutboxMessage.objects.exclude(status=MessageStatus.SENT)
    assert 12 <= len(slow_gateway.accepted) < MESSAGES and MessageStatus.SENDING in states, states

    # The dead worker's claim must run out before anyone may send its rows again.
    lease_end = max(m.lease_expires_at for m in left.filter(status=MessageStatus.SENDING))
    time.sleep(max((lease_end - timezone.now()).total_seconds(), 0) + 0.2)
    deliver_outbox.enqueue()  # the sweeper's job after a restart: `notify_deliver --enqueue 1`
    second = _worker(slow_gateway, log, "crash-second")
    try:
        _wait(lambda: not OutboxMessage.objects.exclude(status=MessageStatus.SENT).exists(), 30, log)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(10)

    assert slow_gateway.errors == []
    assert set(slow_gateway.accepted) == keys  # every message reached the gateway…
    assert slow_gateway.duplicates <= 1  # …the one in flight at the kill at most twice…
    assert slow_gateway.posts == MESSAGES + slow_gateway.duplicates  # …and nothing else was repeated
    for row in OutboxMessage.objects.all():
        assert row.provider_message_id == slow_gateway.accepted[row.idempotency_key]["id"]
    assert OutboxMessage.objects.filter(attempts=2).exists()  # taken back from the dead worker
