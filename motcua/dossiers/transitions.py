"""Apply one lifecycle action to a locked dossier and append its event, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, Required, TypedDict, TypeVar, Unpack

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from motcua.core import refcache, rows
from motcua.core.errors import Conflict
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.lifecycle import next_status
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, StepStatus
from motcua.org.access import Scope
from motcua.org.models import Agency

P = ParamSpec("P")
R = TypeVar("R")


def operation(func: Callable[P, R]) -> Callable[P, R]:
    """A dossier service: one transaction, with the reference data checked once.

    The service edits no reference data, so one check holds for the whole call: calendars, roles,
    templates and names then come from the caches (core/refcache.py).
    """
    atomic = transaction.atomic(func)

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with refcache.reference_checked_once():
            return atomic(*args, **kwargs)

    return run


_FOR_UPDATE = rows.Prepared(
    lambda code: Dossier.objects.select_for_update().filter(code=code).order_by(), code=str
)
PROCESS_ORDER = ("stage", "branch", "position", "attempt")
_STEPS = rows.Prepared(
    lambda dossier_id: DossierStep.objects.filter(dossier_id=dossier_id).order_by(*PROCESS_ORDER),
    dossier_id=int,
)
# The same steps found by the dossier's code: read in the same round trip as the lock (PostgreSQL).
_STEPS_BY_CODE = rows.Prepared(
    lambda code: DossierStep.objects.filter(dossier__code=code).order_by(*PROCESS_ORDER),
    code=str,
)
STEPS_KEY = "_locked_steps"


def lock_dossier(
    code: str,
    *,
    expected_version: int | None = None,
    actor: User | None = None,
    scope: Scope | None = None,
) -> Dossier:
    """Load a dossier for change, locking its row.

    With `actor`, a dossier the actor may not see is "not found" before any version check, so a stale
    version never reveals that a code exists; then a change since `expected_version` is a conflict.
    Without `scope`, the actor's scope is computed after the lock's read (from the reference cache).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_dossier must run inside a transaction")
    if rows.batches():
        # One round trip: the reference token when this operation has not read it yet (the actor's
        # scope then comes from the cache), the locked row, and the steps nearly every operation reads.
        token = refcache.token_query_due()
        queries: list[tuple[Any, dict[str, Any]]] = [
            (_FOR_UPDATE, {"code": code}),
            (_STEPS_BY_CODE, {"code": code}),
        ]
        if token is not None:
            queries.insert(0, (token, {}))
        found = rows.read_together(*queries)
        if token is not None:
            refcache.took_token(found.pop(0))
        dossier = found[0][0] if found[0] else None
        if dossier is not None:
            _keep_steps(dossier, found[1])
    else:
        dossier = _FOR_UPDATE.first(code=code)
    if dossier is None or (
        actor is not None and not access.can_see(actor, dossier, scope, steps=lambda: steps_of(dossier))
    ):
        raise access.not_found(code)
    if expected_version is not None and dossier.version != expected_version:
        raise Conflict(
            _("Someone else has just updated the dossier. Please reload the page and try again."),
            code="dossier_changed",
            fields={"expected_version": expected_version, "version": dossier.version},
        )
    return dossier


def steps_of(dossier: Dossier) -> list[DossierStep]:
    """Return the locked dossier's steps in process order, read once per operation.

    The row lock keeps them from changing under us; a step this operation adds goes through
    `add_step`, so the list stays the truth until the transaction ends.
    """
    found: list[DossierStep] | None = dossier.__dict__.get(STEPS_KEY)
    if found is None:
        found = _keep_steps(dossier, _STEPS.rows(dossier_id=dossier.pk))
    return found


def _keep_steps(dossier: Dossier, steps: list[DossierStep]) -> list[DossierStep]:
    for step in steps:
        DossierStep.dossier.field.set_cached_value(step, dossier)
    dossier.__dict__[STEPS_KEY] = steps
    return steps


def add_step(dossier: Dossier, step: DossierStep) -> DossierStep:
    """Insert a new step row and keep it in the dossier's step list."""
    rows.insert(step)
    steps = steps_of(dossier)
    steps.append(step)
    steps.sort(key=lambda s: (s.stage, s.branch, s.position, s.attempt))
    return step


def cancel_open_steps(dossier: Dossier) -> None:
    """Cancel every step still waiting or at work: the dossier ended before them."""
    open_steps = [s for s in steps_of(dossier) if s.status in (StepStatus.ACTIVE, StepStatus.PENDING)]
    if not open_steps:
        return
    DossierStep.objects.filter(pk__in=[s.pk for s in open_steps]).update(status=StepStatus.CANCELLED)
    for step in open_steps:
        step.status = StepStatus.CANCELLED
        rows.remember(step)


def actor_name(actor: User | None) -> str:
    if actor is None:
        return "Hệ thống"
    return actor.full_name or actor.get_username()


class ActionDetails(TypedDict, total=False):
    """What an action records besides its name: see `transition`."""

    actor: Required[User | None]
    at: Required[dt.datetime]
    step: DossierStep | None
    agency: Agency | int | None
    comment: str
    data: dict[str, Any] | None
    public: bool
    changes: dict[str, Any] | None
    versioned: bool


def apply_action(
    dossier: Dossier,
    action: str,
    *,
    also: Sequence[Model] = (),
    **details: Unpack[ActionDetails],
) -> DossierEvent:
    """Move the dossier by `action` (refused unless the transitions table allows it) and record the event.

    `also`: rows the operation changed (its steps), written together with the dossier and the event.
    `details`: as for `transition`.
    """
    new = dossier._state.adding
    event = transition(dossier, action, **details)
    if new:
        rows.insert(dossier)
    return record(dossier, event, also=also)


def record(dossier: Dossier, event: DossierEvent, *, also: Sequence[Model] = ()) -> DossierEvent:
    """Write the changed dossier (and `also`) with the event `transition` made, and queue its messages."""
    reads, keep = message_reads([event])
    keep(rows.save_and_insert([*also, dossier], event, *reads))
    announce([event])
    return event


def transition(
    dossier: Dossier,
    action: str,
    *,
    actor: User | None,
    at: dt.datetime,
    step: DossierStep | None = None,
    agency: Agency | int | None = None,
    comment: str = "",
    data: dict[str, Any] | None = None,
    public: bool = True,
    changes: dict[str, Any] | None = None,
    versioned: bool = True,
) -> DossierEvent:
    """Move the dossier by `action` in memory and return its event, neither of them written yet.

    Refused unless the transitions table allows the move. The caller writes both in its transaction
    (`apply_action` does), then calls `announce`. `versioned=False`: a record made in the background
    that changes nothing an officer's open page shows (an e-receipt sealed after the payment) keeps
    the version, so her next action on the page is not refused as stale.
    """
    from_status = dossier.status or ""
    to_status = next_status(dossier.status or None, action)
    dossier.status = to_status
    for key, value in (changes or {}).items():
        setattr(dossier, key, value)
    if from_status and versioned:  # the first action creates the dossier, at its first version
        dossier.version += 1
    # An id is enough to record the acting agency; messages that name it load it when they need it.
    agency_ref: dict[str, Any] = {"agency_id": agency} if isinstance(agency, int) else {"agency": agency}
    return rows.build(
        DossierEvent,
        dossier=dossier,
        at=at,
        action=action,
        actor=actor,
        actor_name=actor_name(actor),
        **agency_ref,
        from_status=from_status,
        to_status=to_status,
        step=step,
        comment=comment,
        data=data or {},
        public=public,
    )


def message_reads(
    events: Sequence[DossierEvent],
) -> tuple[list[tuple[Any, dict[str, Any]]], Callable[[list[list[Any]]], None]]:
    """What `announce` will read for these events, to send with their writes (see notify.events)."""
    from motcua.notify.events import reads_for_events

    return reads_for_events(events)


def announce(events: Sequence[DossierEvent]) -> None:
    """Queue the messages the written events cause, in the same transaction (the outbox)."""
    from motcua.notify.events import enqueue_for_event

    for event in events:
        enqueue_for_event(event)
