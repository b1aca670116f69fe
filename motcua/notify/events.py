"""From a dossier event to the messages it causes, queued in the same transaction (called by apply_action).

Read CITIZEN_KINDS to know what the applicant is told after each action. Transfers, steps taken or
completed and notes are internal: the applicant hears about the outcome, not about every hand-over.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from motcua.core.models import User
from motcua.core.refcache import ReferenceCache
from motcua.core.rows import Prepared
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.transitions import STEPS_KEY
from motcua.feedback.models import Rating
from motcua.feedback.schemes import scheme_named
from motcua.notify.compose import TemplateCache
from motcua.notify.context import delivery_text, dossier_context, moment, person, status_text, step_context
from motcua.notify.kinds import MessageKind as K
from motcua.notify.models import MessageChannel, WebhookEndpoint
from motcua.notify.recipients import (
    Recipient,
    citizen_recipients,
    keep_preference,
    point_leaders,
    preference_read,
    staff_recipients,
)
from motcua.notify.services.outbox import Draft, drafts_for, queue
from motcua.payments.words import format_vnd

CITIZEN_KINDS: dict[str, str] = {
    Action.SUBMIT_ONLINE: K.SUBMITTED,
    Action.RECEIVE: K.RECEIVED,
    Action.ACCEPT: K.RECEIVED,
    Action.REQUEST_COMPLETION: K.SUPPLEMENT_NEEDED,
    Action.REQUEST_SUPPLEMENT: K.SUPPLEMENT_NEEDED,
    Action.RECEIVE_SUPPLEMENT: K.SUPPLEMENT_RECEIVED,
    Action.RECEIVE_SUPPLEMENT_AT_DESK: K.SUPPLEMENT_RECEIVED,
    Action.ISSUE_APOLOGY: K.APOLOGY,
    Action.MARK_RESULT_READY: K.RESULT_READY,
    Action.HAND_OVER: K.RETURNED,
    Action.REFUSE_INTAKE: K.REFUSED,
    Action.REFUSE: K.REFUSED,
    Action.STOP: K.STOPPED,
    Action.ABANDON: K.ABANDONED,
    Action.PAY_ONLINE: K.FEE_PAID,
}


def enqueue_for_event(event: DossierEvent) -> int:
    """Queue every message `event` causes (applicant, staff, agencies' webhooks); return how many."""
    templates = TemplateCache()
    drafts = _citizen_drafts(event, templates) + _staff_drafts(event, templates) + _webhook_drafts(event)
    drafts += _unsatisfied_drafts(event, templates)
    return queue(drafts)


def reads_for_events(
    events: Sequence[DossierEvent],
) -> tuple[list[tuple[Any, dict[str, Any]]], Callable[[list[list[Any]]], None]]:
    """The reads the messages of `events` will need, to send with the writes that record the events.

    Return the queries and a function to give their results to, before `enqueue_for_event` runs.
    """
    dossiers: list[Dossier] = []
    for event in events:
        if event.action in CITIZEN_KINDS and event.public and all(d is not event.dossier for d in dossiers):
            dossiers.append(event.dossier)
    reads = [(d, read) for d in dossiers if (read := preference_read(d)) is not None]

    def keep(found: list[list[Any]]) -> None:
        for (dossier, (_query, values)), rows in zip(reads, found, strict=True):
            keep_preference(dossier, values, rows)

    return [read for _d, read in reads], keep


def _citizen_drafts(event: DossierEvent, templates: TemplateCache) -> list[Draft]:
    kind = CITIZEN_KINDS.get(event.action)
    if kind is None or not event.public:
        return []
    dossier = event.dossier

    def variables(language: str) -> dict[str, Any]:
        # The status this event brought: the same operation may already have moved the dossier on.
        status = {"status": status_text(event.to_status, language)}
        return {**dossier_context(dossier, language), **status, **_event_values(event, kind, language)}

    return _event_drafts(event, kind, citizen_recipients(dossier), variables, templates)


def _event_values(event: DossierEvent, kind: str, language: str) -> dict[str, Any]:
    """Return what this kind of message says beyond the dossier itself, from the event's own record."""
    data = event.data or {}
    dossier = event.dossier
    values: dict[str, Any] = {"at": moment(event.at), "reason": event.comment}
    if kind == K.RECEIVED:
        values["received_at"] = moment(dossier.received_at or event.at)
    elif kind == K.SUPPLEMENT_NEEDED:
        items = data.get("items") or []
        values["items"] = [f"{i.get('name', '')}: {i.get('reason', '')}".strip(": ") for i in items]
        values["deadline"] = moment(data.get("deadline"))
        agency = event.agency
        values["contact"] = f"{event.actor_name} – {agency.name}" if agency else event.actor_name
    elif kind == K.APOLOGY:
        values["previous_due_at"] = moment(data.get("previous_due_at"))
        values["new_due_at"] = moment(data.get("new_due_at"))
        values["apologising_agency"] = (event.agency or dossier.lead_agency).name
    elif kind == K.RESULT_READY:
        values["delivery"] = delivery_text(dossier.delivery, language)
    elif kind == K.RETURNED:
        values["method"] = delivery_text(data.get("method") or dossier.delivery, language)
        values["tracking_number"] = data.get("tracking_number", "")
    elif kind == K.FEE_PAID:
        unit = "VND" if language == "en" else "đồng"
        values["amount"] = f"{format_vnd(int(data.get('amount_vnd') or 0))} {unit}"
        values["receipt"] = data.get("receipt", "")
        values["transaction_id"] = data.get("transaction_id", "")
    return values


def _event_drafts(
    event: DossierEvent,
    kind: str,
    recipients: list[Recipient],
    variables: Callable[[str], dict[str, Any]],
    templates: TemplateCache,
) -> list[Draft]:
    """Render `kind` for the recipients, as caused by `event` (its key makes a repeat a no-op)."""
    return drafts_for(
        kind=kind,
        source=f"event:{event.pk}",
        recipients=recipients,
        variables=variables,
        dossier_id=event.dossier.pk,
        event_id=event.pk,
        templates=templates,
    )


def _staff_drafts(event: DossierEvent, templates: TemplateCache) -> list[Draft]:
    step: DossierStep | None = None
    people: list[User | None] = []
    kind = K.STEP_ASSIGNED
    if event.action == Action.ASSIGN_STEP and event.step is not None:
        step = event.step
        people = [step.assigned_to] if step.assigned_to_id != event.actor_id else []
    elif event.action == Action.RETURN_STEP:
        reopened = (event.data or {}).get("to_step")
        step = DossierStep.objects.filter(pk=reopened).select_related("agency").first() if reopened else None
        holder = _previous_holder(step) if step is not None else None
        kind, people = K.STEP_RETURNED, [holder] if holder and holder.pk != event.actor_id else []
    if step is None or not any(people):
        return []
    held: DossierStep = step
    dossier = event.dossier

    def variables(language: str) -> dict[str, Any]:
        values = {**dossier_context(dossier, language), **step_context(held, language)}
        return {**values, "by": event.actor_name, "reason": event.comment, "at": moment(event.at)}

    return _event_drafts(event, kind, staff_recipients(people), variables, templates)


def _unsatisfied_drafts(event: DossierEvent, templates: TemplateCache) -> list[Draft]:
    """An applicant not satisfied: tell the receiving point's directors (else its agency's leaders)."""
    data = event.data or {}
    if event.action != Action.RATE or data.get("satisfied", True):
        return []
    dossier = event.dossier
    rating = Rating.objects.filter(dossier_id=dossier.pk).first()
    level = scheme_named(rating.scheme).level(rating.level) if rating is not None else None
    people = point_leaders(dossier.receiving_point_id, dossier.receiving_agency)

    def variables(language: str) -> dict[str, Any]:
        label = (level.label.en if language == "en" and level.label.en else level.label.vi) if level else ""
        return {
            **dossier_context(dossier, language),
            "level": label,
            "total": f"{rating.total}/{rating.max_total}" if rating is not None else "",
            "comment": rating.comment if rating is not None else "",
            "at": moment(event.at),
        }

    return _event_drafts(event, K.RATING_UNSATISFIED, staff_recipients(people), variables, templates)


def _previous_holder(step: DossierStep) -> User | None:
    """Return who did the returned step before: its earlier attempt's doer, else whoever holds it."""
    earlier = (
        DossierStep.objects.filter(
            dossier_id=step.dossier_id,
            stage=step.stage,
            branch=step.branch,
            position=step.position,
            attempt__lt=step.attempt,
        )
        .select_related("completed_by", "assigned_to")
        .order_by("-attempt")
        .first()
    )
    if earlier is not None:
        return earlier.completed_by or earlier.assigned_to
    return step.assigned_to or step.completed_by


# Every event asks which agencies listen: the active endpoints are reference data (core/refcache.py).
_ACTIVE_ENDPOINTS = Prepared(lambda: WebhookEndpoint.objects.filter(active=True).order_by("pk"), track=False)
_ENDPOINTS: ReferenceCache[str, tuple[WebhookEndpoint, ...]] = ReferenceCache(
    lambda _key: tuple(_ACTIVE_ENDPOINTS.rows())
)
_STEP_AGENCIES = Prepared(
    lambda dossier_id: DossierStep.objects.filter(dossier_id=dossier_id).order_by("pk"),
    track=False,
    dossier_id=int,
)


def _listening(event: DossierEvent) -> list[WebhookEndpoint]:
    """The endpoints of the agencies on the dossier (receiving, handling, acting, any step) that want it."""
    wanting = [e for e in _ENDPOINTS.get("all") if e.wants(event.action)]
    if not wanting:
        return []
    dossier = event.dossier
    agencies = {dossier.lead_agency_id, dossier.receiving_agency_id, event.agency_id}
    if any(e.agency_id not in agencies for e in wanting):
        steps = dossier.__dict__.get(STEPS_KEY)  # the locked dossier's steps, when the operation read them
        if steps is None:
            steps = _STEP_AGENCIES.rows(dossier_id=dossier.pk)
        agencies |= {s.agency_id for s in steps}
    return [e for e in wanting if e.agency_id in agencies]


def _webhook_drafts(event: DossierEvent) -> list[Draft]:
    """Signed copies for the agencies on the dossier (receiving, handling, any step) that want the event."""
    endpoints = _listening(event)
    if not endpoints:
        return []
    dossier = event.dossier
    body = json.dumps(webhook_payload(event), ensure_ascii=False, sort_keys=True)
    return [
        Draft(
            source=f"event:{event.pk}",
            kind=K.WEBHOOK,
            channel=MessageChannel.WEBHOOK,
            recipient=endpoint.url,
            subject=f"dossier.{event.action}",
            body=body,
            dossier_id=dossier.pk,
            event_id=event.pk,
            endpoint_id=endpoint.pk,
        )
        for endpoint in endpoints
    ]


def webhook_payload(event: DossierEvent) -> dict[str, Any]:
    """Return the JSON sent to agencies: what happened, to which dossier, at which step, when."""
    dossier = event.dossier
    step = event.step
    return {
        "type": f"dossier.{event.action}",
        "event_id": event.pk,
        "at": event.at.isoformat(),
        "dossier": {
            "code": dossier.code,
            "status": dossier.status,
            "procedure": dossier.procedure.code,
            "lead_agency": dossier.lead_agency.code,
            "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        },
        "from_status": event.from_status,
        "to_status": event.to_status,
        "agency": event.agency.code if event.agency else None,
        "actor": event.actor_name,
        "step": (
            {
                "id": step.pk,
                "name": step.name,
                "agency": step.agency.code,
                "status": step.status,
                "due_at": step.due_at.isoformat() if step.due_at else None,
                "assigned_to": person(step.assigned_to) or None,
            }
            if step is not None
            else None
        ),
    }
