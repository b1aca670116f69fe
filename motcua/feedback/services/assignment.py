"""Who in the agency holds a feedback: a leader assigns or (with a reason) reassigns; a specialist takes it
and, with a reason, hands it back.

Like the other operations: lock, check the actor handles it ("not yours" is "not found"), refuse a stale
`expected_version`, write the holder and the audit event, and tell the new holder through the outbox, in
one transaction. Only open feedback is handed out; a forward to another agency clears the holder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers.transitions import actor_name
from motcua.feedback import access
from motcua.feedback.models import Feedback, FeedbackAction, FeedbackEvent
from motcua.feedback.services.events import record, who
from motcua.feedback.services.handling import MAX_TEXT, lock_for_staff, required_text
from motcua.notify.context import moment
from motcua.notify.kinds import MessageKind
from motcua.notify.recipients import staff_recipients
from motcua.notify.services.feedback import feedback_drafts
from motcua.org.access import scope_for


def _hold(feedback: Feedback, holder: User | None, now: dt.datetime) -> None:
    """Give the feedback to `holder`, or to nobody (None)."""
    feedback.assignee, feedback.assigned_at = holder, (now if holder is not None else None)
    feedback.version += 1
    feedback.save(update_fields=["assignee", "assigned_at", "version"])


def _tell(feedback: Feedback, event: FeedbackEvent, holder: User) -> None:
    """Write to the new holder with the agency's "feedback to answer" message: by whom, and why."""

    def values(language: str) -> dict[str, Any]:
        return {"at": moment(event.at), "by": event.actor_name, "reason": event.reason, "answer": ""}

    feedback_drafts(
        feedback,
        MessageKind.FEEDBACK_ASSIGNED,
        f"feedback-event:{event.pk}",
        staff_recipients([holder]),
        values,
    )


@transaction.atomic
def assign_feedback(
    *,
    code: str,
    actor: User,
    assignee: User,
    reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """A leader gives the feedback to a specialist of its agency; taking it from its holder needs a reason."""
    now = now or timezone.now()
    feedback = lock_for_staff(code, actor, expected_version)
    if not access.may_assign(scope_for(actor), feedback):
        raise TransitionNotAllowed(
            _("Only a leader of the agency may assign its feedback."), code="leader_required"
        )
    if not access.assignable_staff(feedback).filter(pk=assignee.pk).exists():
        message = _("Choose a specialist of %(agency)s.") % {"agency": feedback.agency.name}
        raise ValidationFailed(message, code="assignee_not_in_agency", fields={"assignee": message})
    previous = feedback.assignee
    if previous is not None and previous.pk == assignee.pk:
        message = _("%(name)s already holds this feedback.") % {"name": actor_name(assignee)}
        raise ValidationFailed(message, code="already_assigned", fields={"assignee": message})
    if previous is not None:
        why = required_text(reason, "reason", _("Say why it goes to another specialist."))
    else:
        why = reason.strip()[:MAX_TEXT]
    _hold(feedback, assignee, now)
    data = {"assignee": who(assignee)} | ({"previous": who(previous)} if previous is not None else {})
    action = FeedbackAction.REASSIGN if previous is not None else FeedbackAction.ASSIGN
    event = record(feedback, action, actor=actor, at=now, reason=why, data=data)
    _tell(feedback, event, assignee)
    return feedback


@transaction.atomic
def take_feedback(
    *, code: str, actor: User, expected_version: int | None = None, now: dt.datetime | None = None
) -> Feedback:
    """A specialist of the agency takes a feedback nobody holds yet (a held one is reassigned by a leader)."""
    now = now or timezone.now()
    feedback = lock_for_staff(code, actor, expected_version)
    if not access.may_take(scope_for(actor), feedback):
        raise TransitionNotAllowed(
            _("Only a specialist of the agency may take its feedback."), code="specialist_required"
        )
    if feedback.assignee_id == actor.pk:
        raise TransitionNotAllowed(_("You already hold this feedback."), code="already_yours")
    if feedback.assignee is not None:
        raise TransitionNotAllowed(
            _("%(name)s holds this feedback; a leader may assign it to you.")
            % {"name": actor_name(feedback.assignee)},
            code="feedback_held",
        )
    _hold(feedback, actor, now)
    record(feedback, FeedbackAction.TAKE, actor=actor, at=now, data={"assignee": who(actor)})
    return feedback


@transaction.atomic
def release_feedback(
    *,
    code: str,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """The holder hands the feedback back (or a leader takes it off her), saying why: nobody holds it then.

    It shows again among the agency's feedback nobody holds, for a leader to assign or a specialist to take.
    """
    now = now or timezone.now()
    feedback = lock_for_staff(code, actor, expected_version)
    holder = feedback.assignee
    if holder is None:
        raise TransitionNotAllowed(_("Nobody holds this feedback."), code="not_held")
    if holder.pk != actor.pk and not access.may_assign(scope_for(actor), feedback):
        raise TransitionNotAllowed(
            _("Only the specialist holding the feedback, or a leader of the agency, may hand it back."),
            code="holder_required",
        )
    why = required_text(reason, "reason", _("Say why the feedback is handed back."))
    _hold(feedback, None, now)
    record(feedback, FeedbackAction.RELEASE, actor=actor, at=now, reason=why, data={"previous": who(holder)})
    return feedback
