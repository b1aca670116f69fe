"""Hot-path row access: querysets compiled once, inserts and updates without ORM compilation per call.

The dossier engine runs a handful of short statements per operation. Django compiles every queryset
anew, which on a cheap office PC costs ten to twenty times the statement itself (about 0.5 ms for a
37-column dossier against 0.03 ms to run it). Here a queryset is compiled once per database and re-run
with new parameter values, and writes go out as one INSERT … RETURNING or an UPDATE of only the
columns that changed. Values still pass through each field's own conversions (JSON, datetimes on
SQLite), and rows become ordinary model instances.

Model signals are not sent: no domain logic lives in signals (STYLE.md), and the models written here
have no receivers.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models
from django.db.models import Field, Model, QuerySet, signals
from django.db.models.base import ModelState

M = TypeVar("M", bound=Model)

LOADED = "_rows_loaded"  # instance attribute: the column values as last read or written
_INT_MARKER = 7_305_000_000_000_000_000  # far beyond any id; only ever compiled, never executed


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: tuple[tuple[bool, Any], ...]  # (is a parameter, its name or the constant value)
    init_list: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


class Prepared(Generic[M]):
    """A queryset of whole model rows, compiled on first use and then run with new parameter values.

    `build` receives one marker per declared parameter (`int` or `str`) and returns the queryset; the
    markers must reach the SQL unchanged, so use them in plain equality lookups only.
    """

    def __init__(self, build: Callable[..., QuerySet[M]], *, track: bool = True, **params: type) -> None:
        self._build = build
        self._track = track  # remember loaded values for save_changes; reference rows need not
        self._params = params
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def rows(self, **values: Any) -> list[M]:
        """Run the query with these parameter values; return model instances (tracked unless told not to)."""
        return _run(self, values)

    def statement(self, **values: Any) -> tuple[str, list[Any]]:
        """Return the compiled SQL and its arguments for these parameter values."""
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self._compiled.get((DEFAULT_DB_ALIAS, connection.vendor)) or self._compile(
            DEFAULT_DB_ALIAS
        )
        return compiled.sql, [values[key] if is_param else key for is_param, key in compiled.slots]

    def instances(self, fetched: Iterable[Sequence[Any]]) -> list[M]:
        """Turn fetched rows of this query into model instances."""
        alias = DEFAULT_DB_ALIAS
        connection = connections[alias]
        compiled = self._compiled[(alias, connection.vendor)]
        model = self._model
        # Model.__init__ costs more than the read itself; with every column loaded and nobody listening
        # to init signals, setting the attributes directly gives the same instance.
        direct = compiled.init_list == _columns(model)[0] and not (
            signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)
        )
        found = []
        for raw in fetched:
            row = list(raw)
            for pos, convs, expression in compiled.converters:
                value = row[pos]
                for convert in convs:
                    value = convert(value, expression, connection)
                row[pos] = value
            if direct:
                instance = model.__new__(model)
                state = instance._state = ModelState()
                state.adding, state.db = False, alias
                instance.__dict__.update(zip(compiled.init_list, row, strict=True))
            else:
                instance = model.from_db(alias, compiled.init_list, row)
            if self._track:
                remember(instance)
            found.append(instance)
        return found

    def first(self, **values: Any) -> M | None:
        found = self.rows(**values)
        return found[0] if found else None

    def _compile(self, alias: str) -> _Compiled:
        connection = connections[alias]
        markers: dict[str, Any] = {
            name: (_INT_MARKER + i if kind is int else f"\x1fmotcua-param-{name}\x1f")
            for i, (name, kind) in enumerate(self._params.items())
        }
        queryset = self._build(**markers)
        query = queryset.query
        if query.select_related or query.annotation_select or query.extra_select or query.values_select:
            raise ValueError("Prepared queries load plain model rows only")
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        names = {value: name for name, value in markers.items()}
        slots = tuple((True, names[p]) if _is_marker(p, names) else (False, p) for p in params)
        missing = set(markers) - {key for is_param, key in slots if is_param}
        if missing:
            raise ValueError(f"parameters never reach the SQL: {sorted(missing)}")
        select = [column[0] for column in compiler.select]
        fields = compiler.klass_info["select_fields"] if compiler.klass_info else []
        if list(fields) != list(range(len(select))):
            raise ValueError("Prepared queries load plain model rows only")
        converters = tuple(
            (pos, tuple(_faster(c, connection) for c in convs), expression)
            for pos, (convs, expression) in compiler.get_converters(select).items()
        )
        compiled = _Compiled(sql, slots, tuple(c.target.attname for c in select), converters)
        with self._lock:
            self._model = queryset.model
            self._compiled[(alias, connection.vendor)] = compiled
        return compiled

    _model: type[M]


def _faster(convert: Callable[..., Any], connection: Any) -> Callable[..., Any]:
    """Django's converter, or one that gives the same values faster (moments read from SQLite)."""
    if connection.vendor != "sqlite":
        return convert
    ops = type(connection.ops)
    moment = getattr(convert, "__func__", None) is ops.convert_datetimefield_value
    if moment and settings.USE_TZ and _stores_utc_text(connection):
        return _utc_moment
    return convert


def _utc_moment(value: Any, expression: Any, connection: Any) -> Any:
    """A moment SQLite keeps as UTC text, made aware as Django's converter does, without its detours.

    The sqlite3 module has usually parsed the text already (Django registers its converter).
    """
    if type(value) is dt.datetime:
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
    if type(value) is str:
        try:
            return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    return connection.ops.convert_datetimefield_value(value, expression, connection)


def _is_marker(value: Any, names: dict[Any, str]) -> bool:
    try:
        return value in names
    except TypeError:  # an unhashable constant (a list for an IN lookup) is never a marker
        return False


def remember(instance: Model) -> None:
    """Record the instance's column values as they are in the database now."""
    values = instance.__dict__
    loaded = dict(values)  # the columns, among a few other attributes that are never compared
    loaded.pop(LOADED, None)
    for name in _columns(type(instance))[1]:  # only JSON values change in place: keep a copy of those
        loaded[name] = _copied(loaded.get(name))
    values[LOADED] = loaded


@functools.cache
def _columns(model: type[Model]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the model's column attributes, and those that may hold a dict or a list (JSON)."""
    fields = model._meta.concrete_fields
    structured = tuple(f.attname for f in fields if f.get_internal_type() in ("JSONField", "ArrayField"))
    return tuple(f.attname for f in fields), structured


def _copied(value: Any) -> Any:
    """A copy of a JSON value deep enough that changing the original in place shows as a change."""
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind is list:
        return [_copied(item) for item in value]
    if isinstance(value, (dict, list)):  # subclasses: the general way
        return copy.deepcopy(value)
    return value


def column(field: Any) -> str:
    """Return the column of a concrete field (the stubs allow None, which only non-concrete fields have)."""
    name = field.column
    if not isinstance(name, str):
        raise ValueError(f"{field} has no column")
    return name


# Fields whose database value is the Python value itself when it has exactly this type: no conversion
# to run, no pre_save behaviour. Every other field (dates, JSON, decimals, auto_now) takes the full path.
_PLAIN_FIELDS: dict[type[Field], type] = {
    models.CharField: str,
    models.TextField: str,
    models.SlugField: str,
    models.EmailField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.BigAutoField: int,
    models.AutoField: int,
    models.BooleanField: bool,
}


def _plain_type(field: Field) -> type | None:
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        return int if type(target) in (models.AutoField, models.BigAutoField) else None
    if type(field) is models.DateTimeField and not (field.auto_now or field.auto_now_add):
        return dt.datetime
    return _PLAIN_FIELDS.get(type(field))


def _db_values(fields: Sequence[Field], instance: Model, connection: Any, *, add: bool) -> list[Any]:
    values = instance.__dict__
    utc_text = _stores_utc_text(connection)
    plans = _PLAIN_BY_FIELD
    found: list[Any] = []
    append = found.append
    for field in fields:
        plan = plans.get(id(field))
        if plan is None:
            plan = plans.setdefault(id(field), (field.attname, _plain_type(field)))
        attname, plain = plan
        if plain is not None:
            value = values.get(attname)
            if plain is dt.datetime:
                # An aware moment: PostgreSQL takes it as it is; SQLite stores UTC text, as Django writes it.
                if type(value) is dt.datetime and value.utcoffset() is not None:
                    append(str(value.astimezone(dt.UTC).replace(tzinfo=None)) if utc_text else value)
                    continue
                if value is None:
                    append(None)
                    continue
            # Text fields keep str subclasses (TextChoices members) as they are, as Django's own path does.
            elif value is None or type(value) is plain or (plain is str and isinstance(value, str)):
                append(value)
                continue
        append(field.get_db_prep_save(field.pre_save(instance, add), connection))
    return found


def _stores_utc_text(connection: Any) -> bool:
    """SQLite with time zones on: Django stores moments as UTC text (adapt_datetimefield_value)."""
    if connection.vendor == "postgresql":
        return False
    if connection.vendor != "sqlite" or connection.timezone_name != "UTC":
        raise DatabaseError("MotCua runs on SQLite or PostgreSQL, with moments stored in UTC")
    return True


# Field objects live as long as their models (the whole process): their ids are stable keys.
_PLAIN_BY_FIELD: dict[int, tuple[str, type | None]] = {}


def build(model: type[M], **values: Any) -> M:
    """A new, unsaved instance, as `model(**values)` makes it, without Model.__init__'s per-field work.

    Values are given by field name (`dossier=…`) or column attribute (`dossier_id=…`); the rest take
    their defaults. Models with init-signal listeners go through Model.__init__.
    """
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model(**values)
    defaults, relations, attnames = _build_spec(model)
    instance = model.__new__(model)
    state = instance._state = ModelState()
    attributes = instance.__dict__
    for attname, default in defaults:
        if attname not in values:
            attributes[attname] = default()
    for key, value in values.items():
        related = relations.get(key)
        if related is not None:
            attname, target = related
            if value is not None and not isinstance(value, target):
                wrong = type(value).__name__
                raise ValueError(f"{model.__name__}.{key} must be a {target.__name__}, not {wrong}")
            attributes[attname] = None if value is None else value.pk
            state.fields_cache[key] = value
        elif key in attnames:
            attributes[key] = value
        else:
            raise TypeError(f"{model.__name__} has no field {key!r}")
    return instance


_Spec = tuple[tuple[tuple[str, Callable[[], Any]], ...], dict[str, tuple[str, type[Model]]], frozenset[str]]


@functools.cache
def _build_spec(model: type[Model]) -> _Spec:
    fields = model._meta.concrete_fields
    defaults = tuple((f.attname, f.get_default) for f in fields)
    relations = {f.name: (f.attname, f.related_model) for f in fields if f.is_relation}
    return defaults, relations, frozenset(f.attname for f in fields)  # type: ignore[return-value]


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


def insert_new(instances: Sequence[Model]) -> int:
    """INSERT rows, skipping any that would break a unique constraint; return how many went in.

    For rows nobody reads back by id (the outbox): a repeat of an idempotency key is simply not written.
    """
    return insert_new_then_read(instances)[0]


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
    with connection.cursor() as cursor:
        _send(cursor, [(f"{sql} ON CONFLICT DO NOTHING", args)] + [query.statement(**v) for query, v in then])
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
    with connection.cursor() as cursor:
        _send(cursor, statements)
        for index, group in enumerate(groups):
            if index:
                cursor.nextset()
            _inserted(group, [r[0] for r in cursor.fetchall()])
        return _results(cursor, then, first=not groups)


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


class Query(Protocol):
    """What `read_together` runs: a Prepared, or anything that gives its SQL and reads its rows."""

    def statement(self, **values: Any) -> tuple[str, list[Any]]: ...

    def instances(self, fetched: Iterable[Sequence[Any]]) -> list[Any]: ...


def _run(query: Query, values: dict[str, Any]) -> list[Any]:
    sql, args = query.statement(**values)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, args)
        return query.instances(cursor.fetchall())


def read_together(*queries: tuple[Query, dict[str, Any]]) -> list[list[Any]]:
    """Run several queries; on PostgreSQL in one round trip. Return each one's instances."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not _batches(connection):
        return [_run(query, values) for query, values in queries]
    with connection.cursor() as cursor:
        _send(cursor, [query.statement(**values) for query, values in queries])
        return _results(cursor, queries, first=True)


def _send(cursor: Any, statements: Sequence[tuple[str, list[Any]]]) -> None:
    """Send several statements in one execute (PostgreSQL with client-side binding)."""
    cursor.execute("; ".join(sql for sql, _ in statements), [a for _, args in statements for a in args])


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
    statement costs a round trip, so they go as one batch (psycopg's client-side binding allows it).
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
    with connection.cursor() as cursor:
        _send(cursor, statements)
        for instance, _update in updates:
            _check_updated(instance, cursor.rowcount)
            cursor.nextset()
        ids = [r[0] for r in cursor.fetchall()]
        found = _results(cursor, then, first=False)
    for instance, (_sql, _args, fields) in updates:
        _saved(instance, fields)
    _inserted([new], ids)
    return found


def batches() -> bool:
    """Whether several statements go in one round trip here (see `_batches`)."""
    return _batches(connections[DEFAULT_DB_ALIAS])


def _batches(connection: Any) -> bool:
    """Whether several statements may go in one execute: PostgreSQL with client-side binding."""
    if connection.vendor != "postgresql":
        return False
    return connection.settings_dict.get("OPTIONS", {}).get("server_side_binding") is not True


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


_by_pk: dict[type[Model], Prepared[Any]] = {}


def by_pk(model: type[M], pk: Any) -> M | None:
    """Return the row with this primary key (or None), through a query compiled once per model."""
    prepared = _by_pk.get(model)
    if prepared is None:
        prepared = _by_pk.setdefault(
            model, Prepared(lambda pk: model._default_manager.filter(pk=pk).order_by(), track=False, pk=int)
        )
    return prepared.first(pk=pk)


def load_related(
    instance: Model, *names: str, find: Callable[[type[Model], Any], Model | None] | None = None
) -> None:
    """Fill the named foreign keys' cached objects that are not loaded yet, one primary-key read each.

    `find(model, pk)` replaces the read (a cache, for instance).
    """
    for name in names:
        field = instance._meta.get_field(name)
        if field.is_cached(instance):  # type: ignore[union-attr]
            continue
        value = getattr(instance, field.attname)  # type: ignore[union-attr]
        target = (find or by_pk)(field.related_model, value) if value is not None else None  # type: ignore[arg-type]
        field.set_cached_value(instance, target)  # type: ignore[union-attr]


def each_related(instances: Iterable[Model], *names: str) -> None:
    for instance in instances:
        load_related(instance, *names)
