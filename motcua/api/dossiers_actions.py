"""POST /api/v1/dossiers/{code}/…: one endpoint per operation, each one dossier service, then the detail.

Every endpoint takes `expected_version` (optional) for optimistic locking and answers the updated dossier
as the caller sees it; what an operation created (a request, an apology, a result file) is in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from motcua.api.auth import STAFF_OR_SESSION
from motcua.api.dossiers_detail import dossier_detail, load_dossier
from motcua.api.dossiers_out import WRITE_ERRORS, DossierDetail
from motcua.api.dossiers_schemas import (
    ApologyIn,
    AssignStepIn,
    CompleteStepIn,
    FilesIn,
    HandOverIn,
    ItemsIn,
    ReasonIn,
    ReasonsIn,
    ResultIn,
    ReturnStepIn,
    VersionIn,
)
from motcua.api.dossiers_write import decode_files
from motcua.api.idempotency import idempotent
from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.dossiers import services
from motcua.workdays.calendar import VIETNAM_TZ

router = Router(tags=["dossiers"], auth=STAFF_OR_SESSION)

DONE = {200: DossierDetail, **WRITE_ERRORS}
Outcome = Status[DossierDetail]


def act(request: HttpRequest, code: str, run: Callable[[User], Any]) -> Outcome:
    """Check the caller may see the dossier (404 before any 409 could tell it exists), run, read it back."""
    user: User = request.user  # type: ignore[assignment]
    load_dossier(user, code)
    run(user)
    return Status(200, dossier_detail(user, code))


def _items(body: ItemsIn) -> list[services.RequestItem]:
    return [services.RequestItem(position=i.position, reason=i.reason) for i in body.items]


def _reused(body: FilesIn) -> list[services.Reused]:
    return [services.Reused(position=r.position, file_id=r.file_id) for r in body.reused]


def _aware(moment: dt.datetime) -> dt.datetime:
    # A moment without an offset is Vietnam time, as everywhere in this API.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=VIETNAM_TZ)


def _user_named(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed(
            _("The assignee was not found."),
            code="assignee_not_found",
            fields={"assignee": ["unknown user"]},
        )
    return user


# At the desk, before acceptance ----------------------------------------------------------------------


@router.post("/{code}/accept", response=DONE, summary="Accept an online submission (desk)")
@idempotent
def accept(request: HttpRequest, code: str, body: VersionIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.accept_submission(code=code, actor=u, expected_version=body.expected_version),
    )


@router.post("/{code}/request-completion", response=DONE, summary="Ask once to complete an online submission")
@idempotent
def request_completion(request: HttpRequest, code: str, body: ItemsIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.request_completion_of_submission(
            code=code, actor=u, items=_items(body), expected_version=body.expected_version
        ),
    )


@router.post("/{code}/refuse-submission", response=DONE, summary="Refuse an online submission (desk)")
@idempotent
def refuse_submission(request: HttpRequest, code: str, body: ReasonsIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.refuse_submission(
            code=code, actor=u, reasons=body.reasons, expected_version=body.expected_version
        ),
    )


@router.post("/{code}/complete-submission", response=DONE, summary="Send what the desk asked for (citizen)")
@idempotent
def complete_submission(request: HttpRequest, code: str, body: FilesIn) -> Outcome:
    uploads = decode_files(body.files, "files")
    return act(
        request,
        code,
        lambda u: services.complete_submission(
            code=code,
            citizen=u,
            uploads=uploads,
            provided=body.provided,
            reused=_reused(body),
            expected_version=body.expected_version,
        ),
    )


@router.post(
    "/{code}/receive-completed",
    response=DONE,
    summary="Receive a paper dossier that came back complete (desk)",
    description="The applicant brings what the completion request asked for: `provided` lists the "
    "positions of the documents she brought, `files` their scans. Once every required document is there "
    "the dossier is received on the same record (same code): appointment, steps, transfer, receipt.",
)
@idempotent
def receive_completed(request: HttpRequest, code: str, body: FilesIn) -> Outcome:
    uploads = decode_files(body.files, "files")
    return act(
        request,
        code,
        lambda u: services.receive_completed_dossier(
            code=code,
            actor=u,
            uploads=uploads,
            provided=body.provided,
            reused=_reused(body),
            expected_version=body.expected_version,
        ),
    )


@router.post("/{code}/withdraw", response=DONE, summary="Withdraw an online submission (citizen)")
@idempotent
def withdraw(request: HttpRequest, code: str, body: ReasonIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.withdraw_submission(
            code=code, citizen=u, reason=body.reason, expected_version=body.expected_version
        ),
    )


# Steps ---------------------------------------------------------------------------------------------


@router.post("/{code}/steps/{step_id}/take", response=DONE, summary="Take a step as mine")
@idempotent
def take_step(request: HttpRequest, code: str, step_id: int, body: VersionIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.take_step(
            code=code, step_id=step_id, actor=u, expected_version=body.expected_version
        ),
    )


@router.post("/{code}/steps/{step_id}/assign", response=DONE, summary="Give a step to a colleague (leader)")
@idempotent
def assign_step(request: HttpRequest, code: str, step_id: int, body: AssignStepIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.assign_step(
            code=code,
            step_id=step_id,
            actor=u,
            assignee=_user_named(body.assignee),
            expected_version=body.expected_version,
        ),
    )


@router.post("/{code}/steps/{step_id}/complete", response=DONE, summary="Complete (or approve) a step")
@idempotent
def complete_step(request: HttpRequest, code: str, step_id: int, body: CompleteStepIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.complete_step(
            code=code, step_id=step_id, actor=u, comment=body.comment, expected_version=body.expected_version
        ),
    )


@router.post("/{code}/steps/{step_id}/return", response=DONE, summary="Send the work back to an earlier step")
@idempotent
def return_step(request: HttpRequest, code: str, step_id: int, body: ReturnStepIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.return_step(
            code=code,
            step_id=step_id,
            to_step_id=body.to_step_id,
            actor=u,
            reason=body.reason,
            expected_version=body.expected_version,
        ),
    )


# Supplements, delays and ends ----------------------------------------------------------------------


@router.post("/{code}/supplement-request", response=DONE, summary="Ask the applicant once for a supplement")
@idempotent
def request_supplement(request: HttpRequest, code: str, body: ItemsIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.request_supplement(
            code=code, actor=u, items=_items(body), expected_version=body.expected_version
        ),
    )


@router.post("/{code}/supplement", response=DONE, summary="Hand in the supplement (citizen or desk)")
@idempotent
def receive_supplement(request: HttpRequest, code: str, body: FilesIn) -> Outcome:
    uploads = decode_files(body.files, "files")
    return act(
        request,
        code,
        lambda u: services.receive_supplement(
            code=code,
            actor=u,
            uploads=uploads,
            provided=body.provided,
            reused=_reused(body),
            expected_version=body.expected_version,
        ),
    )


@router.post("/{code}/apology", response=DONE, summary="Apologise for a delay and set a new date (once)")
@idempotent
def issue_apology(request: HttpRequest, code: str, body: ApologyIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.issue_apology(
            code=code,
            actor=u,
            reason=body.reason,
            new_due_at=_aware(body.new_due_at),
            signer_name=body.signer_name,
            signer_title=body.signer_title,
            expected_version=body.expected_version,
        ),
    )


@router.post("/{code}/refuse", response=DONE, summary="Refuse the dossier during processing")
@idempotent
def refuse(request: HttpRequest, code: str, body: ReasonsIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.refuse_dossier(
            code=code, actor=u, reasons=body.reasons, expected_version=body.expected_version
        ),
    )


@router.post("/{code}/stop", response=DONE, summary="Stop at the applicant's request")
@idempotent
def stop(request: HttpRequest, code: str, body: ReasonIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.stop_dossier(
            code=code, actor=u, reason=body.reason, expected_version=body.expected_version
        ),
    )


@router.post("/{code}/result-ready", response=DONE, summary="The result is at the desk (with result files)")
@idempotent
def result_ready(request: HttpRequest, code: str, body: ResultIn) -> Outcome:
    results = decode_files(body.files, "files")
    return act(
        request,
        code,
        lambda u: services.mark_result_ready(
            code=code,
            actor=u,
            results=results,
            comment=body.comment,
            sign=body.sign,
            expected_version=body.expected_version,
        ),
    )


@router.post(
    "/{code}/files/{file_id}/sign",
    response=DONE,
    summary="Sign a file digitally: a result with the agency's seal, a scan with my certificate",
    description="A result is signed with the handling agency's active seal, by that agency's staff only; "
    "a scan, a supplement or a form with the acting counter officer's own certificate. The signed copy is a "
    "new file (`signed_copy_of` points at the original, which stays unchanged); scanned images are put into "
    "a PDF first. 422 agency_has_no_seal / officer_has_no_certificate, 409 already_signed.",
)
@idempotent
def sign_file(request: HttpRequest, code: str, file_id: int, body: VersionIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.sign_file(
            code=code, file_id=file_id, actor=u, expected_version=body.expected_version
        ),
    )


@router.post(
    "/{code}/scans/sign",
    response=DONE,
    summary="Sign every scan I have not signed yet, with my certificate",
    description="The counter officer certifies the scans of the papers in one go (Decree 45/2020 art. 25). "
    "Each becomes a signed copy beside the original. 422 officer_has_no_certificate / nothing_to_sign.",
)
@idempotent
def sign_scans(request: HttpRequest, code: str, body: VersionIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.sign_scans(code=code, actor=u, expected_version=body.expected_version),
    )


@router.post("/{code}/hand-over", response=DONE, summary="Hand the result over and close the dossier")
@idempotent
def hand_over(request: HttpRequest, code: str, body: HandOverIn) -> Outcome:
    return act(
        request,
        code,
        lambda u: services.hand_over_result(
            code=code,
            actor=u,
            method=body.method,
            tracking_number=body.tracking_number,
            recipient=body.recipient,
            expected_version=body.expected_version,
        ),
    )
