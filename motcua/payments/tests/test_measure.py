"""Decision 766's online-payment indicator: dossiers settled online ÷ dossiers whose fees were settled."""

from __future__ import annotations

from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.org.access import scope_for
from motcua.payments import services
from motcua.reports import periods
from motcua.reports.measures import MEASURES, Inputs
from motcua.reports.results import results
from motcua.reports.scheme import Measurement

from .conftest import at, birth_bundle, business, pay_online, pdf, residence_online

NOVEMBER = periods.month(2025, 11)


def _measure(people) -> Measurement:
    dossiers = Dossier.objects.all()
    scope = scope_for(people["giamdoc.ttpvhcc"])
    return MEASURES["online_payments"](Inputs(scope, dossiers, NOVEMBER, results(dossiers, NOVEMBER)))


def test_online_payments_count_the_dossiers_settled_online_in_the_period(people, points, online):
    nothing = _measure(people)
    assert not nothing.measured and "thanh toán trực tuyến" in nothing.reason
    pay_online(residence_online(people, points), people["citizen"], at("2025-11-03 09:00"))
    paper = business(people, points)
    services.collect_fee(
        code=paper.code, actor=people["motcua.tuphap"], method="cash", now=at("2025-11-03 10:00")
    )
    exempted = business(people, points, "2025-11-04 09:00")
    services.exempt_fee(
        code=exempted.code,
        actor=people["tp.dkkd"],
        reason="Hộ nghèo",
        legal_basis="TT 47/2019",
        now=at("2025-11-04 10:00"),
    )
    december = business(people, points, "2025-11-28 09:00")
    services.collect_fee(
        code=december.code, actor=people["motcua.tuphap"], method="cash", now=at("2025-12-01 09:00")
    )
    unpaid = business(people, points, "2025-11-05 09:00")  # never settled: not counted
    certified = dossier_services.handle_on_the_spot(  # paid in cash, but cannot be paid online at all
        data=birth_bundle(procedure_code="2.000815", provided=[0], uploads=[pdf("ban-chinh.pdf", 0)]),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-06 10:00"),
    )

    # The exempted dossier paid nothing (neither online nor not); December's was settled after the period.
    assert unpaid.fee_due_vnd and certified.fees.paid_vnd == 3_000
    assert _measure(people) == Measurement(1, 2)
