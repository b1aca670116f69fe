"""/api/v1/reports: results of handling and the service-quality scorecard, for leaders and directors.

The same numbers as the report pages (motcua.reports), over every unit the caller leads.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from motcua.api.auth import STAFF_OR_SESSION
from motcua.api.dossiers_out import READ_ERRORS
from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.core.replicas import replica_reads
from motcua.org.access import Scope, scope_for
from motcua.reports import periods
from motcua.reports.periods import Period
from motcua.reports.results import ResultRow, results
from motcua.reports.scheme import Scorecard
from motcua.reports.selectors import may_report, quality, report_dossiers

router = Router(tags=["reports"], auth=STAFF_OR_SESSION)


class PeriodQuery(Schema):
    period: Literal["month", "quarter", "half", "year", "days"] = Field(
        "month", description="Kind of period; `days` takes `from` and `to`."
    )
    year: int | None = Field(None, ge=2000, le=2100, description="Default: this year.", examples=[2026])
    number: int = Field(1, ge=1, le=12, description="Month 1–12, quarter 1–4 or half 1–2.", examples=[11])
    first: dt.date | None = Field(None, alias="from", examples=["2026-11-01"])
    last: dt.date | None = Field(None, alias="to", examples=["2026-11-30"])

    def build(self) -> Period:
        year = self.year or timezone.localdate().year
        return periods.build(
            self.period, year_number=year, number=self.number, first=self.first, last=self.last
        )


class ResultsQuery(PeriodQuery):
    by: Literal["field", "agency", "point", "procedure"] = "field"


class PeriodOut(Schema):
    first: dt.date
    last: dt.date


class ResultRowOut(Schema):
    key: str | None = Field(description="Id of the field, agency or point; the code of a procedure.")
    label: str
    carried_over: int
    new_online: int
    new_direct: int = Field(description="Received in person or by post.")
    received: int
    early: int
    on_time: int
    late: int
    resolved: int
    without_result: int = Field(description="Refused, stopped at the applicant's request, or closed.")
    in_hand_on_time: int
    in_hand_late: int
    on_time_rate: float | None = Field(
        description="(early + on time) ÷ resolved; null when nothing resolved."
    )


class ResultsOut(Schema):
    period: PeriodOut
    by: str
    rows: list[ResultRowOut]
    total: ResultRowOut


class IndicatorOut(Schema):
    key: str
    name: str
    max_points: float
    points: float | None = Field(description="Null when MotCua cannot measure it (see `reason`).")
    numerator: int | None
    denominator: int | None
    rate: float | None
    reason: str = ""


class GroupOut(Schema):
    key: str
    name: str
    max_points: float
    points: float
    indicators: list[IndicatorOut]


class QualityOut(Schema):
    scheme: str
    legal_basis: str
    period: PeriodOut
    points: float
    measurable_points: float
    groups: list[GroupOut]


def _leader(request: HttpRequest) -> tuple[User, Scope]:
    user: User = request.user  # type: ignore[assignment]
    scope = scope_for(user)
    if not may_report(scope):
        raise NotFound(_("Reports are for unit leaders, agency leaders, centre directors and the province."))
    return user, scope


def _row(row: ResultRow, label: str | None = None) -> ResultRowOut:
    return ResultRowOut(
        key=None if row.key is None else str(row.key),
        label=row.label if label is None else label,
        carried_over=row.carried_over,
        new_online=row.new_online,
        new_direct=row.new_direct,
        received=row.received,
        early=row.early,
        on_time=row.on_time,
        late=row.late,
        resolved=row.resolved,
        without_result=row.without_result,
        in_hand_on_time=row.in_hand_on_time,
        in_hand_late=row.in_hand_late,
        on_time_rate=row.on_time_rate,
    )


@router.get("/results", response={200: ResultsOut, **READ_ERRORS}, summary="Results of handling in a period")
def get_results(request: HttpRequest, query: Query[ResultsQuery]) -> ResultsOut:
    with replica_reads():
        user, scope = _leader(request)
        table = results(report_dossiers(user, scope), query.build(), by=query.by)
        return ResultsOut(
            period=PeriodOut(first=table.period.first, last=table.period.last),
            by=table.grouping,
            rows=[_row(r) for r in table.rows],
            total=_row(table.total, label=_("Total")),
        )


def _groups(card: Scorecard) -> list[GroupOut]:
    return [
        GroupOut(
            key=g.group.key,
            name=g.group.name,
            max_points=g.group.points,
            points=g.points,
            indicators=[
                IndicatorOut(
                    key=s.indicator.key,
                    name=s.indicator.name,
                    max_points=s.indicator.points,
                    points=s.points,
                    numerator=s.measurement.numerator if s.measurement.measured else None,
                    denominator=s.measurement.denominator if s.measurement.measured else None,
                    rate=s.measurement.rate,
                    reason=s.measurement.reason,
                )
                for s in g.indicators
            ],
        )
        for g in card.groups
    ]


@router.get(
    "/quality", response={200: QualityOut, **READ_ERRORS}, summary="Service-quality scorecard (Decision 766)"
)
def get_quality(request: HttpRequest, query: Query[PeriodQuery]) -> QualityOut:
    with replica_reads():
        user, scope = _leader(request)
        period = query.build()
        card = quality(scope, report_dossiers(user, scope), period)
        return QualityOut(
            scheme=card.scheme.key,
            legal_basis=card.scheme.legal_basis,
            period=PeriodOut(first=period.first, last=period.last),
            points=card.points,
            measurable_points=card.measurable,
            groups=_groups(card),
        )
