"""/api/v1/lookup: the public look-up of a dossier by its code and the secret printed on the receipt.

No login. It shows where a dossier stands and its public milestones, never who acted, the applicant,
comments or internal notes. A wrong secret and an unknown code give the same 404, and failed attempts
are counted per client IP and per code in Django's cache (fixed ten-minute windows) so the secret cannot
be guessed: past the limit, 429 `too_many_attempts` with Retry-After, even for the right secret.
The default LocMemCache counts per process; with several workers configure a shared cache (database or
Redis) so that the limits hold for the whole site.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from motcua.api.errors import ErrorOut
from motcua.core.errors import NotFound
from motcua.core.replicas import replica_reads
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.lookup import TOO_MANY_MESSAGE, LookupLimiter, find_for_lookup
from motcua.dossiers.models import Dossier

router = Router(tags=["lookup"])


class LookupEventOut(Schema):
    at: dt.datetime
    action: str = Field(examples=["receive"])
    label: str = Field(examples=["Tiếp nhận"])
    agency: str | None = Field(
        description="Name of the agency that acted.", examples=["UBND phường Thành Sen"]
    )


class LookupOut(Schema):
    code: str = Field(examples=["H42.50.01-251103-010001"])
    status: str = Field(examples=["in_progress"])
    status_label: str
    procedure_code: str = Field(examples=["2.002621"])
    procedure_name: str
    receiving_point: str = Field(examples=["Trung tâm Phục vụ hành chính công phường Thành Sen"])
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str = Field(description="early, on_time or late once finished; empty before.")
    timeline: list[LookupEventOut]


class LookupQuery(Schema):
    secret: str = Field(min_length=1, max_length=32, description="The look-up secret printed on the receipt.")


def too_many(retry_after: int, message: str = "") -> HttpResponse:
    """429 `too_many_attempts` with Retry-After (the feedback endpoints share it)."""
    body = {
        "error": {
            "code": "too_many_attempts",
            "message": message or str(TOO_MANY_MESSAGE),
            "fields": {},
        }
    }
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _public(dossier: Dossier) -> LookupOut:
    version = dossier.procedure_version
    events = dossier.events.filter(public=True).select_related("agency").order_by("at", "id")
    return LookupOut(
        code=dossier.code,
        status=dossier.status,
        status_label=str(Status(dossier.status).label),
        procedure_code=dossier.procedure.code,
        procedure_name=version.name,
        receiving_point=dossier.receiving_point.name,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        outcome=dossier.outcome,
        timeline=[
            LookupEventOut(
                at=e.at,
                action=e.action,
                label=str(Action(e.action).label) if e.action in Action.values else e.action,
                agency=e.agency.name if e.agency is not None else None,
            )
            for e in events
        ],
    )


@router.get(
    "/{code}",
    response={200: LookupOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Where a dossier stands (public, with the receipt's secret)",
)
def lookup(request: HttpRequest, code: str, query: Query[LookupQuery]) -> LookupOut | HttpResponse:
    with replica_reads():
        limiter = LookupLimiter.for_request(request, code)
        if limiter.blocked():
            return too_many(limiter.retry_after)
        dossier = find_for_lookup(code, query.secret)
        if dossier is None:
            limiter.fail()
            raise NotFound(
                _("No dossier was found with this code and look-up secret."), code="dossier_not_found"
            )
        return _public(dossier)
