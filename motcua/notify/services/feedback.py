"""Messages about citizens' feedback: the sender's acknowledgement and answer, the agency's new work.

Queued in the transaction of the change that causes them (feedback.services.events.record), through
the same outbox, templates and channels as dossier messages. Read FEEDBACK_EVENTS to know who is told.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from motcua.core.links import public_url
from motcua.feedback.models import Feedback, FeedbackAction, FeedbackEvent
from motcua.notify.compose import TemplateCache
from motcua.notify.context import moment
from motcua.notify.kinds import TOPIC_TEXT
from motcua.notify.kinds import MessageKind as K
from motcua.notify.recipients import (
    Recipient,
    agency_inbox,
    agency_leaders,
    sender_recipients,
    staff_recipients,
    unit_leaders,
)
from motcua.notify.services.outbox import drafts_for, queue
from motcua.org.models import Agency

# action → (kind to the sender, kind to the agency now responsible)
FEEDBACK_EVENTS: dict[str, tuple[str | None, str | None]] = {
    FeedbackAction.SUBMIT: (K.FEEDBACK_RECEIVED, K.FEEDBACK_ASSIGNED),
    FeedbackAction.FORWARD: (None, K.FEEDBACK_ASSIGNED),
    FeedbackAction.ANSWER: (K.FEEDBACK_ANSWERED, None),
    FeedbackAction.DECLINE: (K.FEEDBACK_DECLINED, None),
}
# A republished answer whose text was corrected (feedback.services.handling.publish_feedback) also goes
# to the sender, with the corrected text; a first publication does not: she was sent the answer itself.
CORRECTED = (K.FEEDBACK_CORRECTED, None)


def _kinds(event: FeedbackEvent) -> tuple[str | None, str | None]:
    if event.action == FeedbackAction.PUBLISH and event.data.get("sender_told"):
        return CORRECTED
    return FEEDBACK_EVENTS.get(event.action, (None, None))


def follow_url(feedback: Feedback) -> str:
    """The address where the sender follows her feedback, with its secret (as a receipt's QR code)."""
    return public_url(f"{reverse('feedback:follow_code', args=[feedback.code])}?secret={feedback.secret}")


def feedback_context(feedback: Feedback, language: str) -> dict[str, Any]:
    """The variables every message about a feedback may use (notify.kinds.FEEDBACK_COMMON)."""
    topics = TOPIC_TEXT.get(language, TOPIC_TEXT["vi"])
    return {
        "feedback_code": feedback.code,
        "feedback_subject": feedback.subject,
        "topic": topics.get(feedback.topic, feedback.topic),
        "sender_name": feedback.sender_name,
        "agency": feedback.agency.name,
        "received_at": moment(feedback.received_at),
        "feedback_due_at": moment(feedback.due_at),
        "feedback_url": follow_url(feedback),
        "at": "",
    }


def agency_people(agency: Agency) -> list[Recipient]:
    """Who is told of work for an agency: its unit and agency leaders, and its own inbox."""
    leaders = {u.pk: u for u in [*unit_leaders(agency), *agency_leaders(agency)]}
    return staff_recipients(leaders.values()) + agency_inbox(agency)


def feedback_drafts(
    feedback: Feedback,
    kind: str,
    source: str,
    recipients: list[Recipient],
    extra: Callable[[str], dict[str, Any]] | None = None,
) -> int:
    """Render `kind` about `feedback` for each recipient and queue it; return how many were queued."""

    def variables(language: str) -> dict[str, Any]:
        return {**feedback_context(feedback, language), **(extra(language) if extra else {})}

    return queue(
        drafts_for(
            kind=kind,
            source=source,
            recipients=recipients,
            variables=variables,
            dossier_id=feedback.dossier_id,
            templates=TemplateCache(),
        )
    )


def announce_feedback(event: FeedbackEvent) -> int:
    """Queue the messages a feedback event causes; return how many."""
    to_sender, to_agency = _kinds(event)
    feedback = event.feedback
    source = f"feedback-event:{event.pk}"
    queued = 0

    def values(language: str) -> dict[str, Any]:
        return {
            "at": moment(event.at),
            "answer": feedback.public_answer if to_sender == K.FEEDBACK_CORRECTED else feedback.answer,
            "reason": event.reason,
            "by": event.actor_name if event.action == FeedbackAction.FORWARD else "",
        }

    if to_sender is not None:
        people = sender_recipients(
            user_id=feedback.sender_user_id,
            phone=feedback.sender_phone,
            email=feedback.sender_email,
            name=feedback.sender_name,
        )
        queued += feedback_drafts(feedback, to_sender, source, people, values)
    if to_agency is not None:
        queued += feedback_drafts(feedback, to_agency, source, agency_people(feedback.agency), values)
    return queued
