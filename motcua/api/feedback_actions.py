"""/api/v1/feedback/items/{code}/…: what staff do with a feedback, one POST per action.

Each calls the same service as the page, with the caller as actor and an `Idempotency-Key` making a retry
return the first answer, and answers the feedback as it is now (feedback_items.detail). A feedback someone
holds is answered, declined or forwarded by her: another specialist gets 409 `holder_required`, a leader
acting for her sends `on_behalf_reason` (else 422 `required`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from motcua.api.auth import STAFF_OR_SESSION
from motcua.api.feedback_items import detail, staff_caller
from motcua.api.feedback_schemas import (
    STAFF_WRITE,
    AnswerIn,
    AssignIn,
    DeclineIn,
    DetailOut,
    ForwardIn,
    PublishIn,
    ReleaseIn,
    TakeIn,
    UnpublishIn,
)
from motcua.api.idempotency import idempotent
from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.feedback import services
from motcua.feedback.access import feedback_for_staff
from motcua.feedback.models import Feedback
from motcua.org.access import scope_for
from motcua.org.models import Agency

# Operation ids are those the endpoints had in the single feedback module: generated clients keep them.
router = Router()  # tagged "feedback" where feedback.py mounts it
DONE = {200: DetailOut, **STAFF_WRITE}


def _act(request: HttpRequest, run: Callable[[User], Feedback]) -> Status:
    """Run one action as the staff member calling, and answer the feedback as it is now."""
    user = staff_caller(request)
    return Status(200, detail(run(user), user))


def _agency(caller: User, code: str, agency_code: str) -> Agency:
    """The agency named, once the caller is known to handle the feedback (else "not found", as for others)."""
    feedback_for_staff(scope_for(caller), code)
    agency = Agency.objects.filter(code=agency_code.strip(), is_active=True).first()
    if agency is None:
        raise ValidationFailed(
            _("Choose an agency from the list."), code="invalid_agency", fields={"agency_code": ["unknown"]}
        )
    return agency


@router.post(
    "/{code}/forward",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Forward to another agency",
    operation_id="motcua_api_feedback_forward",
)
@idempotent
def forward(request: HttpRequest, code: str, body: ForwardIn) -> Status:
    return _act(
        request,
        lambda u: services.forward_feedback(
            code=code,
            actor=u,
            agency=_agency(u, code, body.agency_code),
            reason=body.reason,
            on_behalf_reason=body.on_behalf_reason,
            expected_version=body.expected_version,
        ),
    )


@router.post(
    "/{code}/answer",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Answer the sender",
    operation_id="motcua_api_feedback_answer",
)
@idempotent
def answer(request: HttpRequest, code: str, body: AnswerIn) -> Status:
    return _act(
        request,
        lambda u: services.answer_feedback(
            code=code,
            actor=u,
            answer=body.answer,
            on_behalf_reason=body.on_behalf_reason,
            expected_version=body.expected_version,
        ),
    )


@router.post(
    "/{code}/decline",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Decline, with the reason",
    operation_id="motcua_api_feedback_decline",
)
@idempotent
def decline(request: HttpRequest, code: str, body: DeclineIn) -> Status:
    return _act(
        request,
        lambda u: services.decline_feedback(
            code=code,
            actor=u,
            kind=body.kind,
            reason=body.reason,
            on_behalf_reason=body.on_behalf_reason,
            expected_version=body.expected_version,
        ),
    )


@router.post(
    "/{code}/publish",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Publish it (a leader)",
    operation_id="motcua_api_feedback_publish",
)
@idempotent
def publish(request: HttpRequest, code: str, body: PublishIn) -> Status:
    return _act(
        request,
        lambda u: services.publish_feedback(
            code=code,
            actor=u,
            question=body.question,
            answer=body.answer,
            expected_version=body.expected_version,
        ),
    )


@router.post(
    "/{code}/unpublish",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Withdraw the published answer, with the reason (a leader)",
    operation_id="motcua_api_feedback_unpublish",
)
@idempotent
def unpublish(request: HttpRequest, code: str, body: UnpublishIn) -> Status:
    return _act(
        request,
        lambda u: services.withdraw_publication(
            code=code, actor=u, reason=body.reason, expected_version=body.expected_version
        ),
    )


def _assignee(caller: User, code: str, username: str) -> User:
    """The user named, once the caller is known to handle the feedback (else "not found", as for others)."""
    feedback_for_staff(scope_for(caller), code)
    found = User.objects.filter(username=username.strip(), is_active=True).first()
    if found is None:  # the same answer as a user of another agency: user names are not probed here
        message = _("Choose a specialist of the agency from the list.")
        raise ValidationFailed(message, code="assignee_not_in_agency", fields={"assignee": message})
    return found


@router.post(
    "/{code}/assign",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Assign to a specialist of the agency, or reassign with a reason (a leader)",
    operation_id="motcua_api_feedback_assign",
)
@idempotent
def assign(request: HttpRequest, code: str, body: AssignIn) -> Status:
    return _act(
        request,
        lambda u: services.assign_feedback(
            code=code,
            actor=u,
            assignee=_assignee(u, code, body.assignee),
            reason=body.reason,
            expected_version=body.expected_version,
        ),
    )


@router.post(
    "/{code}/take",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Take it (a specialist of the agency)",
    operation_id="motcua_api_feedback_take",
)
@idempotent
def take(request: HttpRequest, code: str, body: TakeIn) -> Status:
    return _act(
        request,
        lambda u: services.take_feedback(code=code, actor=u, expected_version=body.expected_version),
    )


@router.post(
    "/{code}/release",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Hand it back, with a reason (its holder, or a leader of the agency)",
    operation_id="motcua_api_feedback_release",
)
@idempotent
def release(request: HttpRequest, code: str, body: ReleaseIn) -> Status:
    return _act(
        request,
        lambda u: services.release_feedback(
            code=code, actor=u, reason=body.reason, expected_version=body.expected_version
        ),
    )
