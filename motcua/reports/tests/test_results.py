"""The results report counts each dossier of a period once, in the column its history puts it."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import at
from motcua.reports import periods
from motcua.reports.results import results

from .conftest import NOVEMBER, Month


def _all() -> QuerySet[Dossier]:
    return Dossier.objects.all()


def test_november_counts_each_dossier_in_the_column_its_history_puts_it(month: Month):
    table = results(_all(), NOVEMBER)

    t = table.total
    assert t.carried_over == 2  # both October dossiers were still in hand on 1 November
    assert (t.new_online, t.new_direct) == (1, 4)  # the online one; two on the spot, the refused, the 28th's
    assert month.carried_resolved.outcome == "late" and (t.early + t.on_time, t.late) == (2, 1)
    assert t.without_result == 1  # the refusal
    # The 28th's is due in December; October's and the online one (due 26 November) are late.
    assert (t.in_hand_on_time, t.in_hand_late) == (1, 2)
    assert t.received == t.resolved + t.without_result + t.in_hand  # every dossier exactly once
    assert t.on_time_rate == 2 / 3


def test_a_dossier_received_after_the_period_is_not_counted_and_its_month_carries_over(month: Month):
    december = results(_all(), periods.month(2025, 12)).total

    assert december.carried_over == 3  # the three in hand at the end of November
    assert december.new == 1
    assert december.resolved == 0
    assert december.in_hand_late == 4  # nobody worked on them: all past their limit by 31 December


def test_rows_group_by_field_agency_point_or_procedure_and_add_up_to_the_total(month: Month):
    for by in ("field", "agency", "point", "procedure"):
        table = results(_all(), NOVEMBER, by=by)

        assert table.rows, by
        assert sum(r.received for r in table.rows) == table.total.received
        assert all(r.label for r in table.rows)
    by_procedure = {r.key: r for r in results(_all(), NOVEMBER, by="procedure").rows}
    assert by_procedure["2.000815"].resolved == 2 and by_procedure["2.000815"].late == 0


def test_lateness_in_hand_is_judged_at_the_end_of_the_period(month: Month):
    # Received on 27 and 28 October with 3 working days: due on the 30th and 31st, before the month ended.
    october = results(_all(), periods.month(2025, 10)).total
    first_half = results(_all(), periods.days(dt.date(2025, 10, 1), dt.date(2025, 10, 29))).total

    assert month.carried_late.original_due_at == at("2025-10-30 09:00")
    assert (october.new, october.in_hand_on_time, october.in_hand_late) == (2, 0, 2)
    assert (first_half.new, first_half.in_hand_on_time, first_half.in_hand_late) == (2, 2, 0)


def test_the_scope_limits_what_is_counted(month: Month):
    nothing = results(Dossier.objects.none(), NOVEMBER)

    assert nothing.rows == [] and nothing.total.received == 0 and nothing.total.on_time_rate is None
