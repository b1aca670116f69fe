"""One warning of the deadline watch: its row and its messages, given exactly once (see services.watch)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import IntegrityError, transaction

from motcua.dossiers.models import Dossier, DossierStep
from motcua.feedback.models import Feedback
from motcua.notify.models import DeadlineWarning


def give_warning(
    *,
    key: str,
    kind: str,
    dossier: Dossier | None,
    step: DossierStep | None,
    threshold: str,
    due_at: dt.datetime,
    now: dt.datetime,
    messages: Callable[[], int] | None,
    feedback: Feedback | None = None,
) -> bool:
    """Record one warning and queue its messages atomically; False if it was already given."""
    try:
        with transaction.atomic():
            warning = DeadlineWarning.objects.create(
                key=key[:200],
                kind=kind,
                dossier=dossier,
                step=step,
                feedback=feedback,
                threshold=threshold,
                due_at=due_at,
                created_at=now,
            )
            if messages is not None:
                warning.messages = messages()
                warning.save(update_fields=["messages"])
    except IntegrityError:
        return False
    return True
