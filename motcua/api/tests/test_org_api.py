from __future__ import annotations

import pytest

from motcua.api.main import api
from motcua.catalog.tests.factories import build_org


@pytest.fixture
def org(db):
    return build_org()


def test_agencies_are_listed_by_code_with_their_unit(client, org):
    body = client.get("/api/v1/agencies").json()
    assert body["count"] == 8
    first = body["items"][0]
    assert first["code"] == "H42"
    assert first["unit"] == {"code": "42", "name": "Tỉnh Hà Tĩnh", "level": "tinh"}
    assert first["sector"] == "committee" and first["merged_into"] is None


def test_a_merged_agency_shows_where_it_was_merged(client, org):
    body = client.get("/api/v1/agencies/H42.436").json()
    assert body["merged_into"] == {"code": "H42.50.01", "name": "Ủy ban nhân dân phường Thành Sen"}
    assert (body["merged_on"], body["is_active"]) == ("2025-07-01", False)
    heir = client.get("/api/v1/agencies/H42.50.01").json()
    assert heir["merged_from"] == [
        {"code": "H42.436", "name": "Ủy ban nhân dân huyện Thạch Hà (đã giải thể)"}
    ]
    assert heir["service_points"] == [
        {"code": "ttpvhcc-thanhsen", "name": "Trung tâm Phục vụ hành chính công phường Thành Sen"}
    ]


def test_agencies_filter_by_unit_kind_and_activity(client, org):
    def codes(**params):
        return [a["code"] for a in client.get("/api/v1/agencies", params).json()["items"]]

    assert codes(unit="42-TS") == ["H42.30.01", "H42.50.01"]
    assert codes(kind="vertical") == ["H42.30", "H42.30.01", "H42.32"]
    assert "H42.436" not in codes(active="true")


def test_an_unknown_agency_kind_is_a_422_naming_the_parameter(client, org):
    response = client.get("/api/v1/agencies", {"kind": "ministry"})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["kind"]


def test_an_unknown_agency_is_a_404_in_the_error_shape(client, org):
    response = client.get("/api/v1/agencies/H99")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "agency_not_found"


def test_the_agency_list_takes_two_queries(client, org, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/api/v1/agencies")


def test_service_points_are_listed_with_their_receiving_agency(client, org, django_assert_num_queries):
    with django_assert_num_queries(2):
        body = client.get("/api/v1/service-points").json()
    assert [p["code"] for p in body["items"]] == ["ttpvhcc-thanhsen", "ttpvhcc-tinh"]
    assert body["items"][1]["agency"] == {"code": "H42.02", "name": "Trung tâm Phục vụ hành chính công tỉnh"}


def test_a_service_point_shows_its_served_agencies_and_counters(client, org, django_assert_num_queries):
    with django_assert_num_queries(4):
        body = client.get("/api/v1/service-points/ttpvhcc-tinh").json()
    assert [a["code"] for a in body["served_agencies"]] == ["H42", "H42.10", "H42.30"]
    assert body["counters"] == [
        {
            "number": 1,
            "name": "Quầy 1 – Tư pháp",
            "agency": {"code": "H42.10", "name": "Sở Tư pháp"},
            "is_active": True,
        },
        {
            "number": 2,
            "name": "Quầy 2 – Công an",
            "agency": {"code": "H42.30", "name": "Công an tỉnh Hà Tĩnh"},
            "is_active": True,
        },
    ]
    assert body["address"] == "Số 02A Nguyễn Tất Thành, phường Thành Sen"


def test_an_unknown_service_point_is_a_404(client, org):
    response = client.get("/api/v1/service-points/khong-co")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "service_point_not_found"


def test_the_openapi_schema_documents_the_org_endpoints():
    paths = api.get_openapi_schema()["paths"]
    for path in (
        "/api/v1/agencies",
        "/api/v1/agencies/{code}",
        "/api/v1/service-points",
        "/api/v1/service-points/{code}",
    ):
        assert path in paths
