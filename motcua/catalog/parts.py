"""A procedure version's parts (documents, fees, per-channel limits, steps, levels), read once per version."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, transaction

from motcua.catalog.choices import Status
from motcua.catalog.models import ChannelTimeLimit, FeeRule, ProcedureVersion, ProcessStep, RequiredDocument
from motcua.core import rows

M = TypeVar("M", RequiredDocument, FeeRule, ChannelTimeLimit, ProcessStep)


@dataclass(frozen=True)
class VersionParts:
    """What a version lists, read once: documents, fees, per-channel limits, process steps, levels."""

    documents: list[RequiredDocument]
    fees: list[FeeRule]
    time_limits: list[ChannelTimeLimit]
    steps: list[ProcessStep]
    level_ids: frozenset[int]

    def time_limit_for(self, version: ProcedureVersion, channel: str) -> tuple[Decimal, str]:
        """Return the (amount, unit) time limit for a channel, as ProcedureVersion.time_limit_for."""
        for override in self.time_limits:
            if override.channel == channel:
                return override.amount, override.unit
        return version.time_limit_amount, version.time_limit_unit


_ROW_MODELS: tuple[type[RequiredDocument | FeeRule | ChannelTimeLimit | ProcessStep], ...] = (
    RequiredDocument,
    FeeRule,
    ChannelTimeLimit,
    ProcessStep,
)
_children = {
    model: rows.Prepared(
        lambda version, model=model: model._default_manager.filter(version_id=version).order_by(
            *model._meta.ordering[1:] or ["pk"]
        ),
        track=False,
        version=int,
    )
    for model in _ROW_MODELS
}
_levels = rows.Prepared(
    lambda version: ProcedureVersion.levels.through.objects.filter(procedureversion_id=version).order_by(),
    track=False,
    version=int,
)

# Column values of the parts of published versions, per process. Published content never changes in
# place (update_draft and the admin refuse anything but drafts), so an entry stays true; the key also
# holds the content hash and publication time, so a deleted and recreated row is never mistaken for it.
_Key = tuple[int, str, dt.datetime | None]
_RowValues = dict[type, tuple[tuple[object, ...], ...]]
_parts_cache: dict[_Key, tuple[_RowValues, frozenset[int]]] = {}
_parts_lock = threading.Lock()
_PARTS_KEY = "_version_parts"  # instance attribute: the parts as read for this instance


def clear_version_parts_cache() -> None:
    """Forget every cached version's parts (tests)."""
    with _parts_lock:
        _parts_cache.clear()


def version_parts(version: ProcedureVersion) -> VersionParts:
    """Return the version's parts; a published version's come from memory after the first read.

    Fresh model instances every call, so nothing cached is ever shared or changed by a caller.
    """
    memo = version.__dict__.get(_PARTS_KEY)
    if memo is not None:
        return memo
    key: _Key = (version.pk, version.content_hash, version.published_at)
    with _parts_lock:
        hit = _parts_cache.get(key) if version.status == Status.PUBLISHED else None
    values, level_ids = hit or _read_parts(version, key)
    parts = VersionParts(
        documents=_instances(RequiredDocument, values),
        fees=_instances(FeeRule, values),
        time_limits=_instances(ChannelTimeLimit, values),
        steps=_instances(ProcessStep, values),
        level_ids=level_ids,
    )
    version.__dict__[_PARTS_KEY] = parts
    return parts


def _read_parts(version: ProcedureVersion, key: _Key) -> tuple[_RowValues, frozenset[int]]:
    values: _RowValues = {
        model: tuple(
            tuple(row.__dict__[f.attname] for f in model._meta.concrete_fields)
            for row in _children[model].rows(version=version.pk)
        )
        for model in _ROW_MODELS
    }
    level_ids = frozenset(link.unitlevel_id for link in _levels.rows(version=version.pk))
    if version.status == Status.PUBLISHED:
        # Only once the rows are committed: a version read inside a transaction that rolls back may
        # leave its id, hash and publication time to a different version created later.
        transaction.on_commit(lambda: _remember_parts(key, values, level_ids))
    return values, level_ids


def _remember_parts(key: _Key, values: _RowValues, level_ids: frozenset[int]) -> None:
    with _parts_lock:
        if len(_parts_cache) >= 4096:
            _parts_cache.clear()
        _parts_cache[key] = (values, level_ids)


def _instances(model: type[M], values: _RowValues) -> list[M]:
    names = [f.attname for f in model._meta.concrete_fields]
    return [model.from_db(DEFAULT_DB_ALIAS, names, list(row)) for row in values[model]]
