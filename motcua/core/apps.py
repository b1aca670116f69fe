from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        post_migrate.connect(_ensure_reference_triggers, sender=self)


def _ensure_reference_triggers(*, using: str, **kwargs: Any) -> None:
    # SQLite rebuilds a table for most schema changes, which drops its triggers: after every migrate,
    # put back any that a later migration lost (core/refcache.py explains what they are for).
    from motcua.core.refcache import ensure_triggers

    ensure_triggers(using)
