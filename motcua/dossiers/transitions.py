"""Apply one lifecycle action to a locked dossier and append its event, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from motcua.core.errors import Conflict
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.lifecycle import next_status
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.org.models import Agency


def lock_dossier(code: str, *, expected_version: int | None = None, actor: User | None = None) -> Dossier:
    """Load a dossier for change, locking its row.

    With `actor`, a dossier the actor may not see is "not found" before any version check, so a stale
    version never reveals that a code exists; then a change since `expected_version` is a conflict.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_dossier must run inside a transaction")
    dossier = Dossier.objects.select_for_update().filter(code=code).first()
    if dossier is None or (actor is not None and not access.can_see(actor, dossier)):
        raise access.not_found(code)
    if expected_version is not None and dossier.version != expected_version:
        raise Conflict(
            "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang và thao tác lại.",
            code="dossier_changed",
            fields={"expected_version": expected_version, "version": dossier.version},
        )
    return dossier


def actor_name(actor: User | None) -> str:
    if actor is None:
        return "Hệ thống"
    return actor.full_name or actor.get_username()


def apply_action(
    dossier: Dossier,
    action: str,
    *,
    actor: User | None,
    at: dt.datetime,
    step: DossierStep | None = None,
    agency: Agency | None = None,
    comment: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
    changes: dict[str, Any] | None = None,
) -> DossierEvent:
    """Move the dossier by `action` (refused unless the transitions table allows it) and record the event."""
    from_status = dossier.status or ""
    to_status = next_status(dossier.status or None, action)
    dossier.status = to_status
    for key, value in (changes or {}).items():
        setattr(dossier, key, value)
    if dossier.pk is None:
        dossier.save()
    else:
        dossier.version += 1
        dossier.save()
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        action=action,
        actor=actor,
        actor_name=actor_name(actor),
        agency=agency,
        from_status=from_status,
        to_status=to_status,
        step=step,
        comment=comment,
        data=data or {},
        public=public,
    )
    from motcua.notify.events import enqueue_for_event

    # The messages this action causes are written in the same transaction as the event (the outbox).
    enqueue_for_event(event)
    return event
