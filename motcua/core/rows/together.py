"""Writes and reads of one operation sent together: on PostgreSQL in one round trip."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

from motcua.core.rows.pipeline import Query, _batch_cursor, _batches, _run
from motcua.core.rows.values import LOADED, column
from motcua.core.rows.writes import (
    _check_updated,
    _insert_sql,
    _inserted,
    _saved,
    _update_sql,
    insert,
    insert_many,
    save_changes,
)


def insert_new(instances: Sequence[Model]) -> int:
    """INSERT rows, skipping any that would break a unique constraint; return how many went in.

    For rows nobody reads back by id (the outbox): a repeat of an idempotency key is simply not written.
    """
    return insert_new_then_read(instances)[0]


class NextIds:
    """Draw `count` new ids of a model from its PostgreSQL sequence, as one query of a batch.

    A row that knows its id before it is written can be sent in the same batch as the rows that
    refer to it. Only where `batches()`: SQLite has no sequence to draw from.
    """

    def __init__(self, model: type[Model]) -> None:
        self.model = model

    def statement(self, **values: Any) -> tuple[str, list[Any]]:
        """SQL and arguments for `count` (int) new ids."""
        meta = self.model._meta
        sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
        return sql, [meta.db_table, column(meta.pk), int(values["count"])]

    def instances(self, fetched: Iterable[Sequence[Any]]) -> list[int]:
        return [int(row[0]) for row in fetched]


def insert_new_then_read(
    instances: Sequence[Model], *then: tuple[Query, dict[str, Any]]
) -> tuple[int, list[list[Any]]]:
    """`insert_new`, then the queries `then` (as `read_together`): on PostgreSQL in one round trip."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not instances or not _batches(connection):
        written = 0
        if instances:
            sql, args = _insert_sql(instances, connection)
            with connection.cursor() as cursor:
                cursor.execute(f"{sql} ON CONFLICT DO NOTHING", args)  # SQLite 3.24+ and PostgreSQL
                written = max(cursor.rowcount, 0)
        return written, read_together(*then)
    sql, args = _insert_sql(instances, connection)
    statements = [(f"{sql} ON CONFLICT DO NOTHING", args)] + [query.statement(**v) for query, v in then]
    with _batch_cursor(connection, statements) as cursor:
        written = max(cursor.rowcount, 0)
        return written, _results(cursor, then, first=False)


def insert_together(
    *groups: Sequence[Model], then: Sequence[tuple[Query, dict[str, Any]]] = ()
) -> list[list[Any]]:
    """`insert_many` for each group (rows of one model each), then the queries `then` (as
    `read_together`): on PostgreSQL in one round trip. Return each query's instances.

    A group may refer to rows of an earlier group or call only through their objects: the ids are
    taken from them, so each such object must have its id (written before, or drawn with `NextIds`).
    """
    groups = tuple(g for g in groups if g)
    connection = connections[DEFAULT_DB_ALIAS]
    if not _batches(connection):
        for group in groups:
            insert_many(group)
        return read_together(*then)
    statements = []
    for group in groups:
        sql, args = _insert_sql(group, connection)
        statements.append((f"{sql} RETURNING {connection.ops.quote_name(column(group[0]._meta.pk))}", args))
    statements += [query.statement(**values) for query, values in then]
    with _batch_cursor(connection, statements) as cursor:
        for index, group in enumerate(groups):
            if index:
                cursor.nextset()
            _inserted(group, [r[0] for r in cursor.fetchall()])
        return _results(cursor, then, first=not groups)


def read_together(*queries: tuple[Query, dict[str, Any]]) -> list[list[Any]]:
    """Run several queries; on PostgreSQL in one round trip. Return each one's instances."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not _batches(connection):
        return [_run(query, values) for query, values in queries]
    with _batch_cursor(connection, [query.statement(**values) for query, values in queries]) as cursor:
        return _results(cursor, queries, first=True)


def _results(cursor: Any, queries: Sequence[tuple[Query, dict[str, Any]]], *, first: bool) -> list[list[Any]]:
    """Each query's instances from its result set, in order; `first`: the cursor is at the first one's."""
    found: list[list[Any]] = []
    for index, (query, _values) in enumerate(queries):
        if index or not first:
            cursor.nextset()
        found.append(query.instances(cursor.fetchall()))
    return found


def save_and_insert(
    changed: Sequence[Model], new: Model, *then: tuple[Query, dict[str, Any]]
) -> list[list[Any]]:
    """`save_changes` for each of `changed`, `insert(new)`, then the queries `then` (as
    `read_together`): on PostgreSQL in one round trip. Return each query's instances.

    A dossier operation writes its step, the dossier and the event together; over a network each
    statement costs a round trip, so they go as one batch (psycopg's pipeline).
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if not _batches(connection) or any(i.__dict__.get(LOADED) is None for i in changed):
        for instance in changed:
            save_changes(instance)
        insert(new)
        return read_together(*then)
    updates = [(i, u) for i in changed if (u := _update_sql(i, connection)) is not None]
    insert_sql, insert_args = _insert_sql([new], connection)
    pk = new._meta.pk
    statements = [(u[0], u[1]) for _, u in updates]
    statements.append((f"{insert_sql} RETURNING {connection.ops.quote_name(column(pk))}", insert_args))
    statements += [query.statement(**values) for query, values in then]
    with _batch_cursor(connection, statements) as cursor:
        for instance, _update in updates:
            _check_updated(instance, cursor.rowcount)
            cursor.nextset()
        ids = [r[0] for r in cursor.fetchall()]
        found = _results(cursor, then, first=False)
    for instance, (_sql, _args, fields) in updates:
        _saved(instance, fields)
    _inserted([new], ids)
    return found
