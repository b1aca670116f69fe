from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "motcua.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # An upgrade that gives the province administrators another app takes effect at `migrate`,
        # without a new import. post_migrate is sent once per app, after auth has made that app's
        # permissions: run each time (two small queries), so the last app's run sees them all.
        post_migrate.connect(_refresh_province_admins, dispatch_uid="motcua.org.province_admins")


def _refresh_province_admins(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from motcua.org.services import refresh_province_admin_group

    refresh_province_admin_group(using=using)
