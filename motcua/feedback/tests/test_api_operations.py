"""The feedback API, split into modules, keeps every address and OpenAPI operation id it had."""

from __future__ import annotations

from django.test import Client

OPERATIONS = {
    ("/api/v1/feedback", "post"): "motcua_api_feedback_submit",
    ("/api/v1/feedback/track/{code}", "get"): "motcua_api_feedback_track",
    ("/api/v1/feedback/track/{code}/reaction", "post"): "motcua_api_feedback_react",
    ("/api/v1/feedback/published", "get"): "motcua_api_feedback_published",
    ("/api/v1/feedback/items", "get"): "motcua_api_feedback_items",
    ("/api/v1/feedback/items/{code}", "get"): "motcua_api_feedback_item",
    ("/api/v1/feedback/items/{code}/forward", "post"): "motcua_api_feedback_forward",
    ("/api/v1/feedback/items/{code}/answer", "post"): "motcua_api_feedback_answer",
    ("/api/v1/feedback/items/{code}/decline", "post"): "motcua_api_feedback_decline",
    ("/api/v1/feedback/items/{code}/publish", "post"): "motcua_api_feedback_publish",
    ("/api/v1/feedback/items/{code}/unpublish", "post"): "motcua_api_feedback_unpublish",
    ("/api/v1/feedback/items/{code}/assign", "post"): "motcua_api_feedback_assign",
    ("/api/v1/feedback/items/{code}/take", "post"): "motcua_api_feedback_take",
    ("/api/v1/feedback/items/{code}/release", "post"): "motcua_api_feedback_release",
    ("/api/v1/feedback/ratings/scheme", "get"): "motcua_api_feedback_ratings_rating_scheme",
    ("/api/v1/feedback/ratings/{code}", "post"): "motcua_api_feedback_ratings_rate",
    ("/api/v1/feedback/ratings/{code}", "get"): "motcua_api_feedback_ratings_rating_of",
}


def test_every_feedback_operation_keeps_its_address_id_and_tag():
    paths = Client().get("/api/openapi.json").json()["paths"]

    found = {
        (path, method): operation
        for path, methods in paths.items()
        if path.startswith("/api/v1/feedback")
        for method, operation in methods.items()
    }

    assert {key: op["operationId"] for key, op in found.items()} == OPERATIONS
    assert all(set(op["tags"]) == {"feedback"} for op in found.values())
    for path, method in OPERATIONS:
        if "/items/{code}/" in path:
            assert {"401", "403", "404", "409", "422"} <= set(found[path, method]["responses"]), path
