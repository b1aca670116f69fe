"""Reads behind the report pages and API: a staff member's dossiers, results and quality scorecard."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.core.models import User
from motcua.dossiers.access import staff_dossiers
from motcua.dossiers.models import Dossier
from motcua.org.access import Scope
from motcua.org.context import BOARD_ROLES
from motcua.reports.measures import Inputs, measure
from motcua.reports.periods import Period
from motcua.reports.results import ResultTable, results
from motcua.reports.scheme import Scorecard, in_force, score


def may_report(scope: Scope) -> bool:
    """Reports are for those who lead: the roles that see the board."""
    return bool(scope.roles & BOARD_ROLES)


def report_dossiers(user: User, scope: Scope) -> QuerySet[Dossier]:
    return staff_dossiers(user, scope)


def quality(
    scope: Scope, dossiers: QuerySet[Dossier], period: Period, table: ResultTable | None = None
) -> Scorecard:
    """Score the period with the scheme in force on its last day."""
    table = table or results(dossiers, period)
    scheme = in_force(period.last)
    needed = {i.measure for g in scheme.groups for i in g.indicators}
    return score(scheme, measure(Inputs(scope=scope, dossiers=dossiers, period=period, table=table), needed))
