"""/api/v1/feedback: citizens' feedback and the agencies' answers; ratings of ended dossiers.

Public, without an account: send a feedback (`POST /api/v1/feedback`, rate-limited per client address,
an `Idempotency-Key` makes a retry return the first answer), follow it with its code and secret
(`/track/{code}`, failures counted like the dossier look-up), read published answers, and rate an ended
dossier with its receipt's secret (`POST /ratings/{code}?secret=…`; a signed-in applicant needs no
secret). Staff (bearer token or session): the inbox of their agencies and one POST per action.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from motcua.api.auth import STAFF_OR_SESSION
from motcua.api.dossiers_write import decode_files
from motcua.api.errors import ErrorOut
from motcua.api.feedback_ratings import account
from motcua.api.feedback_ratings import router as ratings_router
from motcua.api.feedback_schemas import (
    ERRORS,
    PUBLIC_WRITE,
    STAFF_READ,
    STAFF_WRITE,
    AnswerIn,
    AssignIn,
    CreatedOut,
    DeclineIn,
    DetailOut,
    FeedbackIn,
    ForwardIn,
    HolderOut,
    InboxQuery,
    ItemOut,
    ItemPage,
    PublicationOut,
    PublishedOut,
    PublishedPage,
    PublishedQuery,
    PublishIn,
    ReactionIn,
    ReleaseIn,
    SecretQuery,
    StepOut,
    TakeIn,
    TrackOut,
    UnpublishIn,
)
from motcua.api.idempotency import HEADER, idempotent
from motcua.api.lookup import too_many
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.models import User
from motcua.dossiers.lookup import LookupLimiter
from motcua.dossiers.selectors import horizon
from motcua.feedback import services
from motcua.feedback.access import NOT_A_HANDLER, feedback_for_staff, handles_feedback
from motcua.feedback.limits import TooMany, submit_within_limits
from motcua.feedback.models import Feedback, FeedbackStatus
from motcua.feedback.selectors import find_for_sender, inbox, inbox_rows, public_steps, published_answers
from motcua.org.access import scope_for
from motcua.org.models import Agency

router = Router(tags=["feedback"])
router.add_router("/ratings", ratings_router)


# ---- Helpers ------------------------------------------------------------------------------------


def _steps(feedback: Feedback, *, public: bool = False) -> list[StepOut]:
    """Every step for staff; for the sender, not the agency's own work (`selectors.public_steps`)."""
    events = (
        public_steps(feedback) if public else feedback.events.select_related("to_agency").order_by("at", "pk")
    )
    return [
        StepOut(
            at=e.at,
            action=e.action,
            label=e.get_action_display(),
            agency=e.to_agency.name if e.to_agency else None,
        )
        for e in events
    ]


def _track(feedback: Feedback) -> TrackOut:
    declined = feedback.events.filter(action="decline").values_list("reason", flat=True).first()
    return TrackOut(
        code=feedback.code,
        status=feedback.status,
        topic=feedback.topic,
        subject=feedback.subject,
        agency=feedback.agency.name,
        received_at=feedback.received_at,
        due_at=feedback.due_at,
        closed_at=feedback.closed_at,
        on_time=feedback.on_time,
        answer=feedback.answer,
        decline_reason=declined or "",
        reaction=feedback.reaction,
        steps=_steps(feedback, public=True),
    )


def _created(feedback: Feedback) -> dict[str, Any]:
    out = CreatedOut(
        code=feedback.code,
        secret=feedback.secret,
        status=feedback.status,
        agency=feedback.agency.name,
        received_at=timezone.localtime(feedback.received_at),
        due_at=timezone.localtime(feedback.due_at),
    )
    return json.loads(out.model_dump_json())


def _repeat(key: str, digest: str) -> Feedback | None:
    """The feedback an earlier request with this key made; the key reused for another request is refused."""
    found = Feedback.objects.select_related("agency").filter(submission_key=key).first()
    if found is not None and found.submission_hash != digest:
        raise ValidationFailed(
            _("This Idempotency-Key was used for a different request; use a new key."),
            code="idempotency_key_reused",
            fields={HEADER: ["reused with a different request"]},
        )
    return found


# ---- Public -------------------------------------------------------------------------------------


@router.post("", response={201: CreatedOut, **PUBLIC_WRITE}, summary="Send a feedback (public)")
def submit(request: HttpRequest, body: FeedbackIn) -> Status | HttpResponse:
    key_text = (request.headers.get(HEADER) or "").strip()
    key = hashlib.sha256(key_text.encode()).hexdigest() if key_text else ""
    digest = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
    if key and (repeated := _repeat(key, digest)) is not None:
        return Status(201, _created(repeated))
    data = services.FeedbackIn(**body.model_dump(exclude={"files"}), files=decode_files(body.files, "files"))
    try:
        feedback = submit_within_limits(
            request, data, sender=account(request), submission_key=key, submission_hash=digest
        )
    except TooMany as refused:
        return too_many(refused.retry_after, refused.message)
    return Status(201, _created(feedback))


def _followed(request: HttpRequest, code: str, secret: str) -> Feedback | HttpResponse:
    limiter = LookupLimiter.for_request(request, code)
    if limiter.blocked():
        return too_many(limiter.retry_after)
    feedback = find_for_sender(code, secret)
    if feedback is None:
        limiter.fail()
        raise NotFound(_("No feedback was found with this code and secret."), code="feedback_not_found")
    return feedback


@router.get("/track/{code}", response={200: TrackOut, **ERRORS, 429: ErrorOut}, summary="Follow a feedback")
def track(request: HttpRequest, code: str, query: Query[SecretQuery]) -> TrackOut | HttpResponse:
    found = _followed(request, code, query.secret)
    return found if isinstance(found, HttpResponse) else _track(found)


@router.post(
    "/track/{code}/reaction",
    response={200: TrackOut, **ERRORS, 409: ErrorOut, 429: ErrorOut},
    summary="Say whether the answer satisfies you (once)",
)
def react(
    request: HttpRequest, code: str, query: Query[SecretQuery], body: ReactionIn
) -> TrackOut | HttpResponse:
    found = _followed(request, code, query.secret)
    if isinstance(found, HttpResponse):
        return found
    done = services.react_to_answer(
        code=code, secret=query.secret, reaction=body.reaction, comment=body.comment
    )
    return _track(done)


@router.get(
    "/published", response={200: PublishedPage, 422: ErrorOut}, summary="Published questions and answers"
)
def published(request: HttpRequest, query: Query[PublishedQuery]) -> PublishedPage:
    found = published_answers(query.procedure.strip(), query.topic)
    count = found.count()
    size = 20
    rows = found[(query.page - 1) * size : query.page * size]
    items = [
        PublishedOut(
            code=f.code,
            topic=f.topic,
            procedure_code=f.procedure.code if f.procedure else None,
            agency=f.agency.name,
            question=f.public_question,
            answer=f.public_answer,
            published_at=f.published_at or f.received_at,  # published_answers holds published ones only
        )
        for f in rows
    ]
    return PublishedPage(count=count, page=query.page, pages=math.ceil(count / size), items=items)


# ---- Staff -----------------------------------------------------------------------------------
def _staff(request: HttpRequest) -> User:
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


@router.get(
    "/items", response={200: ItemPage, **STAFF_READ}, auth=STAFF_OR_SESSION, summary="The agency's inbox"
)
def items(request: HttpRequest, query: Query[InboxQuery]) -> ItemPage:
    user = _staff(request)
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


def _detail(f: Feedback) -> DetailOut:
    """The feedback as staff see it; after an action, as it is now (a forward may take it out of reach)."""
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
        steps=_steps(f),
    )


def _name(user: User | None) -> str:
    return (user.full_name or user.get_username()) if user is not None else ""


@router.get(
    "/items/{code}", response={200: DetailOut, **STAFF_READ}, auth=STAFF_OR_SESSION, summary="One feedback"
)
def item(request: HttpRequest, code: str) -> DetailOut:
    return _detail(feedback_for_staff(scope_for(_staff(request)), code))


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code.strip(), is_active=True).first()
    if agency is None:
        raise ValidationFailed(
            _("Choose an agency from the list."), code="invalid_agency", fields={"agency_code": ["unknown"]}
        )
    return agency


DONE = {200: DetailOut, **STAFF_WRITE}


def _act(request: HttpRequest, run: Callable[[User], Feedback]) -> Status:
    """Run one action as the staff member calling, and answer the feedback as it is now."""
    return Status(200, _detail(run(_staff(request))))


@router.post(
    "/items/{code}/forward", response=DONE, auth=STAFF_OR_SESSION, summary="Forward to another agency"
)
@idempotent
def forward(request: HttpRequest, code: str, body: ForwardIn) -> Status:
    agency = _agency(body.agency_code)
    return _act(
        request,
        lambda u: services.forward_feedback(
            code=code, actor=u, agency=agency, reason=body.reason, expected_version=body.expected_version
        ),
    )


@router.post("/items/{code}/answer", response=DONE, auth=STAFF_OR_SESSION, summary="Answer the sender")
@idempotent
def answer(request: HttpRequest, code: str, body: AnswerIn) -> Status:
    return _act(
        request,
        lambda u: services.answer_feedback(
            code=code, actor=u, answer=body.answer, expected_version=body.expected_version
        ),
    )


@router.post(
    "/items/{code}/decline", response=DONE, auth=STAFF_OR_SESSION, summary="Decline, with the reason"
)
@idempotent
def decline(request: HttpRequest, code: str, body: DeclineIn) -> Status:
    return _act(
        request,
        lambda u: services.decline_feedback(
            code=code, actor=u, kind=body.kind, reason=body.reason, expected_version=body.expected_version
        ),
    )


@router.post("/items/{code}/publish", response=DONE, auth=STAFF_OR_SESSION, summary="Publish it (a leader)")
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
    "/items/{code}/unpublish",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Withdraw the published answer, with the reason (a leader)",
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
    "/items/{code}/assign",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Assign to a specialist of the agency, or reassign with a reason (a leader)",
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
    "/items/{code}/take", response=DONE, auth=STAFF_OR_SESSION, summary="Take it (a specialist of the agency)"
)
@idempotent
def take(request: HttpRequest, code: str, body: TakeIn) -> Status:
    return _act(
        request,
        lambda u: services.take_feedback(code=code, actor=u, expected_version=body.expected_version),
    )


@router.post(
    "/items/{code}/release",
    response=DONE,
    auth=STAFF_OR_SESSION,
    summary="Hand it back, with a reason (its holder, or a leader of the agency)",
)
@idempotent
def release(request: HttpRequest, code: str, body: ReleaseIn) -> Status:
    return _act(
        request,
        lambda u: services.release_feedback(
            code=code, actor=u, reason=body.reason, expected_version=body.expected_version
        ),
    )
