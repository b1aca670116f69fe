"""/api/v1/reports: the report's numbers as JSON for leaders' tools, and nothing for others."""

from __future__ import annotations

from motcua.api.tests.conftest import Staff, staff  # noqa: F401

from .conftest import Month

RESULTS = "/api/v1/reports/results"
QUALITY = "/api/v1/reports/quality"


def test_a_director_gets_novembers_results_by_agency(staff: Staff, month: Month):  # noqa: F811
    query = {"period": "month", "year": 2025, "number": 11, "by": "agency"}

    response = staff["giamdoc.thanhsen"].get(RESULTS, query)

    body = response.json()
    assert response.status_code == 200, body
    assert body["period"] == {"first": "2025-11-01", "last": "2025-11-30"}
    assert body["total"]["received"] == 7 and body["total"]["label"] == "Tổng cộng"
    assert body["total"]["on_time_rate"] == 2 / 3
    assert sum(r["resolved"] for r in body["rows"]) == body["total"]["resolved"] == 3


def test_a_period_of_days_and_its_errors(staff: Staff, month: Month):  # noqa: F811
    director = staff["giamdoc.thanhsen"]

    ok = director.get(RESULTS, {"period": "days", "from": "2025-11-01", "to": "2025-11-15"})
    bad = director.get(RESULTS, {"period": "days", "from": "2025-11-15", "to": "2025-11-01"})

    assert ok.status_code == 200 and ok.json()["total"]["resolved"] == 3
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_period"


def test_the_quality_scorecard_as_json(staff: Staff, month: Month):  # noqa: F811
    body = staff["giamdoc.thanhsen"].get(QUALITY, {"year": 2025, "number": 11}).json()

    assert body["scheme"] == "decision-766-2022"
    progress = next(g for g in body["groups"] if g["key"] == "progress")
    on_time = next(i for i in progress["indicators"] if i["key"] == "resolved_on_time")
    assert (on_time["numerator"], on_time["denominator"]) == (2, 3)
    assert abs(on_time["points"] - 14 * 2 / 3) < 0.01
    payment = next(i for g in body["groups"] for i in g["indicators"] if i["key"] == "online_payment")
    assert payment["points"] is None and payment["reason"]


def test_reports_are_not_found_for_a_counter_officer(staff: Staff, month: Month):  # noqa: F811
    response = staff["motcua.thanhsen"].get(RESULTS)

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
