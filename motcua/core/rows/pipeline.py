"""Sending statements: on PostgreSQL several in one round trip (psycopg's pipeline), with kept plans."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections


class Query(Protocol):
    """What `read_together` runs: a Prepared, or anything that gives its SQL and reads its rows."""

    def statement(self, **values: Any) -> tuple[str, list[Any]]: ...

    def instances(self, fetched: Iterable[Sequence[Any]]) -> list[Any]: ...


def _run(query: Query, values: dict[str, Any]) -> list[Any]:
    sql, args = query.statement(**values)
    connection = connections[DEFAULT_DB_ALIAS]
    if _batches(connection):
        with _batch_cursor(connection, [(sql, args)]) as cursor:
            return query.instances(cursor.fetchall())
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return query.instances(cursor.fetchall())


def _batch_cursor(connection: Any, statements: Sequence[tuple[str, list[Any]]]) -> Any:
    """Run statements in one round trip; return a cursor at the first one's result (`nextset` for the next).

    Each statement goes on its own through psycopg's pipeline, so PostgreSQL keeps the plan of the ones
    repeated (planning our wide rows costs more than running them), and the batch is still one round
    trip. Django's cursor wrapper sees one execute: query logs, counts and error types stay Django's.
    """
    connection.ensure_connection()
    connection.validate_thread_sharing()
    pipelined = _Pipelined(connection, statements)
    wrapper = (
        connection.make_debug_cursor(pipelined)
        if connection.queries_logged
        else connection.make_cursor(pipelined)
    )
    try:
        wrapper.execute("; ".join(sql for sql, _ in statements), [a for _, args in statements for a in args])
    except BaseException:
        wrapper.close()
        raise
    return wrapper


@dataclass(frozen=True)
class _Logged:
    query: bytes


class _Pipelined:
    """The part of a DB-API cursor the batches use, over one psycopg cursor per statement."""

    def __init__(self, connection: Any, statements: Sequence[tuple[str, list[Any]]]) -> None:
        self._connection, self._statements = connection, statements
        self._cursors: list[psycopg.Cursor[Any]] = []
        self._at = 0
        self._joined: tuple[str, Any] = ("", None)

    def execute(self, joined: str, params: Any = None) -> None:
        """Run the statements; `joined` and `params` are their one-text form, kept for the query log."""
        self._joined = joined, params
        raw = self._connection.connection
        with raw.pipeline():
            for sql, args in self._statements:
                # Server-side binding, which lets PostgreSQL keep plans (the connection's prepare_threshold).
                self._cursors.append(cursor := psycopg.Cursor(raw))
                cursor.execute(sql, args)

    @property
    def _query(self) -> _Logged:
        """The batch as one text, for Django's query log (`last_executed_query`)."""
        return _Logged(self._connection.ops.compose_sql(*self._joined).encode())

    @property
    def rowcount(self) -> int:
        return self._cursors[self._at].rowcount

    def fetchall(self) -> list[Any]:
        return self._cursors[self._at].fetchall()

    def nextset(self) -> bool:
        self._at += 1
        return self._at < len(self._cursors)

    def close(self) -> None:
        for cursor in self._cursors:
            cursor.close()


def batches() -> bool:
    """Whether several statements go in one round trip here (see `_batches`)."""
    return _batches(connections[DEFAULT_DB_ALIAS])


def _batches(connection: Any) -> bool:
    """Whether several statements go in one round trip: on PostgreSQL, through psycopg's pipeline."""
    return bool(connection.vendor == "postgresql")
