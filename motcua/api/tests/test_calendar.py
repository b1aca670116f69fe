from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.workdays.models import OfficeCalendar

pytestmark = pytest.mark.django_db


def test_a_years_calendar_lists_days_off_and_make_up_days(client):
    response = client.get("/api/v1/calendar/2025")

    assert response.status_code == 200
    body = response.json()
    days = {d["date"]: d for d in body["days"]}
    assert body["year"] == 2025 and body["calendar"] is None
    assert days["2025-04-26"] == {
        "date": "2025-04-26",
        "weekday": 6,
        "kind": "working_day",
        "is_day_off": False,
        "name": "Làm bù cho ngày nghỉ thứ Sáu 02/5/2025",
    }
    assert days["2025-04-30"]["kind"] == "public_holiday" and days["2025-04-30"]["is_day_off"]
    assert days["2025-05-02"]["kind"] == "day_off"
    assert "2025-02-03" not in days


def test_a_years_calendar_takes_two_queries(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/calendar/2026")

    assert len(queries) == 2  # the default office calendar, then the year's announced days


@pytest.mark.parametrize("year", ["1899", "2200"])
def test_a_year_out_of_range_is_a_422_in_the_error_shape(client, year):
    response = client.get(f"/api/v1/calendar/{year}")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_parameters"
    assert "year" in response.json()["error"]["fields"]


def test_an_unknown_calendar_is_a_404(client):
    response = client.get("/api/v1/calendar/2025", {"calendar": "nope"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_due_returns_start_clock_start_and_due_in_vietnam_time(client):
    response = client.get("/api/v1/calendar/due", {"start": "2025-04-25T09:00", "amount": "3", "unit": "d"})

    assert response.status_code == 200
    assert response.json() == {
        "start": "2025-04-25T09:00:00+07:00",
        "clock_start": "2025-04-25T09:00:00+07:00",
        "due": "2025-04-29T09:00:00+07:00",
        "amount": "3",
        "unit": "d",
        "rule": "none",
        "calendar": None,
    }


def test_due_accepts_a_utc_start_and_the_online_rule(client):
    response = client.get(
        "/api/v1/calendar/due",
        {"start": "2025-04-29T10:30:00Z", "amount": "4", "unit": "h", "rule": "online"},
    )

    body = response.json()
    assert body["clock_start"] == "2025-05-05T07:00:00+07:00"
    assert body["due"] == "2025-05-05T11:00:00+07:00"


def test_due_uses_the_named_calendar(client):
    OfficeCalendar.objects.create(name="Tỉnh X", code="tinh-x", hours_per_day=4)

    response = client.get(
        "/api/v1/calendar/due", {"start": "2025-04-25T09:00+07:00", "amount": "0.5", "calendar": "tinh-x"}
    )

    assert response.json()["due"] == "2025-04-25T11:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "yesterday", "amount": "3"}, "start"),
        ({"start": "2025-04-25T09:00", "amount": "-1"}, "amount"),
        ({"start": "2025-04-25T09:00", "amount": "3", "unit": "w"}, "unit"),
        ({"start": "2025-04-25T09:00", "amount": "3", "rule": "18h"}, "rule"),
        ({"start": "2025-04-25T09:00", "amount": "5000"}, "amount"),
        ({"amount": "3"}, "start"),
    ],
)
def test_bad_due_parameters_are_a_422_naming_the_field(client, params, field):
    response = client.get("/api/v1/calendar/due", params)

    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_due_with_an_unknown_calendar_is_a_404(client):
    response = client.get(
        "/api/v1/calendar/due", {"start": "2025-04-25T09:00", "amount": "3", "calendar": "nope"}
    )

    assert response.status_code == 404


def test_lunar_returns_the_vietnamese_lunar_date(client):
    response = client.get("/api/v1/calendar/lunar", {"date": "2026-02-17"})

    assert response.json() == {
        "date": "2026-02-17",
        "day": 1,
        "month": 1,
        "year": 2026,
        "is_leap": False,
        "year_name": "Bính Ngọ",
        "text": "1/1/2026 (Bính Ngọ)",
    }


def test_lunar_marks_a_leap_month(client):
    body = client.get("/api/v1/calendar/lunar", {"date": "2025-07-25"}).json()

    assert (body["month"], body["is_leap"]) == (6, True)


@pytest.mark.parametrize("value", ["2026-02-30", "17/02/2026", "1800-01-01"])
def test_a_bad_lunar_date_is_a_422(client, value):
    response = client.get("/api/v1/calendar/lunar", {"date": value})

    assert response.status_code == 422
    assert "date" in response.json()["error"]["fields"]


def test_the_calendar_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert {"/api/v1/calendar/{year}", "/api/v1/calendar/due", "/api/v1/calendar/lunar"} <= set(paths)
