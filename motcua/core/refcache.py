"""Process-wide caches of reference data, kept exact by a token that database triggers renew.

Staff roles, the agency tree, message templates, webhook endpoints and the names messages show are
read by every dossier operation and change a few times a day. Each of their tables has a trigger
(migrations, `tracking_operations`) that writes a new random token into `core_referencestamp` in the
same transaction as the change. A cached value is used only while the token it was read under is
still the one the database shows: one short read replaces many, and nobody ever sees stale roles.

Why a random token and not a counter: a rolled-back change or a flushed test database can bring a
counter back to a value already seen, with other data behind it; a random token is never seen twice.
A change still uncommitted elsewhere keeps its token invisible here, so cached data matches what this
transaction may read.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, migrations
from django.db.models import Model

from motcua.core import rows

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

STAMP_TABLE = "core_referencestamp"
# The tables whose triggers renew the token (created by the org, notify, catalog and workdays migrations).
TRACKED_TABLES = frozenset(
    {
        "org_staffrole",
        "org_agency",
        "org_servicepoint",
        "org_administrativeunit",
        "notify_messagetemplate",
        "notify_webhookendpoint",
        "catalog_procedure",
        "catalog_procedureversion",
        "workdays_announcedday",
        "workdays_officecalendar",
    }
)
_NOT_READ = object()

# Inside `reference_checked_once()`: the token per database alias, read once for the whole block.
_checked: ContextVar[dict[Hashable, Any] | None] = ContextVar("reference_checked", default=None)


_ALL: weakref.WeakSet[ReferenceCache[Any, Any]] = weakref.WeakSet()


@contextmanager
def reference_checked_once() -> Iterator[None]:
    """Read the token once for the whole block: one service call that does not edit reference data."""
    if _checked.get() is not None:
        yield
        return
    reset = _checked.set({})
    try:
        yield
    finally:
        _checked.reset(reset)


def once_per_call(key: str, compute: Callable[[], V]) -> V:
    """`compute()` once per checked block (one service call), every time outside one.

    For values that cannot change during one service call, such as settings read from the environment.
    """
    checked = _checked.get()
    if checked is None:
        return compute()
    slot = ("once", key)
    if slot not in checked:
        checked[slot] = compute()
    value: V = checked[slot]
    return value


def current_token(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """Return the token the database shows now (once per checked block); None disables caching."""
    checked = _checked.get()
    if checked is not None:
        token = checked.get(alias, _NOT_READ)
        if token is _NOT_READ:
            token = checked[alias] = _read_token(alias)
        return token
    return _read_token(alias)


class _TokenQuery:
    """The token read, as one query of a batch (rows.read_together)."""

    def statement(self) -> tuple[str, list[Any]]:
        quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
        return f"SELECT token FROM {quote(STAMP_TABLE)} WHERE id = 1", []

    def instances(self, fetched: Any) -> list[Any]:
        return [row[0] for row in fetched]


_TOKEN_QUERY = _TokenQuery()


def token_query_due() -> _TokenQuery | None:
    """The token query, when this checked block has not read the token yet: send it with other reads."""
    checked = _checked.get()
    return _TOKEN_QUERY if checked is not None and DEFAULT_DB_ALIAS not in checked else None


def took_token(found: list[Any]) -> None:
    """Keep the token read by a batch for the rest of this checked block."""
    checked = _checked.get()
    if checked is not None:
        checked[DEFAULT_DB_ALIAS] = found[0] if found else None


def _read_token(alias: str) -> str | None:
    sql, args = _TOKEN_QUERY.statement()
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, args)
        row = cursor.fetchone()
    return row[0] if row else None


class ReferenceCache(Generic[K, V]):
    """Values computed from reference tables, kept per key while the token stays the same.

    Cached values are shared between threads: `load` must return something nobody mutates.
    """

    def __init__(self, load: Callable[[K], V], *, size: int = 2048) -> None:
        self._load = load
        self._size = size
        self._entries: dict[tuple[str, K], tuple[str, V]] = {}
        self._lock = threading.Lock()
        _ALL.add(self)

    def get(self, key: K, alias: str = DEFAULT_DB_ALIAS) -> V:
        token = current_token(alias)
        if token is None:  # no stamp row (a freshly flushed database): read every time
            return self._load(key)
        entry = self._entries.get((alias, key))
        if entry is not None and entry[0] == token:
            return entry[1]
        value = self._load(key)
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries.clear()  # a token change makes every entry useless at once anyway
            self._entries[(alias, key)] = (token, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _read_row(key: tuple[type[Model], Any]) -> Model | None:
    model, pk = key
    return rows.by_pk(model, pk)


_ROWS: ReferenceCache[tuple[type[Model], Any], Model | None] = ReferenceCache(_read_row)


def load_reference(instance: Model, *names: str) -> None:
    """Like rows.load_related, for foreign keys to reference tables: from the cache when it holds.

    The related object is shared with other operations: read it, never change it.
    """
    rows.load_related(instance, *names, find=_cached_row)


def _cached_row(model: type[Model], pk: Any) -> Model | None:
    if model._meta.db_table not in TRACKED_TABLES:
        raise ValueError(f"{model} is not reference data: no trigger keeps a cache of it exact")
    return _ROWS.get((model, pk))


def clear_all() -> None:
    """Forget every cached value (tests that count statements start cold)."""
    for cache in list(_ALL):
        cache.clear()


# --- the triggers, created by each app's migration for its own tables -------------------------------

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION motcua_reference_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {STAMP_TABLE} (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text))
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END $$
"""
_SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def _trigger_name(table: str, event: str = "") -> str:
    return f"refstamp_{table}" + (f"_{event.lower()}" if event else "")


def create_triggers(connection: Any, tables: list[str]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for table in tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table)} ON {quote(table)}")
                cursor.execute(
                    f"CREATE TRIGGER {_trigger_name(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
                    f" ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION motcua_reference_changed()"
                )
        elif connection.vendor == "sqlite":
            for table in tables:
                for event in _SQLITE_EVENTS:
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {_trigger_name(table, event)} AFTER {event}"
                        f" ON {quote(table)} BEGIN INSERT OR REPLACE INTO {STAMP_TABLE} (id, token)"
                        " VALUES (1, lower(hex(randomblob(16)))); END"
                    )
        else:
            raise ImproperlyConfigured(f"MotCua runs on SQLite or PostgreSQL, not {connection.vendor}")


def ensure_triggers(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the triggers of every tracked table that exists and lacks them; return those tables."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    if STAMP_TABLE not in existing:
        return []
    missing = sorted((TRACKED_TABLES & existing) - tables_with_triggers(connection))
    if missing:
        create_triggers(connection, missing)
    return missing


def tables_with_triggers(connection: Any) -> set[str]:
    """Return the tables that have this module's triggers (not the database's own, for foreign keys)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal AND t.tgname LIKE 'refstamp%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'refstamp%'"
            )
        return {row[0] for row in cursor.fetchall()}


def drop_triggers(connection: Any, tables: list[str]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table)} ON {quote(table)}")
            else:
                for event in _SQLITE_EVENTS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)}")


def tracking_operations(*tables: str) -> list[migrations.operations.base.Operation]:
    """Migration operations that make changes to `tables` renew the reference token."""

    def forward(apps: Any, schema_editor: Any) -> None:
        create_triggers(schema_editor.connection, list(tables))

    def backward(apps: Any, schema_editor: Any) -> None:
        drop_triggers(schema_editor.connection, list(tables))

    return [migrations.RunPython(forward, backward, elidable=False)]
