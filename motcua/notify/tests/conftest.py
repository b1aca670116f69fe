"""Local servers, notification settings pointing at them, and the dossier personas reused from dossiers."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from motcua.dossiers.tests.conftest import people, points, province  # noqa: F401
from motcua.notify.tests.servers import SmsGateway, SmtpServer, WebhookReceiver


def _test_database_on_disk() -> None:
    # Django keeps an SQLite test database in memory even when DATABASE_URL names a file; the worker
    # processes of the crash test must open it, so a file URL gets a file test database beside it.
    db = settings.DATABASES["default"]
    name = str(db.get("NAME") or "")
    in_memory = name in ("", ":memory:") or name.startswith("file:") or "mode=memory" in name
    if db["ENGINE"].endswith("sqlite3") and not in_memory and not (db.get("TEST") or {}).get("NAME"):
        db.setdefault("TEST", {})["NAME"] = f"{name}.test"


_test_database_on_disk()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "subprocess: starts real worker processes; needs a file SQLite database or PostgreSQL"
    )


def database_url() -> str:
    """Return a DATABASE_URL for the test database, for the worker processes a test starts."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{credentials}@" if credentials else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{host}{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"


def needs_shared_database() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "worker processes cannot open an in-memory SQLite database: run with "
            "DATABASE_URL=sqlite:////tmp/motcua_notify.sqlite3 or PostgreSQL"
        )


@pytest.fixture
def gateway() -> Iterator[SmsGateway]:
    server = SmsGateway().start()
    yield server  # type: ignore[misc]
    server.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    yield server  # type: ignore[misc]
    server.stop()


@pytest.fixture
def live_channels(gateway: SmsGateway, smtp: SmtpServer) -> Iterator[None]:
    """Send SMS to the local gateway and e-mail to the local SMTP server; retry at once in tests."""
    with override_settings(
        NOTIFY_SMS_BACKEND="http",
        NOTIFY_SMS_URL=gateway.url,
        NOTIFY_SMS_API_KEY=gateway.api_key,
        NOTIFY_EMAIL_BACKEND="smtp",
        NOTIFY_WEBHOOK_BACKEND="http",
        NOTIFY_EMAIL_FROM="MotCua Hà Tĩnh <thongbao@hatinh.example.vn>",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp.port,
        NOTIFY_BACKOFF_SECONDS=0.0,
        NOTIFY_HTTP_TIMEOUT=2.0,
        NOTIFY_DELIVERY="worker",
    ):
        yield
