"""/api/v1/feedback: citizens' feedback and the agencies' answers; ratings of ended dossiers.

Public, without an account: send a feedback (`POST /api/v1/feedback`, rate-limited per client address,
an `Idempotency-Key` makes a retry return the first answer), follow it with its code and secret
(`/track/{code}`, failures counted like the dossier look-up), read published answers, and rate an ended
dossier with its receipt's secret (`POST /ratings/{code}?secret=…`; a signed-in applicant needs no
secret). Staff (bearer token or session): the inbox of their agencies (feedback_items.py) and one POST
per action (feedback_actions.py).
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from motcua.api.dossiers_write import decode_files
from motcua.api.errors import ErrorOut
from motcua.api.feedback_actions import router as actions_router
from motcua.api.feedback_items import router as items_router
from motcua.api.feedback_items import steps
from motcua.api.feedback_ratings import account
from motcua.api.feedback_ratings import router as ratings_router
from motcua.api.feedback_schemas import (
    ERRORS,
    PUBLIC_WRITE,
    CreatedOut,
    FeedbackIn,
    PublishedOut,
    PublishedPage,
    PublishedQuery,
    ReactionIn,
    SecretQuery,
    TrackOut,
)
from motcua.api.idempotency import HEADER
from motcua.api.lookup import too_many
from motcua.core.errors import NotFound, ValidationFailed
from motcua.dossiers.lookup import LookupLimiter
from motcua.feedback import services
from motcua.feedback.limits import TooMany, submit_within_limits
from motcua.feedback.models import Feedback
from motcua.feedback.selectors import find_for_sender, follow, published_answers

router = Router(tags=["feedback"])
router.add_router("/ratings", ratings_router)
router.add_router("/items", items_router)
router.add_router("/items", actions_router)


# ---- Helpers ------------------------------------------------------------------------------------


def _track(feedback: Feedback) -> TrackOut:
    """What the sender sees: as on her page (`selectors.follow`), without the agency's own work."""
    view = follow(feedback)
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
        corrected_answer=view.corrected_answer,
        steps=steps(view.events),
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
