"""Every write to the catalog goes through these functions (admin, import, API and commands alike)."""

from __future__ import annotations

from motcua.catalog.services.fields import save_field
from motcua.catalog.services.versions import (
    abolish_procedure,
    amend_procedure,
    create_procedure,
    publish_version,
    refresh_version,
    replace_procedure,
    unpublish_version,
    update_draft,
)

__all__ = [
    "abolish_procedure",
    "amend_procedure",
    "create_procedure",
    "publish_version",
    "refresh_version",
    "replace_procedure",
    "save_field",
    "unpublish_version",
    "update_draft",
]
