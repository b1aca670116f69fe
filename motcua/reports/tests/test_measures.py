"""What each quality measure counts on November's dossiers, and what MotCua says it cannot count."""

from __future__ import annotations

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import at
from motcua.dossiers.tests.digitised import officer_certificate, received_earlier  # noqa: F401 (a fixture)
from motcua.feedback.schemes import scheme_for
from motcua.feedback.services import rate_dossier
from motcua.org.access import scope_for
from motcua.reports.measures import MEASURES, Inputs, procedures_of
from motcua.reports.results import results
from motcua.reports.scheme import Measurement, schemes
from motcua.reports.selectors import quality

from .conftest import NOVEMBER, Month, finish, receive


def _measure(people, name: str, user: str = "giamdoc.thanhsen"):
    scope = scope_for(people[user])
    dossiers = Dossier.objects.all()
    return MEASURES[name](Inputs(scope, dossiers, NOVEMBER, results(dossiers, NOVEMBER)))


def test_on_time_and_online_rates_come_from_the_results(people, month: Month):
    assert _measure(people, "on_time") == Measurement(2, 3)
    online = _measure(people, "online_dossiers")
    assert (online.numerator, online.denominator) == (1, 5)


def test_digitised_means_every_provided_document_has_its_file(people, month: Month):
    digitised = _measure(people, "digitised_dossiers")

    # Only the two on-the-spot dossiers have a file for each document provided; the birth bundles were
    # received with the identity paper shown but not scanned.
    assert (digitised.numerator, digitised.denominator) == (2, 5)


def test_electronic_results_and_apologies_for_late_dossiers(people, points, month: Month):
    applicant = services.ApplicantIn(name="Hồ Văn Muộn", id_number="042095000001")
    late = receive(people, points, "2025-11-03 09:00", applicant=applicant)
    services.issue_apology(
        code=late.code,
        actor=people["cv.tuphap.thanhsen"],
        reason="Chờ xác minh của cơ quan khác.",
        new_due_at=at("2025-11-12 16:00"),
        now=at("2025-11-05 09:00"),
    )
    finish(late, people, "2025-11-11 10:00", results=False)

    apologised = _measure(people, "apologised_late")
    electronic = _measure(people, "electronic_results")

    assert late.outcome == "late"  # judged against the first appointment, not the apology's
    assert (apologised.numerator, apologised.denominator) == (1, 2)  # October's late one had none
    # The on-the-spot dossiers were settled without a result file; October's has one; the late one none.
    assert (electronic.numerator, electronic.denominator) == (1, 4)


def test_data_reuse_counts_the_new_dossiers_that_reused_a_digitised_document(
    people,
    points,
    month: Month,
    officer_certificate,  # noqa: F811
):
    assert _measure(people, "data_reuse") == Measurement(0, 5)
    earlier = received_earlier(people, points, when="2025-10-06 09:00")  # October: not counted itself
    reused = [services.Reused(position=2, file_id=earlier.signed.pk)]
    receive(people, points, "2025-11-12 09:00", reused=reused)

    assert _measure(people, "data_reuse") == Measurement(1, 6)


def test_procedures_of_a_centre_are_those_it_receives(people, month: Month):
    director = procedures_of(scope_for(people["giamdoc.thanhsen"]), NOVEMBER)
    specialist = procedures_of(scope_for(people["cv.dkkd"]), NOVEMBER)

    assert director.filter(procedure__code="2.002621").exists()
    assert not specialist.filter(procedure__code="2.002621").exists()
    complete = _measure(people, "procedures_complete")
    assert 0 < complete.denominator == director.count()


def test_the_scorecard_says_why_some_indicators_are_not_measured(people, month: Month):
    card = quality(scope_for(people["giamdoc.thanhsen"]), Dossier.objects.all(), NOVEMBER)

    reasons = {s.indicator.key: s.measurement.reason for g in card.groups for s in g.indicators}
    assert "thanh toán" in reasons["online_payment"]
    assert reasons["resolved_on_time"] == ""
    assert 0 < card.points <= card.measurable < 100


def test_satisfaction_comes_from_the_applicants_ratings(people, month: Month):
    officer = people["motcua.thanhsen"]
    answers = {"agencies_contacted": 2, "desk_handling": 2, "staff_attitude": 0}
    for dossier, level in ((month.spot[0], "unsatisfied"), (month.spot[1], "very_satisfied")):
        rate_dossier(code=dossier.code, level=level, answers=answers, channel="counter", actor=officer)

    satisfied = _measure(people, "dossiers_satisfied")

    # Four dossiers ended in November (the late one, two on the spot, the refused): the late one and
    # the one rated "not satisfied" count against it.
    assert (satisfied.numerator, satisfied.denominator) == (2, 4)
    on_time = _measure(people, "feedback_on_time")
    assert (on_time.numerator, on_time.denominator) == (0, 0)  # no feedback: nothing to judge


def test_the_scorecard_and_the_satisfaction_scheme_give_the_same_points():
    [scheme] = schemes()
    satisfaction_scheme = scheme_for(scheme.effective_from)
    weights = {i.code: i.points for i in satisfaction_scheme.indicators}

    group = next(g for g in scheme.groups if g.key == "satisfaction")
    assert {i.measure: i.points for i in group.indicators} == {
        code: float(points) for code, points in weights.items() if points
    }
