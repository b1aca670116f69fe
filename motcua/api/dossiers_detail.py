"""Read one dossier for one caller: what she may see of it, and what she may do next.

`allowed_actions` is a guide for buttons, never a permission: it is the lifecycle's actions for the
status (lifecycle.allowed_actions) narrowed by the caller's relation to the dossier, as the services
check it: the receiving desk (accept, completion, refusal at intake, supplement received, stop, result,
hand-over), a member of an agency holding an active step (take, complete, return, supplement request,
apology, refusal, result), a leader of that agency (assign), the citizen who filed it online (complete
the submission, withdraw, supplement, stop). One-time actions already used (the apology, the
supplement request during processing) are dropped. The service still judges every request.
"""

from __future__ import annotations

from typing import Literal

from django.db.models import Prefetch
from django.utils import timezone

from motcua.api.dossiers_out import (
    ApologyOut,
    ApplicantOut,
    DocumentOut,
    DossierDetail,
    EventOut,
    FileOut,
    FileSignatureOut,
    ProcedureRef,
    RequestOut,
    StepOut,
)
from motcua.api.dossiers_schemas import Named, UserRef
from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.forms import available_forms
from motcua.dossiers.lifecycle import CLOCK_RUNNING, Action, Status, allowed_actions
from motcua.dossiers.models import (
    Apology,
    Channel,
    Dossier,
    DossierEvent,
    DossierStep,
    FileKind,
    RequestStage,
    StepStatus,
    SupplementRequest,
)
from motcua.dossiers.routing import only_return_left
from motcua.org.access import Scope, scope_for
from motcua.org.models import Agency, Role
from motcua.payments import rules as payment_rules
from motcua.signing import rules as signing_rules
from motcua.signing.models import FileSignature
from motcua.signing.selectors import signatures_on

A = Action
DESK_ACTIONS = {
    A.ACCEPT,
    A.REQUEST_COMPLETION,
    A.REFUSE_INTAKE,
    A.RECEIVE_SUPPLEMENT,
    A.STOP,
    A.MARK_RESULT_READY,
    A.HAND_OVER,
}
CITIZEN_ACTIONS = {A.COMPLETE_SUBMISSION, A.WITHDRAW, A.RECEIVE_SUPPLEMENT, A.STOP}
STEP_ACTIONS = {A.TAKE_STEP, A.COMPLETE_STEP, A.RETURN_STEP, A.REQUEST_SUPPLEMENT}
HOLDER_ACTIONS = {A.ISSUE_APOLOGY, A.REFUSE, A.MARK_RESULT_READY}
LEADERS = {Role.UNIT_LEADER, Role.AGENCY_LEADER}

FormName = Literal["receipt", "supplement_request", "refusal", "apology", "stop_notice", "control_sheet"]
# The control sheet is the agencies' own record; the other forms are addressed to the applicant.
CITIZEN_FORMS = {"receipt", "supplement_request", "refusal", "apology", "stop_notice"}

DETAIL_RELATED = ("procedure_version", "procedure", "receiving_point", "receiving_agency", "lead_agency")


def named(agency: Agency) -> Named:
    return Named(code=agency.code, name=agency.name)


def user_ref(user: User | None) -> UserRef | None:
    return None if user is None else UserRef(username=user.get_username(), name=user.full_name)


def is_late(dossier: Dossier) -> bool:
    if dossier.outcome:
        return bool(dossier.outcome == "late")
    return bool(dossier.status in CLOCK_RUNNING and dossier.due_at and dossier.due_at < timezone.now())


def load_dossier(user: User, code: str) -> tuple[Dossier, bool]:
    """Return the dossier and whether the caller sees it as staff; 404 if it is not hers to see."""
    try:
        dossier, as_staff = access.get_dossier_for_staff(user, code), True
    except NotFound:
        dossier, as_staff = access.get_dossier_for_citizen(user, code), False
    return dossier, as_staff


def visible_forms(dossier: Dossier, as_staff: bool) -> list[str]:
    return [f for f in available_forms(dossier) if as_staff or f in CITIZEN_FORMS]


def _detail_queryset(as_staff: bool):
    events = DossierEvent.objects.select_related("agency").order_by("at", "id")
    if not as_staff:
        events = events.filter(public=True)
    return Dossier.objects.select_related(*DETAIL_RELATED).prefetch_related(
        "documents",
        "files__document",
        Prefetch("files__signatures", queryset=FileSignature.objects.order_by("position")),
        Prefetch(
            "steps",
            queryset=DossierStep.objects.select_related("agency", "assigned_to", "completed_by").order_by(
                "stage", "branch", "position", "attempt"
            ),
        ),
        Prefetch("events", queryset=events),
        Prefetch(
            "supplement_requests",
            queryset=SupplementRequest.objects.select_related("agency").order_by("requested_at"),
        ),
    )


def _apology(dossier: Dossier) -> Apology | None:
    try:
        return Apology.objects.select_related("agency").get(dossier=dossier)
    except Apology.DoesNotExist:
        return None


def step_actions(user: User, step: DossierStep, scope: Scope) -> list[str]:
    if step.status != StepStatus.ACTIVE or not access.can_act_on_step(user, step, scope):
        return []
    if step.role == Role.COUNTER_OFFICER:
        return []  # the return step closes with the hand-over
    found = ["complete", "return"]
    if step.assigned_to_id in (None, user.pk):
        found.insert(0, "take")
    if access.agency_roles_in(user, step.agency_id, scope) & LEADERS:
        found.insert(0, "assign")
    return found


def caller_actions(
    user: User, dossier: Dossier, steps: list[DossierStep], scope: Scope, apology: bool
) -> list[str]:
    """The heuristic of this module's docstring."""
    mine: set[str] = set()
    active = [s for s in steps if s.status == StepStatus.ACTIVE]
    if access.is_counter_officer_of(user, dossier, scope):
        mine |= DESK_ACTIONS
        if dossier.channel != Channel.ONLINE:
            mine.add(A.RECEIVE)  # a paper dossier asked to complete, received once complete
        if dossier.status == Status.RECEIVED:
            mine.add(A.REQUEST_SUPPLEMENT)
    if dossier.citizen_id is not None and dossier.citizen_id == user.pk:
        mine |= CITIZEN_ACTIONS
    agency_ids = {s.agency_id for s in steps}
    if any(access.can_act_on_step(user, s, scope) and s.role != Role.COUNTER_OFFICER for s in active):
        mine |= STEP_ACTIONS
    if any(access.agency_roles_in(user, s.agency_id, scope) for s in active):
        mine |= HOLDER_ACTIONS
    if any(access.agency_roles_in(user, a, scope) for a in agency_ids):
        mine.add(A.MARK_RESULT_READY)
    if any(access.agency_roles_in(user, s.agency_id, scope) & LEADERS for s in active):
        mine.add(A.ASSIGN_STEP)
    if apology:
        mine.discard(A.ISSUE_APOLOGY)
    requests = dossier.supplement_requests.all()
    if any(r.stage == RequestStage.PROCESSING for r in requests):
        mine.discard(A.REQUEST_SUPPLEMENT)
    if not only_return_left(steps):
        mine.discard(A.MARK_RESULT_READY)
    mine |= _signing_and_fee_actions(user, dossier, scope)
    return [a for a in allowed_actions(dossier.status) if a in mine]


def _signing_and_fee_actions(user: User, dossier: Dossier, scope: Scope) -> set[str]:
    """Signing (scans by the desk, results by the handling agency) and fees, by the rules of those apps."""
    found: set[str] = set()
    if signing_rules.may_sign(user, scope, dossier, FileKind.SCAN) or signing_rules.may_seal(
        user, scope, dossier
    ):
        found.add(A.SIGN_FILE)
    if not dossier.fee_due_vnd:
        return found
    owed = payment_rules.unsettled(dossier)  # one read, only for a dossier with fees
    if owed and payment_rules.may_collect(user, scope, dossier):
        found.add(A.COLLECT_FEE)
    if owed and payment_rules.may_exempt(user, scope, dossier):
        found.add(A.EXEMPT_FEE)
    if owed and payment_rules.may_pay(dossier, user, None) and payment_rules.offered_online(dossier):
        found.add(A.START_ONLINE_PAYMENT)
    if owed < dossier.fee_due_vnd and payment_rules.may_refund(user, scope, dossier):
        found.add(A.REFUND_FEE)
    return found


def _signature(signature: FileSignature) -> FileSignatureOut:
    details = signature.details or {}
    return FileSignatureOut(
        position=signature.position,
        signer_name=signature.signer_name,
        signer_organisation=signature.signer_organisation,
        signed_at=signature.signed_at,
        status=signature.status,
        origin=signature.origin,
        purpose=signature.purpose,
        verified_at=signature.verified_at,
        # Long-term evidence (motcua/signing/longterm.py), kept in the details of the check.
        timestamp_at=details.get("timestamp_at"),
        timestamp_authority=details.get("timestamp_authority") or "",
        long_term=bool(details.get("long_term")),
        revocation=details.get("revocation") or "not_checked",
        level=signature.level,  # type: ignore[arg-type]
        archived_at=details.get("archived_at"),
        timestamp_valid_to=signature.timestamp_valid_to,
    )


def _files(dossier: Dossier) -> list[FileOut]:
    found = []
    for f in dossier.files.all():
        signatures = signatures_on(f)
        found.append(
            FileOut(
                id=f.pk,
                kind=f.kind,
                name=f.original_name,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
                document_position=f.document.position if f.document is not None else None,
                uploaded_at=f.uploaded_at,
                url=f"/api/v1/dossiers/{dossier.code}/files/{f.pk}",
                signatures=[_signature(s) for s in signatures],
                signed_copy_of=next((s.source_file_id for s in signatures if s.source_file_id), None),
            )
        )
    return found


def _step(user: User, step: DossierStep, scope: Scope) -> StepOut:
    return StepOut(
        id=step.pk,
        stage=step.stage,
        branch=step.branch,
        position=step.position,
        attempt=step.attempt,
        name=step.name,
        agency=named(step.agency),
        role=step.role,
        status=step.status,
        started_at=step.started_at,
        due_at=step.due_at,
        assigned_to=user_ref(step.assigned_to),
        completed_at=step.completed_at,
        completed_by=user_ref(step.completed_by),
        outcome=step.outcome,
        comment=step.comment,
        actions=step_actions(user, step, scope),
    )


def _event(event: DossierEvent) -> EventOut:
    label = Action(event.action).label if event.action in Action.values else event.action
    return EventOut(
        at=event.at,
        action=event.action,
        action_label=str(label),
        actor_name=event.actor_name,
        agency=named(event.agency) if event.agency is not None else None,
        from_status=event.from_status,
        to_status=event.to_status,
        comment=event.comment,
        data=event.data,
        public=event.public,
    )


def _request(request: SupplementRequest) -> RequestOut:
    return RequestOut(
        stage=request.stage,
        items=request.items,
        requested_at=request.requested_at,
        deadline=request.deadline,
        answered_at=request.answered_at,
        agency=named(request.agency),
    )


def _apology_out(apology: Apology) -> ApologyOut:
    return ApologyOut(
        agency=named(apology.agency),
        reason=apology.reason,
        previous_due_at=apology.previous_due_at,
        new_due_at=apology.new_due_at,
        issued_at=apology.issued_at,
        signer_name=apology.signer_name,
        signer_title=apology.signer_title,
    )


def dossier_detail(user: User, code: str) -> DossierDetail:
    """Return the dossier as `user` may see it (404 if she may not)."""
    found, as_staff = load_dossier(user, code)
    dossier = _detail_queryset(as_staff).get(pk=found.pk)
    scope = scope_for(user)
    steps = list(dossier.steps.all())
    apology = _apology(dossier)
    desk = access.is_counter_officer_of(user, dossier, scope) or access.is_director_of(user, dossier, scope)
    own = dossier.citizen_id is not None and dossier.citizen_id == user.pk
    version = dossier.procedure_version
    return DossierDetail(
        code=dossier.code,
        version=dossier.version,
        status=dossier.status,
        status_label=str(Status(dossier.status).label),
        channel=dossier.channel,
        procedure=ProcedureRef(code=dossier.procedure.code, name=version.name, version=version.number),
        receiving_point=Named(code=dossier.receiving_point.code, name=dossier.receiving_point.name),
        receiving_agency=named(dossier.receiving_agency),
        lead_agency=named(dossier.lead_agency),
        applicant=ApplicantOut(**dossier.applicant_snapshot) if as_staff else None,
        representative=dossier.representative if as_staff else None,
        form_data=dossier.form_data,
        delivery=dossier.delivery,
        delivery_address=dossier.delivery_address,
        sets=dossier.sets,
        fee_due_vnd=dossier.fee_due_vnd,
        lookup_secret=dossier.lookup_secret if desk or own else None,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        postmarked_at=dossier.postmarked_at,
        clock_started_at=dossier.clock_started_at,
        transferred_at=dossier.transferred_at,
        due_at=dossier.due_at,
        original_due_at=dossier.original_due_at,
        second_due_at=dossier.second_due_at,
        clock_paused_at=dossier.clock_paused_at,
        result_ready_at=dossier.result_ready_at,
        finished_at=dossier.finished_at,
        outcome=dossier.outcome,
        late=is_late(dossier),
        documents=[DocumentOut.from_orm(d) for d in dossier.documents.all()],
        files=_files(dossier),
        steps=[_step(user, s, scope) for s in steps],
        requests=[_request(r) for r in dossier.supplement_requests.all()],
        apology=_apology_out(apology) if apology is not None else None,
        timeline=[_event(e) for e in dossier.events.all()],
        forms=visible_forms(dossier, as_staff),
        allowed_actions=caller_actions(user, dossier, steps, scope, apology is not None),
    )
