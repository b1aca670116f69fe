"""Column values between model instances and SQL: each field's own conversions, without the ORM's work."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, models
from django.db.models import Field, Model, signals
from django.db.models.base import ModelState

M = TypeVar("M", bound=Model)


LOADED = "_rows_loaded"  # instance attribute: the column values as last read or written


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
