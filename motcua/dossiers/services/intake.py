"""Receiving dossiers at the counter or from the post: accept, request completion, refuse."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import rows
from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import (
    Channel,
    Dossier,
    RequestStage,
)
from motcua.dossiers.services.filing import (
    IntakeIn,
    RequestItem,
    _paper_channel,
    missing_documents,
    prepare_filing,
)
from motcua.dossiers.services.new_dossier import (
    attach_documents,
    checklist,
    clock_changes,
    new_dossier,
    store_uploads,
)
from motcua.dossiers.services.requests import record_completion_request
from motcua.dossiers.services.reuse import (
    attach_reused,
    reused_event_data,
)
from motcua.dossiers.services.steps import plan_processing
from motcua.dossiers.transitions import (
    announce,
    apply_action,
    message_reads,
    operation,
    transition,
)
from motcua.org.models import ServicePoint


@operation
def receive_dossier(
    *,
    data: IntakeIn,
    point: ServicePoint,
    actor: User,
    channel: str = Channel.COUNTER,
    now: dt.datetime | None = None,
) -> Dossier:
    """Accept a complete dossier at the counter or from the post: code, appointment, steps, receipt."""
    now = now or timezone.now()
    access.require_counter_officer(actor, point)
    filing = prepare_filing(data.procedure_code, _paper_channel(channel), point, data, now)
    missing = missing_documents(filing.version, data.provided_positions)
    if missing:
        raise ValidationFailed(
            _("The dossier is missing: %(missing)s. Request completion or receive all the documents.")
            % {"missing": "; ".join(missing)},
            code="documents_missing",
            fields={"missing": missing},
        )
    dossier = new_dossier(data=data, filing=filing, channel=channel, point=point, citizen=None, now=now)
    # Postal dossiers count from the postmark (DOMAIN, Lifecycle 4); counter dossiers from now.
    received_at = data.postmarked_at if channel == Channel.POST and data.postmarked_at else now
    received = transition(
        dossier,
        Action.RECEIVE,
        actor=actor,
        at=now,
        agency=point.agency,
        changes={"received_at": received_at, "received_by": actor, **clock_changes(dossier, received_at)},
        data={"channel": channel, **reused_event_data(filing.reused)},
    )
    steps, moved = plan_processing(dossier, actor=actor, now=now)
    events, documents = [received, *moved], checklist(dossier, data)
    # Built in memory first, so the new dossier is written once, in its state after the transfer;
    # on PostgreSQL its id was drawn in advance, so it goes with its rows and the message's read.
    reads, keep = message_reads(events)
    keep(rows.insert_together([dossier], events, documents, steps, then=reads))
    store_uploads(dossier, data, actor, documents)
    attach_reused(dossier, filing.reused, documents, actor)
    announce(events)
    return dossier


@operation
def request_completion_at_counter(
    *,
    data: IntakeIn,
    point: ServicePoint,
    actor: User,
    items: list[RequestItem],
    channel: str = Channel.COUNTER,
    now: dt.datetime | None = None,
) -> Dossier:
    """Record an incomplete dossier and the one request listing everything it needs (form 02)."""
    now = now or timezone.now()
    access.require_counter_officer(actor, point)
    filing = prepare_filing(data.procedure_code, _paper_channel(channel), point, data, now)
    dossier = new_dossier(data=data, filing=filing, channel=channel, point=point, citizen=None, now=now)
    apply_action(
        dossier,
        Action.REQUEST_COMPLETION,
        actor=actor,
        at=now,
        agency=point.agency,
        changes={"received_by": actor},
        data=reused_event_data(filing.reused),
    )
    attach_documents(dossier, data, actor, reused=filing.reused)
    record_completion_request(
        dossier, items=items, actor=actor, agency=point.agency, stage=RequestStage.INTAKE, now=now
    )
    return dossier


@operation
def refuse_at_counter(
    *,
    data: IntakeIn,
    point: ServicePoint,
    actor: User,
    reasons: str,
    channel: str = Channel.COUNTER,
    now: dt.datetime | None = None,
) -> Dossier:
    """Refuse a dossier at the counter with reasons (form 03); it keeps a code for the record."""
    now = now or timezone.now()
    access.require_counter_officer(actor, point)
    if not reasons.strip():
        raise ValidationFailed(
            _("State the reasons for refusal."), code="reason_required", fields={"reasons": "required"}
        )
    filing = prepare_filing(data.procedure_code, _paper_channel(channel), point, data, now)
    dossier = new_dossier(data=data, filing=filing, channel=channel, point=point, citizen=None, now=now)
    apply_action(
        dossier,
        Action.REFUSE_INTAKE,
        actor=actor,
        at=now,
        agency=point.agency,
        comment=reasons.strip(),
        changes={"received_by": actor, "finished_at": now},
        data=reused_event_data(filing.reused),
    )
    attach_documents(dossier, data, actor, reused=filing.reused)
    return dossier
