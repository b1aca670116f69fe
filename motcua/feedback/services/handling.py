"""What the agency does with a feedback: forward, answer, decline, publish, withdraw; the sender's reaction.

Each operation locks the feedback, checks the actor may handle it ("not yours" is "not found"), refuses a
stale `expected_version`, writes the change and its audit event, and queues its messages, in one transaction.
A feedback someone holds is answered, declined or forwarded by her alone: the work is hers, and two people
answering one sender differently is what holding prevents. A leader who must act for her says why, and the
event keeps it (`on_behalf_of`, `on_behalf_reason`); another specialist is refused (`holder_required`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed
from motcua.core.models import User
from motcua.dossiers.transitions import actor_name
from motcua.feedback import access
from motcua.feedback.models import (
    DeclineReason,
    Feedback,
    FeedbackAction,
    FeedbackPublication,
    FeedbackStatus,
    Reaction,
)
from motcua.feedback.redaction import redact
from motcua.feedback.selectors import find_for_sender
from motcua.feedback.services.events import record, who
from motcua.org.access import scope_for
from motcua.org.models import Agency

MAX_TEXT = 10000


def lock_for_staff(
    code: str, actor: User, expected_version: int | None, *, still_open: bool = True
) -> Feedback:
    """Lock a feedback the actor handles; refuse a stale version and (by default) a closed feedback."""
    feedback = access.feedback_for_staff(scope_for(actor), code, for_update=True)
    if expected_version is not None and feedback.version != expected_version:
        raise Conflict(
            _("Someone else has just updated this feedback. Please reload the page and try again."),
            code="feedback_changed",
            fields={"expected_version": expected_version, "version": feedback.version},
        )
    if still_open and feedback.status != FeedbackStatus.OPEN:
        raise TransitionNotAllowed(
            _("This feedback has already been answered or declined."), code="feedback_closed"
        )
    return feedback


def required_text(value: str, name: str, message: str) -> str:
    text = value.strip()
    if not text or len(text) > MAX_TEXT:
        raise ValidationFailed(message, code="required", fields={name: message})
    return text


def as_holder(feedback: Feedback, actor: User, on_behalf_reason: str) -> dict[str, Any]:
    """Let the holder (or anyone, when nobody holds it) act; a leader only for her, saying why.

    Returns what the audit event keeps of a leader acting on the holder's behalf; nothing otherwise.
    """
    holder = feedback.assignee
    if holder is None or access.holds_or_free(actor, feedback):
        return {}
    if not access.may_assign(scope_for(actor), feedback):
        raise TransitionNotAllowed(
            _(
                "%(name)s holds this feedback: only the specialist holding it may answer, decline or "
                "forward it, or a leader of the agency on her behalf."
            )
            % {"name": actor_name(holder)},
            code="holder_required",
        )
    why = required_text(
        on_behalf_reason,
        "on_behalf_reason",
        _("%(name)s holds this feedback: say why you act on her behalf.") % {"name": actor_name(holder)},
    )
    return {"on_behalf_of": who(holder), "on_behalf_reason": why}


def _close(feedback: Feedback, status: str, now: dt.datetime) -> None:
    feedback.status = status
    feedback.closed_at = now
    feedback.on_time = now <= feedback.due_at
    feedback.version += 1


@transaction.atomic
def forward_feedback(
    *,
    code: str,
    actor: User,
    agency: Agency,
    reason: str,
    on_behalf_reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """Send the feedback on to the agency that should answer it; the due moment stays the sender's."""
    now = now or timezone.now()
    feedback = lock_for_staff(code, actor, expected_version)
    behalf = as_holder(feedback, actor, on_behalf_reason)
    why = required_text(reason, "reason", _("Say why it goes to that agency."))
    if agency.pk == feedback.agency_id or not agency.is_active:
        message = _("Choose another agency, still active.")
        raise ValidationFailed(message, code="invalid_agency", fields={"agency": message})
    previous = feedback.agency
    # The specialist who held it works for the old agency: the new one's leaders hand it out again.
    held = feedback.assignee.get_username() if feedback.assignee is not None else ""
    feedback.agency = agency
    feedback.assignee, feedback.assigned_at = None, None
    feedback.version += 1
    feedback.save(update_fields=["agency", "assignee", "assigned_at", "version"])
    record(
        feedback,
        FeedbackAction.FORWARD,
        actor=actor,
        at=now,
        from_agency=previous,
        to_agency=agency,
        reason=why,
        data=({"released": held} if held else {}) | behalf,
    )
    return feedback


@transaction.atomic
def answer_feedback(
    *,
    code: str,
    actor: User,
    answer: str,
    on_behalf_reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """Answer the sender; on time when answered by the due moment (Decision 766's first indicator)."""
    now = now or timezone.now()
    feedback = lock_for_staff(code, actor, expected_version)
    behalf = as_holder(feedback, actor, on_behalf_reason)
    feedback.answer = required_text(answer, "answer", _("Write the answer."))
    feedback.answered_by = actor
    _close(feedback, FeedbackStatus.ANSWERED, now)
    feedback.save(update_fields=["answer", "answered_by", "status", "closed_at", "on_time", "version"])
    data = {"on_time": feedback.on_time} | behalf
    record(feedback, FeedbackAction.ANSWER, actor=actor, at=now, data=data)
    return feedback


@transaction.atomic
def decline_feedback(
    *,
    code: str,
    actor: User,
    kind: str,
    reason: str,
    on_behalf_reason: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """Decline (out of our remit, a duplicate, abusive) with the reason the sender is told."""
    now = now or timezone.now()
    feedback = lock_for_staff(code, actor, expected_version)
    behalf = as_holder(feedback, actor, on_behalf_reason)
    if kind not in DeclineReason.values:
        message = _("Choose why it is declined.")
        raise ValidationFailed(message, code="invalid_decline_reason", fields={"kind": message})
    why = required_text(reason, "reason", _("Explain to the sender why it is declined."))
    feedback.decline_reason = kind
    _close(feedback, FeedbackStatus.DECLINED, now)
    feedback.save(update_fields=["decline_reason", "status", "closed_at", "on_time", "version"])
    record(feedback, FeedbackAction.DECLINE, actor=actor, at=now, reason=why, data={"kind": kind} | behalf)
    return feedback


def personal_data(feedback: Feedback) -> tuple[list[str], list[str]]:
    """The names and secrets to hide when publishing: the sender's, the applicant's, the codes' secrets."""
    names = [feedback.sender_name]
    secrets = [feedback.secret]
    if feedback.dossier is not None:
        names.append(str((feedback.dossier.applicant_snapshot or {}).get("name", "")))
        secrets.append(feedback.dossier.lookup_secret)
    return names, secrets


def publish_draft(feedback: Feedback) -> tuple[str, str]:
    """The leader's draft: the last text published (to correct it), else the texts without personal data."""
    last = feedback.publications.order_by("-revision").first()
    if last is not None:
        return last.question, last.answer
    names, secrets = personal_data(feedback)
    question = redact(f"{feedback.subject}\n\n{feedback.content}", names=names, secrets=secrets)
    return question, redact(feedback.answer, names=names, secrets=secrets)


@transaction.atomic
def publish_feedback(
    *,
    code: str,
    actor: User,
    question: str,
    answer: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """A leader publishes the question and its answer, as she edited them, with personal data removed.

    A published text is corrected by withdrawing it and publishing again: every version is kept. When the
    answer's text changed, the sender is sent the corrected answer (the event says `sender_told`).
    """
    now = now or timezone.now()
    feedback = _for_leader(code, actor, expected_version)
    if feedback.status != FeedbackStatus.ANSWERED:
        raise TransitionNotAllowed(
            _("Only an answered feedback can be published."), code="feedback_not_answered"
        )
    if feedback.published_at is not None:
        raise TransitionNotAllowed(
            _("The answer is already published. Withdraw it first to correct it."), code="already_published"
        )
    names, secrets = personal_data(feedback)
    feedback.public_question = redact(
        required_text(question, "question", _("Write the question.")), names=names, secrets=secrets
    )
    feedback.public_answer = redact(
        required_text(answer, "answer", _("Write the answer.")), names=names, secrets=secrets
    )
    feedback.published_at = now
    feedback.version += 1
    feedback.save(update_fields=["public_question", "public_answer", "published_at", "version"])
    previous = feedback.publications.order_by("-revision").first()
    revision = previous.revision + 1 if previous is not None else 1  # the row lock serialises publishing
    FeedbackPublication.objects.create(
        feedback=feedback,
        revision=revision,
        question=feedback.public_question,
        answer=feedback.public_answer,
        published_at=now,
        published_by=actor,
    )
    record(
        feedback,
        FeedbackAction.PUBLISH,
        actor=actor,
        at=now,
        data=_publication_data(revision, previous, feedback.public_answer),
    )
    return feedback


def _publication_data(revision: int, previous: FeedbackPublication | None, answer: str) -> dict[str, Any]:
    """The publish event's data: which version it corrects, and whether the sender is sent the new answer.

    Only a changed answer is news to the sender: a corrected question, or line breaks, are not.
    """
    data: dict[str, Any] = {"revision": revision}
    if previous is not None:
        data["corrects"] = previous.revision
        if " ".join(answer.split()) != " ".join(previous.answer.split()):
            data["sender_told"] = True
    return data


@transaction.atomic
def withdraw_publication(
    *,
    code: str,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """A leader takes a published answer off the public pages, saying why; the text stays for staff."""
    now = now or timezone.now()
    feedback = _for_leader(code, actor, expected_version)
    if feedback.published_at is None:
        raise TransitionNotAllowed(_("The answer is not published."), code="feedback_not_published")
    why = required_text(reason, "reason", _("Say why the publication is withdrawn."))
    live = feedback.publications.filter(withdrawn_at__isnull=True).first()
    if live is not None:
        live.withdrawn_at, live.withdrawn_by, live.withdraw_reason = now, actor, why
        live.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    # Cleared, not only hidden: no public list or page can show a withdrawn text by mistake.
    feedback.published_at = None
    feedback.public_question = feedback.public_answer = ""
    feedback.version += 1
    feedback.save(update_fields=["public_question", "public_answer", "published_at", "version"])
    revision = live.revision if live is not None else None
    record(feedback, FeedbackAction.UNPUBLISH, actor=actor, at=now, reason=why, data={"revision": revision})
    return feedback


def _for_leader(code: str, actor: User, expected_version: int | None) -> Feedback:
    """Lock a feedback for a publishing leader; anyone else who handles it gets "not found" too."""
    feedback = lock_for_staff(code, actor, expected_version, still_open=False)
    if not access.may_publish(scope_for(actor), feedback):
        raise NotFound(_("Only a leader of the agency may publish its answers."), code="feedback_not_found")
    return feedback


@transaction.atomic
def react_to_answer(
    *, code: str, secret: str, reaction: str, comment: str = "", now: dt.datetime | None = None
) -> Feedback:
    """The sender says whether the answer satisfies her (once); "not satisfied" counts against the agency."""
    now = now or timezone.now()
    found = find_for_sender(code, secret)
    if found is None:
        raise NotFound(_("No feedback was found with this code and secret."), code="feedback_not_found")
    feedback = Feedback.objects.select_for_update().get(pk=found.pk)
    if feedback.status != FeedbackStatus.ANSWERED:
        raise TransitionNotAllowed(_("There is no answer to react to yet."), code="feedback_not_answered")
    if feedback.reaction:
        raise TransitionNotAllowed(
            _("You have already told us what you think of the answer."), code="already_reacted"
        )
    if reaction not in Reaction.values:
        message = _("Choose one answer.")
        raise ValidationFailed(message, code="invalid_reaction", fields={"reaction": message})
    feedback.reaction = reaction
    feedback.reaction_comment = comment.strip()[:MAX_TEXT]
    feedback.version += 1
    feedback.save(update_fields=["reaction", "reaction_comment", "version"])
    record(
        feedback,
        FeedbackAction.REACT,
        actor=None,
        at=now,
        name=feedback.sender_name,
        data={"reaction": reaction},
    )
    return feedback
