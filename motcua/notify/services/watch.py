"""The deadline watch: warn before a step goes late, escalate when it does, ask for apologies, mark overdue.

Thresholds are office time on the receiving point's working calendar ("1d" = one working day, "2h" = two
working hours). Each warning is a DeadlineWarning row with a unique key written in the same transaction
as its messages, so two watches running at once give each warning exactly once: the second insert fails
and its messages roll back with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import Exists, Expression, OuterRef
from django.utils import timezone

from motcua.core.models import User
from motcua.dossiers.lifecycle import CLOCK_RUNNING
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.notify import conf
from motcua.notify.compose import TemplateCache
from motcua.notify.conf import Threshold
from motcua.notify.context import dossier_context, step_context, threshold_text
from motcua.notify.kinds import MessageKind as K
from motcua.notify.models import DeadlineWarning, WarningKind
from motcua.notify.recipients import (
    Recipient,
    agency_inbox,
    agency_leaders,
    centre_directors,
    staff_recipients,
    unit_leaders,
)
from motcua.notify.services.outbox import drafts_for, queue
from motcua.notify.services.warnings import give_warning
from motcua.notify.services.watch_feedback import escalate_late_feedback, warn_feedback_due_soon
from motcua.org.models import ServicePoint
from motcua.workdays.deadlines import add_working_time
from motcua.workdays.selectors import calendar_for


@dataclass
class WatchReport:
    due_soon: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    apology_due: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    feedback_due_soon: list[str] = field(default_factory=list)
    feedback_late: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in vars(self).items()}


class Horizons:
    """The moment each threshold of office time from now ends, per office calendar (cached for one run)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self._cache: dict[tuple[str, str], dt.datetime] = {}

    def end(self, calendar_code: str, threshold: Threshold) -> dt.datetime:
        key = (calendar_code, threshold.label)
        if key not in self._cache:
            year = timezone.localtime(self.now).year
            cal = calendar_for(calendar_code=calendar_code or None, years=range(year, year + 2))
            self._cache[key] = add_working_time(cal, self.now, threshold.amount, threshold.unit)
        return self._cache[key]

    def widest(self, threshold: Threshold) -> dt.datetime:
        codes = set(ServicePoint.objects.values_list("calendar_code", flat=True)) | {""}
        return max(self.end(code, threshold) for code in codes)


def run_watch(*, now: dt.datetime | None = None) -> WatchReport:
    """Give every warning that is due now and has not been given; safe to run every minute, twice at once."""
    now = now or timezone.now()
    settings = conf.get()
    horizons = Horizons(now)
    report = WatchReport()
    report.due_soon = warn_steps_due_soon(now, settings.warn_thresholds, horizons)
    report.late = escalate_late_steps(now)
    report.apology_due = warn_apologies_due(now, settings.apology_threshold, horizons)
    report.overdue = mark_overdue(now)
    report.feedback_due_soon = warn_feedback_due_soon(now)
    report.feedback_late = escalate_late_feedback(now)
    return report


def _send(
    kind: str,
    key: str,
    dossier: Dossier,
    recipients: Callable[[], list[Recipient]],
    extra: Callable[[str], dict[str, Any]],
) -> Callable[[], int]:
    """Return what queues the warning's messages; it runs only once the warning row is ours."""

    def messages() -> int:
        drafts = drafts_for(
            kind=kind,
            source=f"warning:{key}",
            recipients=recipients(),
            variables=lambda language: {**dossier_context(dossier, language), **extra(language)},
            dossier_id=dossier.pk,
            templates=TemplateCache(),
        )
        return queue(drafts)

    return messages


def _holder_and_unit_leaders(step: DossierStep) -> list[Recipient]:
    return staff_recipients([step.assigned_to, *unit_leaders(step.agency)])


def _agency_leaders_and_inbox(step: DossierStep) -> list[Recipient]:
    return staff_recipients(agency_leaders(step.agency)) + agency_inbox(step.agency)


def _leaders_and_directors(dossier: Dossier) -> list[Recipient]:
    return staff_recipients(agency_leaders(dossier.lead_agency) + centre_directors(dossier))


def _threshold_values(threshold: Threshold, language: str) -> dict[str, Any]:
    return {"threshold": threshold_text(threshold.label, language)}


def _due_soon_values(step: DossierStep, threshold: Threshold, language: str) -> dict[str, Any]:
    return {**step_context(step, language), **_threshold_values(threshold, language)}


def _no_values(language: str) -> dict[str, Any]:
    return {}


def _not_warned(kind: str, threshold: str = "", *, on_step: bool = True) -> Expression:
    """Match rows without a warning of `kind` at `threshold` about their current due moment."""
    given = DeadlineWarning.objects.filter(kind=kind, threshold=threshold, due_at=OuterRef("due_at"))
    given = given.filter(step=OuterRef("pk")) if on_step else given.filter(dossier=OuterRef("pk"), step=None)
    return ~Exists(given)


def _running_steps() -> Any:
    return DossierStep.objects.filter(
        status=StepStatus.ACTIVE, counts_time=True, due_at__isnull=False, dossier__status__in=CLOCK_RUNNING
    ).select_related("dossier__receiving_point", "dossier__procedure_version", "agency", "assigned_to")


def _step_key(step: DossierStep, kind: str, threshold: str) -> str:
    assert step.due_at is not None
    return f"step:{step.pk}:{kind}:{threshold}:{step.due_at.isoformat()}"


def warn_steps_due_soon(now: dt.datetime, thresholds: Iterable[Threshold], horizons: Horizons) -> list[str]:
    """Warn the holder and unit leaders once per threshold; crossing several at once sends the tightest."""
    ordered = list(thresholds)  # widest first
    given = []
    for index, threshold in enumerate(ordered):
        tighter = ordered[index + 1 :]
        steps = _running_steps().filter(
            _not_warned(WarningKind.STEP_DUE_SOON, threshold.label),
            due_at__gt=now,
            due_at__lte=horizons.widest(threshold),
        )
        for step in steps:
            assert step.due_at is not None
            code = step.dossier.receiving_point.calendar_code
            if step.due_at > horizons.end(code, threshold):
                continue
            # A short step may cross 1d and 2h in one minute: record both, send only the 2h warning.
            silent = any(step.due_at <= horizons.end(code, t) for t in tighter)
            key = _step_key(step, "due_soon", threshold.label)
            messages = _send(
                K.STEP_DUE_SOON,
                key,
                step.dossier,
                partial(_holder_and_unit_leaders, step),
                partial(_due_soon_values, step, threshold),
            )
            if give_warning(
                key=key,
                kind=WarningKind.STEP_DUE_SOON,
                dossier=step.dossier,
                step=step,
                threshold=threshold.label,
                due_at=step.due_at,
                now=now,
                messages=None if silent else messages,
            ):
                given.append(f"{step.dossier.code} · {step.name} · {threshold.label}")
    return given


def escalate_late_steps(now: dt.datetime) -> list[str]:
    """Tell the agency's leaders (climbing to the parent agency when needed) once a step is late."""
    given = []
    for step in _running_steps().filter(_not_warned(WarningKind.STEP_LATE), due_at__lte=now):
        assert step.due_at is not None
        key = _step_key(step, "late", "")
        messages = _send(
            K.STEP_LATE,
            key,
            step.dossier,
            partial(_agency_leaders_and_inbox, step),
            partial(step_context, step),
        )
        if give_warning(
            key=key,
            kind=WarningKind.STEP_LATE,
            dossier=step.dossier,
            step=step,
            threshold="",
            due_at=step.due_at,
            now=now,
            messages=messages,
        ):
            given.append(f"{step.dossier.code} · {step.name}")
    return given


def warn_apologies_due(now: dt.datetime, threshold: Threshold, horizons: Horizons) -> list[str]:
    """Tell the agency holding a dossier close to its due moment, with no apology yet, that one may be due.

    Decree 118 (DOMAIN, Late): the agency at fault apologises at the latest one working day before the
    appointment, so the warning comes earlier than that, at the configured threshold.
    """
    widest = horizons.widest(threshold)
    dossiers = Dossier.objects.filter(
        _not_warned(WarningKind.APOLOGY_DUE, threshold.label, on_step=False),
        status__in=CLOCK_RUNNING,
        apology__isnull=True,
        due_at__gt=now,
        due_at__lte=widest,
    ).select_related("receiving_point", "lead_agency", "procedure_version", "applicant")
    given = []
    for dossier in dossiers:
        assert dossier.due_at is not None
        if dossier.due_at > horizons.end(dossier.receiving_point.calendar_code, threshold):
            continue
        key = f"dossier:{dossier.pk}:apology_due:{threshold.label}:{dossier.due_at.isoformat()}"
        messages = _send(
            K.APOLOGY_DUE,
            key,
            dossier,
            partial(_holding_agencies_people, dossier),
            partial(_threshold_values, threshold),
        )
        if give_warning(
            key=key,
            kind=WarningKind.APOLOGY_DUE,
            dossier=dossier,
            step=None,
            threshold=threshold.label,
            due_at=dossier.due_at,
            now=now,
            messages=messages,
        ):
            given.append(dossier.code)
    return given


def _holding_agencies_people(dossier: Dossier) -> list[Recipient]:
    """Return the holders of the active steps, their agencies' leaders and the agencies' own inboxes."""
    holding = list(dossier.steps.filter(status=StepStatus.ACTIVE).select_related("agency", "assigned_to"))
    agencies = {s.agency.pk: s.agency for s in holding} or {dossier.lead_agency.pk: dossier.lead_agency}
    people: list[User] = [s.assigned_to for s in holding if s.assigned_to is not None]
    inboxes: list[Recipient] = []
    for agency in agencies.values():
        people += agency_leaders(agency) + unit_leaders(agency)
        inboxes += agency_inbox(agency)
    return staff_recipients(people) + inboxes


def mark_overdue(now: dt.datetime) -> list[str]:
    """Set `overdue_marked_at` once on dossiers past their due moment, and tell their leaders."""
    candidates = Dossier.objects.filter(
        status__in=CLOCK_RUNNING, due_at__lt=now, overdue_marked_at__isnull=True
    ).select_related("receiving_point", "lead_agency", "procedure_version", "applicant")
    marked = []
    for dossier in candidates:
        assert dossier.due_at is not None
        key = f"dossier:{dossier.pk}:overdue::{dossier.due_at.isoformat()}"
        send = _send(
            K.DOSSIER_OVERDUE,
            key,
            dossier,
            partial(_leaders_and_directors, dossier),
            _no_values,
        )

        def mark_and_send(dossier: Dossier = dossier, send: Callable[[], int] = send) -> int:
            # The guard makes the mark itself idempotent; the warning key makes the messages so.
            Dossier.objects.filter(pk=dossier.pk, overdue_marked_at__isnull=True).update(
                overdue_marked_at=now
            )
            return send()

        if give_warning(
            key=key,
            kind=WarningKind.DOSSIER_OVERDUE,
            dossier=dossier,
            step=None,
            threshold="",
            due_at=dossier.due_at,
            now=now,
            messages=mark_and_send,
        ):
            marked.append(dossier.code)
    return marked
