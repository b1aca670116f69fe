"""The audit row of every change to a feedback, written with the change, and the messages it causes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.core.models import User
from motcua.dossiers.transitions import actor_name
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.notify.services.feedback import announce_feedback
from motcua.org.models import Agency


def who(user: User) -> dict[str, str]:
    """A person as the audit event keeps her: user name and the name shown."""
    return {"username": user.get_username(), "name": actor_name(user)}


def record(
    feedback: Feedback,
    action: str,
    *,
    actor: User | None,
    at: dt.datetime,
    name: str | None = None,
    from_agency: Agency | None = None,
    to_agency: Agency | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> FeedbackEvent:
    """Append the event (who, when, what, why) and queue its messages, in the caller's transaction."""
    event = FeedbackEvent.objects.create(
        feedback=feedback,
        at=at,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=(name or actor_name(actor))[:255],
        from_agency=from_agency,
        to_agency=to_agency,
        reason=reason,
        data=data or {},
    )
    announce_feedback(event)
    return event
