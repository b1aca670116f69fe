"""Decision 766's satisfaction sub-indicators on a small data set counted by hand; the director's board."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import services as dossier_services
from motcua.dossiers.access import staff_dossiers
from motcua.dossiers.selectors import month_bounds
from motcua.feedback import services
from motcua.feedback.selectors import satisfaction
from motcua.org.access import scope_for

from .conftest import RATE_ALL, at, birth_bundle, pdf, regulation, staff_client

BOARD = "/can-bo/bang-dieu-hanh/"


def _spot(people, points, when: str):
    return dossier_services.handle_on_the_spot(
        data=birth_bundle(procedure_code="2.000815", provided=[0, 1], uploads=[pdf()]),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at(when),
    )


@pytest.fixture
def november(late, early, people, points, clock):
    """Four dossiers ended in November 2025 at Thành Sen and five feedback items, one elsewhere.

    Dossiers: late (rated satisfied), early (rated unsatisfied), spot (rated very satisfied but complained
    of), quiet (not rated, nothing wrong). Feedback received in November in the director's scope: f1
    answered on time, f2 about `spot` answered late, f3 still open, f5 answered on time but the sender is
    not satisfied; f4 goes to the business registration office, outside the scope.
    """
    spot = _spot(people, points, "2025-11-10 09:00")
    _spot(people, points, "2025-11-10 10:00")
    rate = dict(answers=RATE_ALL, channel="lookup")
    rate_late = services.rate_dossier(code=late.code, level="satisfied", secret=late.lookup_secret, **rate)
    rate_early = services.rate_dossier(
        code=early.code, level="unsatisfied", secret=early.lookup_secret, **rate
    )
    rate_spot = services.rate_dossier(
        code=spot.code, level="very_satisfied", secret=spot.lookup_secret, **rate
    )
    leader = people["ct.thanhsen"]

    clock.set("2025-11-03 09:00")
    f1 = services.submit_feedback(data=regulation())
    services.answer_feedback(code=f1.code, actor=leader, answer="Trả lời f1.", now=at("2025-11-05 09:00"))
    f2 = services.submit_feedback(
        data=regulation(
            topic="handling", dossier_code=spot.code, dossier_secret=spot.lookup_secret, agency_code=""
        )
    )
    services.answer_feedback(code=f2.code, actor=leader, answer="Trả lời f2.", now=at("2025-11-28 09:00"))
    services.submit_feedback(data=regulation())  # f3: open
    services.submit_feedback(
        data=regulation(procedure_code="2.001610", agency_code="H42.16")
    )  # f4: elsewhere
    f5 = services.submit_feedback(data=regulation())
    services.answer_feedback(code=f5.code, actor=leader, answer="Trả lời f5.", now=at("2025-11-06 09:00"))
    services.react_to_answer(code=f5.code, secret=f5.secret, reaction="unsatisfied")
    clock.set("2025-12-01 09:00")
    return [rate_late, rate_early, rate_spot]


def test_the_satisfaction_indicators_of_a_month_counted_by_hand(november, people):
    director = people["giamdoc.thanhsen"]
    scope = scope_for(director)
    start, end = month_bounds(2025, 11)

    found = satisfaction(scope=scope, dossiers=staff_dossiers(director, scope), start=start, end=end)

    assert found.counts == {
        "dossiers": 4,
        "dossiers_unsatisfied_complained_or_late": 3,  # late, unsatisfied, complained of
        "ratings": 3,
        "ratings_satisfied": 2,
        "feedback_received": 4,
        "feedback_handled_on_time": 2,  # f1 and f5
        "answers": 3,
        "answers_unsatisfied_complained_or_late": 2,  # f2 late, f5 not satisfied
    }
    ratios = {i.code: (i.numerator, i.denominator, i.percent) for i in found.indicators}
    assert ratios["feedback_on_time"] == (2, 4, 50)
    assert ratios["feedback_satisfied"] == (1, 3, 33)
    assert ratios["dossiers_satisfied"] == (1, 4, 25)
    assert (found.satisfaction.numerator, found.satisfaction.denominator) == (2, 3)
    assert found.meets_goal is False and found.goal_percent == 75
    totals = [r.total for r in november]
    assert float(found.average_total) == pytest.approx(sum(totals) / 3, abs=0.05)
    assert found.indicator("feedback_on_time").score == 3  # half of 6 points


def test_another_month_and_another_scope_count_nothing(november, people):
    director = people["giamdoc.thanhsen"]
    scope = scope_for(director)
    october = satisfaction(
        scope=scope,
        dossiers=staff_dossiers(director, scope),
        start=month_bounds(2025, 10)[0],
        end=month_bounds(2025, 10)[1],
    )
    business = people["tp.dkkd"]
    theirs = scope_for(business)
    start, end = month_bounds(2025, 11)
    elsewhere = satisfaction(scope=theirs, dossiers=staff_dossiers(business, theirs), start=start, end=end)

    assert set(october.counts.values()) == {0} and october.meets_goal is None
    assert elsewhere.counts["feedback_received"] == 1 and elsewhere.counts["dossiers"] == 0


def test_the_board_shows_the_satisfaction_tile_against_the_goal_in_two_more_queries(november, people):
    client = staff_client(people["giamdoc.thanhsen"])
    client.get(BOARD, {"thang": "2025-11"})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BOARD, {"thang": "2025-11"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mức độ hài lòng, 11/2025" in html and "67%" in html and "mục tiêu 75%" in html
    assert "Chưa đạt mục tiêu" in html
    assert (
        "Phản ánh, kiến nghị được xử lý đúng hạn" in html
        and "2/4" in html
        and "3,00/6" in html
        and "14,7/18" in html
    )
    # Session, user, reference token, statuses, agencies, two (empty) due lists, the certificate notices;
    # then the tile's two.
    assert len(captured) == 10, "pinned: the board's 8 here, the ended dossiers, the feedback"
