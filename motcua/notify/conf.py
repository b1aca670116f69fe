"""Notification settings: a `NOTIFY_*` Django setting wins, then the environment variable, then the default.

Read at call time (not import time), so `override_settings` in tests and a changed environment both apply.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from motcua.core.env import env_bool, env_int, env_str
from motcua.core.refcache import once_per_call

SMS_BACKENDS = ("console", "file", "http")
EMAIL_BACKENDS = ("console", "file", "smtp")
WEBHOOK_BACKENDS = ("console", "file", "http")
UNICODE_MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class Threshold:
    """An amount of office time: `1d` (working days) or `2h` (working hours)."""

    amount: Decimal
    unit: Literal["d", "h"]

    @property
    def label(self) -> str:
        return f"{self.amount.normalize():f}{self.unit}"

    def hours(self, hours_per_day: Decimal = Decimal(8)) -> Decimal:
        return self.amount * hours_per_day if self.unit == "d" else self.amount


def parse_threshold(text: str) -> Threshold:
    raw = text.strip().lower()
    unit = raw[-1:]
    try:
        amount = Decimal(raw[:-1])
    except ArithmeticError:
        amount = Decimal(-1)
    if unit not in ("d", "h") or not amount.is_finite() or amount <= 0:
        raise ImproperlyConfigured(f"A notification threshold looks like 1d or 2h, not {text!r}")
    return Threshold(amount, unit)  # type: ignore[arg-type]


@dataclass(frozen=True)
class NotifyConf:
    delivery: str
    sms_backend: str
    email_backend: str
    webhook_backend: str
    sms_url: str
    sms_api_key: str
    sms_brandname: str
    sms_unicode: str
    sms_max_segments: int
    sms_lookup_number: str
    http_timeout: float
    email_from: str
    email_host: str
    email_port: int
    email_user: str
    email_password: str
    email_use_tls: bool
    email_use_ssl: bool
    file_path: Path
    max_attempts: int
    backoff_base: float
    backoff_max: float
    lease_seconds: float
    batch_size: int
    task_budget: float
    warn_thresholds: tuple[Threshold, ...]
    apology_threshold: Threshold
    inbound_sms_key: str
    inbound_enqueue_reply: bool
    language: str


def _setting(name: str, env: Any, default: Any) -> Any:
    """Return settings.NAME if the project defines it, else the environment's value via `env`."""
    if hasattr(settings, name):
        return getattr(settings, name)
    return env(name, default)


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return default if raw is None or not raw.strip() else float(raw)


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


_cached: tuple[tuple[tuple[str, str], ...], NotifyConf] | None = None


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    # override_settings (tests) and any runtime change of settings send this signal.
    global _cached
    _cached = None


def _environment() -> tuple[tuple[Any, Any], ...]:
    # Every message reads the settings several times; decoding all of os.environ each time cost more
    # than writing the message. os.environ keeps its raw bytes in `_data` (POSIX): compare those.
    raw = getattr(os.environ, "_data", None)
    if isinstance(raw, dict) and all(isinstance(k, bytes) for k in list(raw)[:1]):
        return tuple(sorted((k, v) for k, v in raw.items() if k.startswith((b"NOTIFY_", b"EMAIL_"))))
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(("NOTIFY_", "EMAIL_"))))


def get() -> NotifyConf:
    """Return the notification settings in force (read again when settings or NOTIFY_/EMAIL_ vars change).

    Within one dossier operation they are looked at once: each message asks for them several times.
    """
    return once_per_call("notify.conf", _current)


def _current() -> NotifyConf:
    global _cached
    environment = _environment()
    if _cached is not None and _cached[0] == environment:
        return _cached[1]
    value = _read()
    _cached = (environment, value)
    return value


def _read() -> NotifyConf:
    debug = bool(settings.DEBUG)
    sms_url = _setting("NOTIFY_SMS_URL", env_str, "")
    thresholds = _setting("NOTIFY_WARN_THRESHOLDS", env_str, "1d,2h")
    if isinstance(thresholds, str):
        thresholds = [t for t in thresholds.split(",") if t.strip()]
    timeout = float(_setting("NOTIFY_HTTP_TIMEOUT", _float, 10.0))
    return NotifyConf(
        # make run has no worker: deliver right after commit in the web process when DEBUG is on.
        delivery=_choice(
            "NOTIFY_DELIVERY",
            _setting("NOTIFY_DELIVERY", env_str, "inline" if debug else "worker"),
            ("inline", "worker"),
        ),
        sms_backend=_choice(
            "NOTIFY_SMS_BACKEND",
            _setting("NOTIFY_SMS_BACKEND", env_str, "http" if sms_url and not debug else "console"),
            SMS_BACKENDS,
        ),
        email_backend=_choice(
            "NOTIFY_EMAIL_BACKEND",
            _setting("NOTIFY_EMAIL_BACKEND", env_str, "console" if debug else "smtp"),
            EMAIL_BACKENDS,
        ),
        webhook_backend=_choice(
            "NOTIFY_WEBHOOK_BACKEND",
            _setting("NOTIFY_WEBHOOK_BACKEND", env_str, "console" if debug else "http"),
            WEBHOOK_BACKENDS,
        ),
        sms_url=sms_url,
        sms_api_key=_setting("NOTIFY_SMS_API_KEY", env_str, ""),
        sms_brandname=_setting("NOTIFY_SMS_BRANDNAME", env_str, "MOTCUA"),
        sms_unicode=_choice(
            "NOTIFY_SMS_UNICODE", _setting("NOTIFY_SMS_UNICODE", env_str, "auto"), UNICODE_MODES
        ),
        sms_max_segments=int(_setting("NOTIFY_SMS_MAX_SEGMENTS", env_int, 3)),
        sms_lookup_number=_setting("NOTIFY_SMS_LOOKUP_NUMBER", env_str, ""),
        http_timeout=timeout,
        email_from=_setting("NOTIFY_EMAIL_FROM", env_str, settings.DEFAULT_FROM_EMAIL),
        email_host=env_str("EMAIL_HOST", settings.EMAIL_HOST),
        email_port=env_int("EMAIL_PORT", settings.EMAIL_PORT),
        email_user=env_str("EMAIL_HOST_USER", settings.EMAIL_HOST_USER),
        email_password=env_str("EMAIL_HOST_PASSWORD", settings.EMAIL_HOST_PASSWORD),
        email_use_tls=env_bool("EMAIL_USE_TLS", settings.EMAIL_USE_TLS),
        email_use_ssl=env_bool("EMAIL_USE_SSL", settings.EMAIL_USE_SSL),
        file_path=Path(_setting("NOTIFY_FILE_PATH", env_str, str(Path(settings.VAR_DIR) / "outbox.log"))),
        max_attempts=int(_setting("NOTIFY_MAX_ATTEMPTS", env_int, 6)),
        backoff_base=float(_setting("NOTIFY_BACKOFF_SECONDS", _float, 30.0)),
        backoff_max=float(_setting("NOTIFY_BACKOFF_MAX_SECONDS", _float, 3600.0)),
        # A claim outlives the slowest send by a wide margin, so a live worker never loses its rows.
        lease_seconds=float(_setting("NOTIFY_LEASE_SECONDS", _float, max(60.0, 4 * timeout))),
        batch_size=int(_setting("NOTIFY_BATCH_SIZE", env_int, 50)),
        task_budget=float(_setting("NOTIFY_TASK_SECONDS", _float, 300.0)),
        warn_thresholds=tuple(
            sorted((parse_threshold(t) for t in thresholds), key=lambda t: t.hours(), reverse=True)
        ),
        apology_threshold=parse_threshold(_setting("NOTIFY_APOLOGY_THRESHOLD", env_str, "2d")),
        inbound_sms_key=_setting("NOTIFY_INBOUND_SMS_KEY", env_str, ""),
        inbound_enqueue_reply=bool(_setting("NOTIFY_INBOUND_ENQUEUE_REPLY", env_bool, True)),
        language=_setting("NOTIFY_LANGUAGE", env_str, "vi"),
    )
