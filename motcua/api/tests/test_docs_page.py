from __future__ import annotations


def test_the_api_docs_load_their_assets_locally_not_from_a_cdn(client):
    response = client.get("/api/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn." not in html and "swagger-ui-bundle.js" in html


def test_the_openapi_document_lists_the_read_api(client):
    spec = client.get("/api/openapi.json").json()

    paths = set(spec["paths"])
    assert {"/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/fields", "/api/v1/agencies"} <= paths
    assert "/api/v1/calendar/{year}" in paths
