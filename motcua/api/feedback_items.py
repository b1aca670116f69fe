"""/api/v1/feedback/items: the staff's inbox of their agencies' feedback, and one feedback as they see it.

Staff (bearer token or session) read what reaches their agencies; anything else is "not found". The
item's `allowed_actions` is a guide for buttons, never a permission (feedback/allowed.py): each action's
service judges again. The actions themselves are in feedback_actions.py.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from motcua.api.auth import STAFF_OR_SESSION
from motcua.api.feedback_schemas import (
    STAFF_READ,
    DetailOut,
    HolderOut,
    InboxQuery,
    ItemOut,
    ItemPage,
    PublicationOut,
    StepOut,
)
from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.dossiers.selectors import horizon
from motcua.feedback.access import NOT_A_HANDLER, feedback_for_staff, handles_feedback
from motcua.feedback.allowed import allowed_for
from motcua.feedback.models import Feedback, FeedbackEvent, FeedbackStatus
from motcua.feedback.selectors import inbox, inbox_rows
from motcua.org.access import scope_for

# Operation ids are those the endpoints had in the single feedback module: generated clients keep them.
router = Router()  # tagged "feedback" where feedback.py mounts it


def steps(events: Iterable[FeedbackEvent]) -> list[StepOut]:
    """The steps of a feedback, from its events (all for staff; `selectors.public_steps` for the sender)."""
    return [
        StepOut(
            at=e.at,
            action=e.action,
            label=e.get_action_display(),
            agency=e.to_agency.name if e.to_agency else None,
        )
        for e in events
    ]


def staff_caller(request: HttpRequest) -> User:
    """The caller, if she handles feedback at all; anyone else is answered "not found"."""
    user: User = request.user  # type: ignore[assignment]
    if not handles_feedback(scope_for(user)):
        raise NotFound(str(NOT_A_HANDLER), code="feedback_not_found")
    return user


def _holder(user: User | None) -> HolderOut | None:
    return (
        HolderOut(username=user.get_username(), name=user.full_name or user.get_username()) if user else None
    )


def _item(f: Feedback) -> dict[str, Any]:
    return {
        "code": f.code,
        "version": f.version,
        "status": f.status,
        "urgency": getattr(f, "urgency", "done"),
        "topic": f.topic,
        "subject": f.subject,
        "procedure_code": f.procedure.code if f.procedure else None,
        "agency": f.agency.name,
        "received_at": f.received_at,
        "due_at": f.due_at,
        "assignee": _holder(f.assignee),
        "assigned_at": f.assigned_at,
    }


def _name(user: User | None) -> str:
    return (user.full_name or user.get_username()) if user is not None else ""


def detail(f: Feedback, user: User) -> DetailOut:
    """The feedback as `user` sees it; after an action, as it is now (a forward may take it out of reach)."""
    allowed = allowed_for(user, scope_for(user), f)
    return DetailOut(
        **_item(f),
        content=f.content,
        sender_name=f.sender_name,
        sender_phone=f.sender_phone,
        sender_email=f.sender_email,
        dossier_code=f.dossier.code if f.dossier else None,
        answer=f.answer,
        on_time=f.on_time,
        reaction=f.reaction,
        published=f.published_at is not None,
        publications=[
            PublicationOut(
                revision=p.revision,
                question=p.question,
                answer=p.answer,
                published_at=p.published_at,
                published_by=_name(p.published_by),
                withdrawn_at=p.withdrawn_at,
                withdrawn_by=_name(p.withdrawn_by) if p.withdrawn_at else None,
                withdraw_reason=p.withdraw_reason,
            )
            for p in f.publications.select_related("published_by", "withdrawn_by")
        ],
        steps=steps(f.events.select_related("to_agency").order_by("at", "pk")),
        allowed_actions=allowed.names(),
        on_behalf_reason_required=allowed.on_behalf,
    )


@router.get(
    "",
    response={200: ItemPage, **STAFF_READ},
    auth=STAFF_OR_SESSION,
    summary="The agency's inbox",
    operation_id="motcua_api_feedback_items",
)
def items(request: HttpRequest, query: Query[InboxQuery]) -> ItemPage:
    user = staff_caller(request)
    found = inbox(scope_for(user), horizon(), holder=query.holder, user_id=user.pk)
    if query.status != "all":
        found = found.filter(status=query.status if query.status in FeedbackStatus.values else "open")
    if query.urgency:
        found = found.filter(urgency=query.urgency)  # type: ignore[misc]
    if query.topic:
        found = found.filter(topic=query.topic)
    count = found.count()
    size = 25
    rows = inbox_rows(found)[(query.page - 1) * size : query.page * size]
    return ItemPage(
        count=count, page=query.page, pages=math.ceil(count / size), items=[ItemOut(**_item(f)) for f in rows]
    )


@router.get(
    "/{code}",
    response={200: DetailOut, **STAFF_READ},
    auth=STAFF_OR_SESSION,
    summary="One feedback",
    operation_id="motcua_api_feedback_item",
)
def item(request: HttpRequest, code: str) -> DetailOut:
    user = staff_caller(request)
    return detail(feedback_for_staff(scope_for(user), code), user)
