"""/api/v1/feedback/ratings: the applicant rates an ended dossier, once; staff read the rating.

Public with the receipt's secret (`POST /ratings/{code}?secret=…`, failures counted like the look-up);
a signed-in applicant (session with its CSRF token, or a bearer token) needs no secret for her own dossier.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from motcua.api.auth import STAFF_OR_SESSION, session_auth, token_auth
from motcua.api.errors import ErrorOut
from motcua.api.feedback_schemas import (
    PUBLIC_WRITE,
    STAFF_READ,
    AnswerChoiceOut,
    CriterionOut,
    LevelOut,
    OptionalSecret,
    QuestionOut,
    RatingIn,
    RatingOut,
    SchemeOut,
)
from motcua.api.lookup import too_many
from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.dossiers import access as dossier_access
from motcua.dossiers.lookup import LookupLimiter
from motcua.feedback import services
from motcua.feedback.models import Rating, RatingChannel
from motcua.feedback.schemes import Scheme, scheme_for

router = Router(tags=["feedback"])


def account(request: HttpRequest) -> User | None:
    """The caller's account on a public endpoint: a bearer token, or a session with its CSRF token.

    Without the CSRF check another site could make a signed-in citizen's browser write in her name.
    """
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        token = request.headers["Authorization"].split(" ", 1)[1]
        return token_auth.authenticate(request, token)
    user = session_auth(request)
    return user if isinstance(user, User) else None


def _scheme_out(scheme: Scheme) -> SchemeOut:
    return SchemeOut(
        code=scheme.code,
        levels=[LevelOut(code=lv.code, label=str(lv.label), satisfied=lv.satisfied) for lv in scheme.levels],
        questions=[
            QuestionOut(
                code=c.code,
                question=str(c.question or c.label),
                answers=[AnswerChoiceOut(points=a.points, label=str(a.label)) for a in c.answers],
            )
            for c in scheme.citizen_criteria
        ],
        max_points=scheme.max_points,
    )


@router.get("/scheme", response={200: SchemeOut}, summary="The rating scale and questions in force")
def rating_scheme(request: HttpRequest) -> SchemeOut:
    return _scheme_out(scheme_for(dt.date.today()))


def _rating_out(rating: Rating) -> RatingOut:
    return RatingOut(
        dossier=rating.dossier.code,
        scheme=rating.scheme,
        level=rating.level,
        satisfied=rating.satisfied,
        total=rating.total,
        max_total=rating.max_total,
        criteria=[
            CriterionOut(**{k: c[k] for k in ("code", "points", "max", "source", "value")})
            for c in rating.criteria
        ],
        channel=rating.channel,
        rated_at=rating.rated_at,
    )


@router.post(
    "/{code}",
    response={201: RatingOut, 404: ErrorOut, **PUBLIC_WRITE},
    summary="Rate an ended dossier, once (public with the receipt's secret)",
)
def rate(
    request: HttpRequest, code: str, query: Query[OptionalSecret], body: RatingIn
) -> Status | HttpResponse:
    limiter = LookupLimiter.for_request(request, code)
    if limiter.blocked():
        return too_many(limiter.retry_after)
    secret = query.secret.strip() or None
    try:
        rating = services.rate_dossier(
            code=code,
            level=body.level,
            answers=body.answers,
            comment=body.comment,
            channel=RatingChannel.LOOKUP if secret else RatingChannel.API,
            actor=account(request),
            secret=secret,
        )
    except NotFound:
        limiter.fail()
        raise
    return Status(201, _rating_out(rating))


@router.get(
    "/{code}",
    response={200: RatingOut, **STAFF_READ},
    auth=STAFF_OR_SESSION,
    summary="A dossier's rating and evaluation (staff, or the applicant)",
)
def rating_of(request: HttpRequest, code: str) -> RatingOut:
    user: User = request.user  # type: ignore[assignment]
    rating = Rating.objects.select_related("dossier").filter(dossier__code=code).first()
    if rating is None or not dossier_access.can_see(user, rating.dossier):
        raise dossier_access.not_found(code)  # not rated yet, or not hers: the same answer
    return _rating_out(rating)
