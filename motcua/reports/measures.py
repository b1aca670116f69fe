"""What MotCua can count for each measure of the quality scheme, over a staff scope and a period.

Each measure returns a `Measurement` (numerator, denominator) or, where the data is not in MotCua, the
reason it cannot be measured: such indicators are shown as such, never as a made-up rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.catalog.choices import OnlineLevel, RefKind
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import versions_in_force
from motcua.dossiers.models import Apology, Dossier, DossierDocument, FileKind, Outcome, StoredFile
from motcua.dossiers.selectors import receivable_q
from motcua.feedback.selectors import Satisfaction, satisfaction
from motcua.org.access import Scope
from motcua.org.models import Agency, ServicePoint
from motcua.payments.selectors import NO_FEES_SETTLED, online_payment_counts
from motcua.reports.periods import Period
from motcua.reports.results import ResultTable
from motcua.reports.scheme import Measurement


@dataclass(frozen=True)
class Inputs:
    """What the measures read: the scope's dossiers and procedures, the period, and its results table."""

    scope: Scope
    dossiers: QuerySet[Dossier]
    period: Period
    table: ResultTable

    def new(self) -> QuerySet[Dossier]:
        return self.dossiers.filter(received_at__gte=self.period.start, received_at__lt=self.period.end)

    @cached_property
    def satisfaction(self) -> Satisfaction:
        """Decision 766's satisfaction sub-indicators, as the feedback app counts them (two queries)."""
        return satisfaction(
            scope=self.scope, dossiers=self.dossiers, start=self.period.start, end=self.period.end
        )

    def resolved(self) -> QuerySet[Dossier]:
        return self.dossiers.filter(
            finished_at__gte=self.period.start, finished_at__lt=self.period.end
        ).exclude(outcome="")


def procedures_of(scope: Scope, period: Period) -> QuerySet[ProcedureVersion]:
    """Published versions in force on the period's last day that the scope's agencies or points handle."""
    versions = versions_in_force(period.last)
    if scope.is_province_admin:
        return versions
    sectors = set(
        Agency.objects.filter(pk__in=scope.agency_ids).exclude(sector="").values_list("sector", flat=True)
    )
    handled = [
        Q(lead_kind=RefKind.FIXED, lead_agency_id__in=scope.agency_ids),
        Q(lead_kind=RefKind.LOCAL, lead_sector__in=sectors),
        *(receivable_q(point) for point in ServicePoint.objects.filter(pk__in=scope.service_point_ids)),
    ]
    return versions.filter(reduce(or_, handled))


def _procedures_complete(data: Inputs) -> Measurement:
    # Published "in full": the documents to bring, the result and the legal basis are all stated.
    counts = procedures_of(data.scope, data.period).aggregate(
        total=Count("pk", distinct=True),
        complete=Count(
            "pk",
            distinct=True,
            filter=Q(documents__isnull=False) & ~Q(result="") & ~Q(legal_basis=""),
        ),
    )
    return Measurement(counts["complete"], counts["total"])


def _online_procedures(data: Inputs) -> Measurement:
    counts = procedures_of(data.scope, data.period).aggregate(
        total=Count("pk"),
        online=Count("pk", filter=Q(online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL])),
    )
    return Measurement(counts["online"], counts["total"])


def _on_time(data: Inputs) -> Measurement:
    total = data.table.total
    return Measurement(total.early + total.on_time, total.resolved)


def _apologised_late(data: Inputs) -> Measurement:
    late = data.resolved().filter(outcome=Outcome.LATE)
    counts = late.aggregate(
        total=Count("pk"),
        apologised=Count("pk", filter=Q(Exists(Apology.objects.filter(dossier=OuterRef("pk"))))),
    )
    return Measurement(counts["apologised"], counts["total"])


def _online_dossiers(data: Inputs) -> Measurement:
    total = data.table.total
    return Measurement(total.new_online, total.new)


def _online_payments(data: Inputs) -> Measurement:
    # Counted by the payments app (motcua/payments/selectors.py, docs/payments.md).
    online, settled = online_payment_counts(data.dossiers, data.period.start, data.period.end)
    if not settled:
        return Measurement(reason=str(NO_FEES_SETTLED))
    return Measurement(online, settled)


def _digitised_dossiers(data: Inputs) -> Measurement:
    # Every document the applicant provided has its scan or file in the dossier.
    unscanned = DossierDocument.objects.filter(dossier=OuterRef("pk"), provided=True, files__isnull=True)
    counts = data.new().aggregate(total=Count("pk"), digitised=Count("pk", filter=~Q(Exists(unscanned))))
    return Measurement(counts["digitised"], counts["total"])


def _electronic_results(data: Inputs) -> Measurement:
    result_file = StoredFile.objects.filter(dossier=OuterRef("pk"), kind=FileKind.RESULT)
    counts = data.resolved().aggregate(
        total=Count("pk"), electronic=Count("pk", filter=Q(Exists(result_file)))
    )
    return Measurement(counts["electronic"], counts["total"])


def _data_reuse(data: Inputs) -> Measurement:
    # Decree 45/2020 art. 16–17: a dossier that reused at least one digitised document of its applicant.
    reused = StoredFile.objects.filter(dossier=OuterRef("pk"), kind=FileKind.REUSED)
    counts = data.new().aggregate(total=Count("pk"), reusing=Count("pk", filter=Q(Exists(reused))))
    return Measurement(counts["reusing"], counts["total"])


def _satisfaction(code: str) -> Callable[[Inputs], Measurement]:
    def measure(data: Inputs) -> Measurement:
        ratio = data.satisfaction.indicator(code)
        if ratio is None:
            return Measurement(reason=_("The satisfaction scheme in force has no such indicator."))
        return Measurement(ratio.numerator, ratio.denominator)

    return measure


def _not_measured(reason: Callable[[], str]) -> Callable[[Inputs], Measurement]:
    return lambda data: Measurement(reason=reason())


MEASURES: dict[str, Callable[[Inputs], Measurement]] = {
    "procedures_complete": _procedures_complete,
    "national_portal_sync": _not_measured(
        lambda: _(
            "Needs the connection to the National Public Service Portal (Circular 04/2025), not built yet."
        )
    ),
    "on_time": _on_time,
    "apologised_late": _apologised_late,
    "online_procedures": _online_procedures,
    "online_dossiers": _online_dossiers,
    "online_payments": _online_payments,
    "digitised_dossiers": _digitised_dossiers,
    "electronic_results": _electronic_results,
    "data_reuse": _data_reuse,
    # Counted by the feedback app, whose scheme defines them (motcua/feedback/data/satisfaction.json).
    **{
        code: _satisfaction(code) for code in ("feedback_on_time", "feedback_satisfied", "dossiers_satisfied")
    },
}


def measure(data: Inputs, names: set[str]) -> dict[str, Measurement]:
    """Measure each named measure MotCua knows; an unknown name gets no entry (scored as not measured)."""
    return {name: MEASURES[name](data) for name in names if name in MEASURES}
