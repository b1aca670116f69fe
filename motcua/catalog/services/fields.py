"""Fields of administration (lĩnh vực)."""

from __future__ import annotations

from django.db import transaction

from motcua.catalog.models import Field


@transaction.atomic
def save_field(*, code: str, name: str) -> tuple[Field, str]:
    """Create or rename a field; return it with "created", "updated" or "unchanged"."""
    field = Field.objects.select_for_update().filter(code=code).first()
    if field is None:
        return Field.objects.create(code=code, name=name), "created"
    if field.name == name:
        return field, "unchanged"
    field.name = name
    field.save(update_fields=["name"])
    return field, "updated"
