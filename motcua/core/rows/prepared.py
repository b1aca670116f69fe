"""Querysets compiled once per database and re-run with new parameter values, rows as model instances."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet, signals
from django.db.models.base import ModelState

from motcua.core.rows.pipeline import _run
from motcua.core.rows.values import _columns, _faster, _is_marker, remember

M = TypeVar("M", bound=Model)


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
