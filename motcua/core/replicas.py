"""Reads a read replica may serve: leaders' reports and the public look-ups (ARCHITECTURE, Storage and scale).

With `DATABASE_REPLICA_URL` set, the views marked `@replica_reads` read every model from the replica
(`ReplicaRouter`); all writes, and every other view, stay on the primary. The replica may lag the primary
by a moment, which these pages can afford: a look-up may show a step a second late, a report never
counts the last second. Sessions and the cache table (rate limits) always stay on the primary.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
# Rows that must be read where they are written: a session just saved, a rate-limit counter just counted.
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_cache"})
_reading = ContextVar("motcua_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads go to the replica when one is configured."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a read-only view (or API operation) from the replica."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Send reads made inside `replica_reads` to the replica; everything else to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading.get() and replica_configured() and model._meta.app_label not in PRIMARY_ONLY_APPS:  # type: ignore[attr-defined]
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None
