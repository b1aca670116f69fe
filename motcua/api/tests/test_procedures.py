from __future__ import annotations

import pytest

from motcua.api.main import api
from motcua.catalog.importing import import_catalog
from motcua.catalog.synthetic import build_catalog
from motcua.catalog.tests.factories import KHAI_SINH, build_org, document, load_sample, record


@pytest.fixture
def catalog(db):
    org = build_org()
    load_sample()
    return org


def test_the_list_finds_procedures_without_diacritics_best_first(client, catalog):
    response = client.get("/api/v1/procedures", {"q": "dang ky khai sinh", "at": "2025-07-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["pages"] == 1
    first = body["items"][0]
    assert first == {
        "code": "1.001193",
        "name": "Thủ tục đăng ký khai sinh",
        "field": {"code": "ho-tich", "name": "Hộ tịch"},
        "levels": ["xa"],
        "online_level": "full",
        "channels": ["counter", "post", "online"],
        "time_limit": {"amount": "0", "unit": "d", "text": KHAI_SINH["time_limit"]["text"]},
        "lead_agency": {"kind": "local", "agency": None, "sector": "committee"},
        "boundary_free": False,
        "received_at_centre": True,
        "version": 1,
        "effective_from": "2025-07-01",
    }


def test_the_list_filters_by_field_agency_level_and_online_level(client, catalog):
    def codes(**params):
        return [i["code"] for i in client.get("/api/v1/procedures", params).json()["items"]]

    assert codes(field="cu-tru") == ["1.004222"]
    assert codes(agency="H42.10") == ["2.000815"]
    assert codes(level="tinh") == ["2.000815"]
    assert codes(online_level="none") == ["2.000815"]


def test_the_list_pages_through_results(client, catalog):
    body = client.get("/api/v1/procedures", {"page": 2, "page_size": 4}).json()
    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (6, 2, 4, 2)
    assert len(body["items"]) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"online_level": "foo"}, "online_level"),
        ({"page": 0}, "page"),
        ({"page_size": 101}, "page_size"),
        ({"at": "01/07/2025"}, "at"),
        ({"field": "khong-co"}, "field"),
        ({"level": "huyen-cu"}, "level"),
        ({"agency": "H99"}, "agency"),
    ],
)
def test_a_bad_filter_is_a_422_naming_the_parameter(client, catalog, params, field):
    response = client.get("/api/v1/procedures", params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_parameters"
    assert list(error["fields"]) == [field]


def test_the_list_takes_the_same_queries_for_ten_or_five_thousand_procedures(
    client, db, django_assert_num_queries
):
    build_org()
    build_catalog(10)
    with django_assert_num_queries(3):  # count, page, levels of the page
        small = client.get("/api/v1/procedures", {"q": "dang ky", "at": "2025-07-01"}).json()
    build_catalog(5000)
    with django_assert_num_queries(3):
        large = client.get(
            "/api/v1/procedures", {"q": "dang ky", "at": "2025-07-01", "page_size": 100}
        ).json()
    assert small["count"] < large["count"] and len(large["items"]) == 100
    with django_assert_num_queries(5):  # + the field check, + the agency look-up
        client.get("/api/v1/procedures", {"field": "ho-tich", "agency": "H42.50.01", "at": "2025-07-01"})


def test_the_detail_shows_the_version_in_force_with_its_content(client, catalog):
    response = client.get("/api/v1/procedures/1.013069", {"at": "2025-07-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["name"].startswith("Liên thông thủ tục hành chính về đăng ký khai sinh")
    assert body["time_limits"] == [
        {"channel": "counter", "amount": "3", "unit": "d"},
        {"channel": "post", "amount": "3", "unit": "d"},
        {"channel": "online", "amount": "0", "unit": "d"},
    ]
    assert [d["name"] for d in body["documents"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    stage_3 = body["process"][2]
    assert stage_3["stage"] == 3
    assert [(b["branch"], b["steps"][0]["actor"]) for b in stage_3["branches"]] == [
        (
            "bhyt",
            {
                "kind": "fixed",
                "agency": {"code": "H42.32", "name": "Bảo hiểm xã hội tỉnh Hà Tĩnh"},
                "sector": "",
            },
        ),
        ("cu-tru", {"kind": "local", "agency": None, "sector": "police"}),
    ]
    assert body["process_days"] == "2.25"
    assert body["fee_totals"] == [
        {"channel": "counter", "amount_vnd": 0},
        {"channel": "post", "amount_vnd": 0},
        {"channel": "online", "amount_vnd": 0},
    ]


def test_the_detail_totals_fees_per_channel(client, catalog):
    body = client.get("/api/v1/procedures/1.004222", {"at": "2025-07-01"}).json()
    assert body["fee_totals"] == [
        {"channel": "counter", "amount_vnd": 20000},
        {"channel": "post", "amount_vnd": 20000},
        {"channel": "online", "amount_vnd": 10000},
    ]
    assert body["time_limits"][2] == {"channel": "online", "amount": "5", "unit": "d"}


def test_the_detail_at_a_date_gives_the_version_then_in_force(client, catalog):
    amendment = {
        **KHAI_SINH,
        "name": "Đăng ký khai sinh (sửa đổi)",
        "version": {"effective_from": "2026-01-01", "change": "amend"},
    }
    assert import_catalog(document(amendment)).ok
    old = client.get("/api/v1/procedures/1.001193", {"at": "2025-12-31"}).json()
    new = client.get("/api/v1/procedures/1.001193", {"at": "2026-01-01"}).json()
    assert (old["version"], old["effective_to"]) == (1, "2025-12-31")
    assert (new["version"], new["name"], new["change"]) == (2, "Đăng ký khai sinh (sửa đổi)", "amend")


def test_an_unknown_code_is_a_404_in_the_error_shape(client, catalog):
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "procedure_not_found",
            "message": "Không có thủ tục hành chính mã 9.999999.",
            "fields": {},
        }
    }


def test_a_bad_date_for_the_detail_is_a_422_naming_it(client, catalog):
    response = client.get("/api/v1/procedures/1.001193", {"at": "2025-02-30"})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["at"]


def test_a_date_before_the_first_version_is_a_404_saying_so(client, catalog):
    response = client.get("/api/v1/procedures/1.001193", {"at": "2020-01-01"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "no_version_in_force"


def test_an_abolished_procedure_is_a_404_naming_its_replacement(client, catalog):
    replacing = record(
        "1.013070", "Đăng ký khai sinh trực tuyến", effective_from="2026-01-01", change="replace"
    )
    replacing["version"]["replaces"] = ["1.001193"]
    assert import_catalog(document(replacing)).ok
    error = client.get("/api/v1/procedures/1.001193", {"at": "2026-02-01"}).json()["error"]
    assert error["code"] == "procedure_abolished"
    assert error["fields"] == {"abolished_on": "2026-01-01", "replaced_by": "1.013070"}


def test_the_versions_list_the_history_of_a_procedure(client, catalog):
    amendment = {
        **KHAI_SINH,
        "version": {"effective_from": "2026-01-01", "change": "amend"},
        "status": "draft",
    }
    import_catalog(document(amendment))
    body = client.get("/api/v1/procedures/1.001193/versions").json()
    assert [(v["number"], v["effective_from"], v["status"]) for v in body["versions"]] == [
        (1, "2025-07-01", "published"),
        (2, "2026-01-01", "draft"),
    ]
    assert body["abolished_on"] is None


def test_fields_count_their_published_procedures_in_force(client, catalog, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/api/v1/fields", {"at": "2025-07-01"})
    assert response.json() == [
        {"code": "chung-thuc", "name": "Chứng thực", "procedure_count": 1},
        {"code": "cu-tru", "name": "Cư trú", "procedure_count": 1},
        {"code": "dat-dai", "name": "Đất đai", "procedure_count": 0},
        {"code": "ho-tich", "name": "Hộ tịch", "procedure_count": 4},
    ]
    assert client.get("/api/v1/fields", {"at": "2025-06-30"}).json()[3]["procedure_count"] == 0


def test_the_openapi_schema_documents_the_catalog_endpoints(client):
    schema = api.get_openapi_schema()
    for path in (
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
        "/api/v1/procedures/{code}/versions",
        "/api/v1/fields",
    ):
        assert path in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/procedures"]["get"]["parameters"]}
    assert params == {"q", "field", "agency", "level", "online_level", "at", "page", "page_size"}
