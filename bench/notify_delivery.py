"""Notification delivery: two `db_worker` processes draining the outbox into a local SMS gateway.

Baseline: two processes POSTing the same JSON straight to the same gateway over kept-alive connections,
with nothing else to do (no database, no claims, no delivery log). Then the outbox: a burst of BURST
messages, and a backlog of BACKLOG messages (default 100,000; NOTIFY_BENCH_BACKLOG to change it),
written to the outbox first, then drained by two `python manage.py db_worker --queue-name notify`.

per_second = messages ÷ time between the gateway's first and last accepted message (steady rate);
drain_seconds = from starting the workers (process start-up included) to an empty outbox.
vs_baseline = our steady rate ÷ the raw posts' rate in the same run. Every run checks exactly-once: the
gateway must have accepted each idempotency key once and seen no repeat.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from django.db import connection, connections
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[1]
BACKLOG = int(os.environ.get("NOTIFY_BENCH_BACKLOG", "100000"))
BURST = int(os.environ.get("NOTIFY_BENCH_BURST", "2000"))
WORKERS = 2
TEXT = (
    "Hồ sơ H42.50.01-251103-{n:06d} đã được tiếp nhận lúc 09:00 03/11/2025. "
    "Hẹn trả kết quả: 09:00 06/11/2025."
)
ALIAS = "notify_bench"


def _database() -> tuple[str, str]:
    """Return (alias, DATABASE_URL) of a database the worker processes can open too."""
    if connection.vendor == "sqlite":
        if not connection.is_in_memory_db():
            return "default", f"sqlite:///{connection.settings_dict['NAME']}"
        # bench/__main__ migrates an in-memory SQLite database: copy it to a file the workers can share.
        path = Path(tempfile.mkdtemp(prefix="motcua-notify-bench-")) / "outbox.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        connections.settings[ALIAS] = {**connection.settings_dict, "NAME": str(path)}
        return ALIAS, f"sqlite:///{path}"
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="") + (
        ":" + quote(db["PASSWORD"], safe="") if db.get("PASSWORD") else ""
    )
    host = f"{user}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return "default", f"postgres://{host}{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"


def _payload(n: int, prefix: str) -> bytes:
    key = f"{prefix}-{n:064d}"[-64:]
    text = TEXT.format(n=n)
    return json.dumps(
        {"to": f"+8491{n:07d}", "text": text, "brandname": "MOTCUA", "unicode": True, "idempotency_key": key},
        ensure_ascii=False,
    ).encode()


def post_raw(url: str, api_key: str, first: int, count: int) -> None:
    """The baseline's inner loop (run in a child process): POST `count` messages over one connection."""
    parts = urlsplit(url)
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    for n in range(first, first + count):
        body = _payload(n, "raw")
        headers = {
            "Authorization": f"Bearer {api_key}",
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": json.loads(body)["idempotency_key"],
        }
        client.request("POST", parts.path, body=body, headers=headers)
        response = client.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"gateway answered {response.status}")
    client.close()


def _baseline(gateway: Any, count: int) -> dict[str, Any]:
    share = count // WORKERS
    started = time.perf_counter()
    posters = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.notify_delivery",
                "post",
                gateway.url,
                gateway.api_key,
                str(i * share),
                str(share),
            ],
            cwd=ROOT,
        )
        for i in range(WORKERS)
    ]
    if any(p.wait() != 0 for p in posters):
        raise RuntimeError("a raw poster failed")
    seconds = time.perf_counter() - started
    return {
        "name": "raw HTTP posts, 2 processes (baseline)",
        "messages": share * WORKERS,
        "drain_seconds": seconds,
        "per_second": share * WORKERS / seconds,
    }


def _seed(alias: str, count: int, prefix: str) -> None:
    from motcua.notify.models import OutboxMessage
    from motcua.notify.services.outbox import idempotency_key

    now = timezone.now()
    chunk = 5000
    for start in range(0, count, chunk):
        rows = [
            OutboxMessage(
                idempotency_key=idempotency_key(f"{prefix}:{n}", "received", "sms", f"+8491{n:07d}"),
                source=f"{prefix}:{n}",
                kind="received",
                channel="sms",
                recipient=f"+8491{n:07d}",
                body=TEXT.format(n=n),
                unicode=True,
                segments=2,
                next_attempt_at=now,
                created_at=now,
            )
            for n in range(start, min(start + chunk, count))
        ]
        OutboxMessage.objects.using(alias).bulk_create(rows)


def _outbox(gateway: Any, alias: str, url: str, count: int, label: str) -> dict[str, Any]:
    from motcua.notify.models import MessageStatus, OutboxMessage

    _seed(alias, count, label)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "NOTIFY_SMS_BACKEND": "http",
        "NOTIFY_SMS_URL": gateway.url,
        "NOTIFY_SMS_API_KEY": gateway.api_key,
        "NOTIFY_SMS_MAX_SEGMENTS": "10",
        "NOTIFY_TASK_SECONDS": "3600",
    }
    before = (len(gateway.accepted), gateway.duplicates)
    started = time.perf_counter()
    kick = [sys.executable, "manage.py", "notify_deliver", "--enqueue", str(WORKERS)]
    subprocess.run(kick, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "notify", "--interval", "0.2"]
    command += ["--no-startup-delay", "--no-reload", "--verbosity", "0"]
    workers = [
        subprocess.Popen([*command, "--worker-id", f"bench-{i}"], cwd=ROOT, env=env) for i in range(WORKERS)
    ]
    waiting = OutboxMessage.objects.using(alias).filter(
        status__in=[MessageStatus.PENDING, MessageStatus.SENDING]
    )
    try:
        while waiting.exists():
            if any(w.poll() is not None for w in workers):
                raise RuntimeError("a worker stopped")
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(30)
    drain = time.perf_counter() - started
    delivered = len(gateway.accepted) - before[0]
    repeats = gateway.duplicates - before[1]
    failed = OutboxMessage.objects.using(alias).filter(status=MessageStatus.FAILED).count()
    if delivered != count or repeats or failed:
        raise RuntimeError(
            f"exactly-once broken: {delivered} delivered of {count}, {repeats} repeats, {failed} failed"
        )
    steady = gateway.last_at - gateway.first_since(before[0])
    return {
        "name": f"outbox → 2 db_workers, {label} of {count:,}",
        "messages": count,
        "drain_seconds": drain,
        "per_second": count / steady,
        "repeats": repeats,
    }


def run() -> list[dict[str, Any]]:
    from motcua.notify.tests.servers import SmsGateway

    alias, url = _database()
    gateway = SmsGateway(max_segments=10, record_times=True).start()
    try:
        raw = _baseline(gateway, BURST)
        rows = [
            raw,
            _outbox(gateway, alias, url, BURST, "burst"),
            _outbox(gateway, alias, url, BACKLOG, "backlog"),
        ]
    finally:
        gateway.stop()
        if alias == ALIAS:  # the file copy of an in-memory database is ours to remove
            connections[ALIAS].close()
            shutil.rmtree(Path(connections.settings[ALIAS]["NAME"]).parent, ignore_errors=True)
    for row in rows[1:]:
        row["vs_baseline"] = row["per_second"] / raw["per_second"]
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["post"]:
        _, _, target, key, first, count = sys.argv
        post_raw(target, key, int(first), int(count))
