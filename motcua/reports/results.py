"""The results report: dossiers received, resolved and still in hand per field, agency or desk.

The columns follow the provinces' periodic report on handling administrative procedures: received (online;
in person or by post; carried over from the previous period), resolved (early, on time, late) and in
hand at the end of the period (within the time limit, late). Every dossier received before the period
ended and not finished before it began is counted exactly once, in one of: resolved, ended without a
result (refused, stopped at the applicant's request, closed for lack of a supplement), or in hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Literal

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Channel, Dossier, Outcome
from motcua.dossiers.models.dossier import OPEN
from motcua.reports.periods import Period

Grouping = Literal["field", "agency", "point", "procedure"]
GROUPINGS: dict[str, tuple[str, str, object]] = {
    # grouping: (key column, label column, label of the first column)
    "field": ("procedure_version__field_id", "procedure_version__field__name", _("Field")),
    "agency": ("lead_agency_id", "lead_agency__name", _("Handling agency")),
    "point": ("receiving_point_id", "receiving_point__name", _("Receiving point")),
    "procedure": ("procedure__code", "procedure_version__name", _("Procedure")),
}


@dataclass(frozen=True)
class ResultRow:
    key: object
    label: str
    carried_over: int = 0
    new_online: int = 0
    new_direct: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    without_result: int = 0
    in_hand_on_time: int = 0
    in_hand_late: int = 0

    @property
    def new(self) -> int:
        return self.new_online + self.new_direct

    @property
    def received(self) -> int:
        return self.carried_over + self.new

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_hand(self) -> int:
        return self.in_hand_on_time + self.in_hand_late

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) ÷ resolved: DOMAIN's common definition of on-time."""
        return (self.early + self.on_time) / self.resolved if self.resolved else None

    @property
    def online_rate(self) -> float | None:
        return self.new_online / self.new if self.new else None


COUNTS = [f.name for f in fields(ResultRow) if f.name not in ("key", "label")]


@dataclass(frozen=True)
class ResultTable:
    period: Period
    grouping: str
    rows: list[ResultRow]
    total: ResultRow


def _conditions(period: Period) -> dict[str, Q]:
    start, end = period.start, period.end
    received = Q(received_at__isnull=False)
    new = Q(received_at__gte=start, received_at__lt=end)
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    in_hand = Q(received_at__lt=end) & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
    # Late at the end: its due moment (without an apology's new date) had passed and no result was
    # ready in time; a dossier waiting for the applicant's supplement then has its clock stopped.
    overdue = Q(original_due_at__lt=end) & (
        Q(result_ready_at__isnull=True) | Q(result_ready_at__gt=F("original_due_at"))
    )
    paused = Q(status=Status.WAITING_SUPPLEMENT, clock_paused_at__lt=end)
    open_at_start = Q(received_at__lt=start) & (Q(finished_at__isnull=True) | Q(finished_at__gte=start))
    return {
        "carried_over": received & open_at_start,
        "new_online": received & new & Q(channel=Channel.ONLINE),
        "new_direct": received & new & ~Q(channel=Channel.ONLINE),
        "early": received & finished & Q(outcome=Outcome.EARLY),
        "on_time": received & finished & Q(outcome=Outcome.ON_TIME),
        "late": received & finished & Q(outcome=Outcome.LATE),
        "without_result": received & finished & Q(outcome=""),
        "in_hand_on_time": received & in_hand & ~(overdue & ~paused),
        "in_hand_late": received & in_hand & overdue & ~paused,
    }


def in_period(dossiers: QuerySet[Dossier], period: Period) -> QuerySet[Dossier]:
    """The dossiers a report over `period` reads: received before it ended, not finished before it began.

    Written as three parts that indexes serve (received_at; the finished-at index; the open statuses),
    so that a month's report does not read every dossier of the province's history. Every finishing
    action sets `finished_at`, so an unfinished dossier is one in an open status.
    """
    start, end = period.start, period.end
    return dossiers.filter(
        Q(received_at__gte=start, received_at__lt=end)
        | Q(received_at__lt=start, finished_at__gte=start)
        | Q(received_at__lt=start, status__in=OPEN)
    )


def results(dossiers: QuerySet[Dossier], period: Period, *, by: str = "field") -> ResultTable:
    """Count the scope's dossiers for `period`, one row per `by` group, largest first, and the total."""
    key, label, _heading = GROUPINGS[by]
    conditions = _conditions(period)
    found = (
        in_period(dossiers, period)
        .order_by()
        .values(key)
        .annotate(label=Max(label), **{name: Count("pk", filter=q) for name, q in conditions.items()})
    )
    rows = [ResultRow(key=r[key], label=r["label"] or "", **{n: r[n] for n in COUNTS}) for r in found]
    rows.sort(key=lambda r: (-r.received, str(r.label)))
    return ResultTable(period=period, grouping=by, rows=rows, total=total_of(rows))


def total_of(rows: Iterable[ResultRow]) -> ResultRow:
    rows = list(rows)
    return ResultRow(key=None, label="", **{n: sum(getattr(r, n) for r in rows) for n in COUNTS})
