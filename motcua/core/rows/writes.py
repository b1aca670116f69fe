"""INSERT … RETURNING and UPDATE of only the changed columns, as Model.save() would write them."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Field, Model

from motcua.core.rows.values import LOADED, _copied, _db_values, column, remember

M = TypeVar("M", bound=Model)


def insert(instance: M) -> M:
    """INSERT one new row and set its primary key; defaults and auto_now fields as Model.save() does."""
    return insert_many([instance])[0]


def insert_many(instances: Sequence[M]) -> Sequence[M]:
    """INSERT new rows of one model in one statement and set their primary keys (in the given order)."""
    if not instances:
        return instances
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.features.can_return_rows_from_bulk_insert:
        raise DatabaseError("the database cannot return ids from INSERT (SQLite 3.35 or newer needed)")
    sql, args = _insert_sql(instances, connection)
    pk = instances[0]._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {connection.ops.quote_name(column(pk))}", args)
        _inserted(instances, [r[0] for r in cursor.fetchall()])
    return instances


def _inserted(instances: Sequence[Model], ids: list[Any]) -> None:
    for instance, pk_value in zip(instances, ids, strict=True):
        instance.pk = pk_value
        instance._state.adding, instance._state.db = False, DEFAULT_DB_ALIAS
        remember(instance)


def _link_parents(instances: Sequence[Model]) -> None:
    """Take foreign key ids from related objects given before they were written, as Model.save() does."""
    for field in _foreign_keys(type(instances[0])):
        name, attname = field.name, field.attname
        for instance in instances:
            if instance.__dict__.get(attname) is None:
                parent = instance._state.fields_cache.get(name)
                if parent is not None and parent.pk is not None:
                    instance.__dict__[attname] = parent.pk


@functools.cache
def _foreign_keys(model: type[Model]) -> tuple[Any, ...]:
    return tuple(f for f in model._meta.concrete_fields if f.is_relation and f.many_to_one)


def _insert_sql(instances: Sequence[Model], connection: Any) -> tuple[str, list[Any]]:
    model = type(instances[0])
    if any(type(i) is not model for i in instances):
        raise ValueError("rows of one model without parents only")
    _link_parents(instances)
    sql, fields = _insert_statement(model, instances[0].pk is not None, len(instances), connection.vendor)
    return sql, [v for i in instances for v in _db_values(fields, i, connection, add=True)]


@functools.lru_cache(maxsize=256)
def _insert_statement(
    model: type[Model], with_pk: bool, count: int, vendor: str
) -> tuple[str, tuple[Field, ...]]:
    meta = model._meta
    if meta.parents:
        raise ValueError("rows of one model without parents only")
    pk = meta.pk
    fields = tuple(f for f in meta.local_concrete_fields if f is not pk or with_pk)
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(column(f)) for f in fields)}) "
        f"VALUES {', '.join([row] * count)}"
    )
    return sql, fields


def save_changes(instance: Model) -> list[str]:
    """UPDATE the columns that changed since the row was read or written here; return their names.

    An instance this module did not load is saved whole, as Model.save() would.
    """
    if instance.__dict__.get(LOADED) is None:
        instance.save()
        remember(instance)
        return [f.attname for f in instance._meta.concrete_fields]
    connection = connections[DEFAULT_DB_ALIAS]
    update = _update_sql(instance, connection)
    if update is None:
        return []
    sql, args, changed = update
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        _check_updated(instance, cursor.rowcount)
    return _saved(instance, changed)


def _update_sql(instance: Model, connection: Any) -> tuple[str, list[Any], list[Field]] | None:
    loaded = instance.__dict__[LOADED]
    values = instance.__dict__
    updatable, auto_now = _updatable(type(instance))
    changed = [f for f, name in updatable if values.get(name) != loaded.get(name)]
    if not changed:
        return None
    changed += [f for f in auto_now if f not in changed]
    sql = _update_statement(type(instance), tuple(changed), connection.vendor)
    args = [*_db_values(changed, instance, connection, add=False), instance.pk]
    return sql, args, changed


@functools.cache
def _updatable(model: type[Model]) -> tuple[tuple[tuple[Field, str], ...], tuple[Field, ...]]:
    """Return the model's columns an UPDATE may set (with their attributes), and its auto_now fields."""
    fields = model._meta.local_concrete_fields
    return (
        tuple((f, f.attname) for f in fields if not f.primary_key),
        tuple(f for f in fields if getattr(f, "auto_now", False)),
    )


@functools.lru_cache(maxsize=512)
def _update_statement(model: type[Model], fields: tuple[Field, ...], vendor: str) -> str:
    meta = model._meta
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    return (
        f"UPDATE {quote(meta.db_table)} SET {', '.join(f'{quote(column(f))} = %s' for f in fields)} "
        f"WHERE {quote(column(meta.pk))} = %s"
    )


def _check_updated(instance: Model, rowcount: int) -> None:
    if rowcount != 1:
        raise DatabaseError(f"{instance._meta.label} {instance.pk} was not updated: the row is gone")


def _saved(instance: Model, changed: list[Field]) -> list[str]:
    loaded = instance.__dict__[LOADED]
    for f in changed:
        loaded[f.attname] = _copied(instance.__dict__.get(f.attname))
    return [f.attname for f in changed]
