"""The OpenAPI document: every dossier path documents its answers, and public reads hold to it.

The second half runs schemathesis (property-based requests generated from the document) against the
public read endpoints through Django's test client, a bounded number of examples each.
"""

from __future__ import annotations

import time

import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.api.main import api

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
DOSSIER_PATHS = {
    "/api/v1/dossiers": {"get", "post"},
    "/api/v1/dossiers/multipart": {"post"},
    "/api/v1/dossiers/online": {"post"},
    "/api/v1/dossiers/{code}": {"get"},
    "/api/v1/dossiers/{code}/files/{file_id}": {"get"},
    "/api/v1/dossiers/{code}/files/{file_id}/sign": {"post"},
    "/api/v1/dossiers/{code}/scans/sign": {"post"},
    "/api/v1/dossiers/{code}/forms/{form_name}": {"get"},
    **{
        f"/api/v1/dossiers/{{code}}/{action}": {"post"}
        for action in [
            "accept",
            "request-completion",
            "refuse-submission",
            "complete-submission",
            "receive-completed",
            "withdraw",
            "steps/{step_id}/take",
            "steps/{step_id}/assign",
            "steps/{step_id}/complete",
            "steps/{step_id}/return",
            "supplement-request",
            "supplement",
            "apology",
            "refuse",
            "stop",
            "result-ready",
            "hand-over",
        ]
    },
}


@pytest.fixture(scope="module")
def document() -> dict:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _error_schema(operation: dict, status: str) -> dict:
    return operation["responses"][status]["content"]["application/json"]["schema"]


def test_every_dossier_operation_is_documented_with_its_errors(document):
    found = {p: set(ops) for p, ops in document["paths"].items() if p.startswith("/api/v1/dossiers")}
    assert found == DOSSIER_PATHS

    for path, methods in DOSSIER_PATHS.items():
        for method in methods:
            operation = document["paths"][path][method]
            expected = {"401", "404", "422"} | ({"403", "409"} if method == "post" else set())
            assert expected <= set(operation["responses"]), (method, path)
            assert all(_error_schema(operation, s) == ERROR for s in expected), (method, path)
            success = (
                "201"
                if path in {"/api/v1/dossiers", "/api/v1/dossiers/multipart", "/api/v1/dossiers/online"}
                and method == "post"
                else "200"
            )
            assert success in operation["responses"], (method, path)
            assert operation["tags"] == ["dossiers"]
            assert {next(iter(s)) for s in operation["security"]} <= {"TokenAuth", "SessionAuth"}


def test_every_dossier_write_takes_an_idempotency_key_and_an_expected_version(document):
    for path, methods in DOSSIER_PATHS.items():
        if "post" not in methods:
            continue
        operation = document["paths"][path]["post"]
        headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert headers == ["Idempotency-Key"], path
        if "{code}" in path:
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            body = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
            assert "expected_version" in body["properties"], path


def test_the_schemas_carry_examples_and_the_lookup_documents_its_limit(document):
    schemas = document["components"]["schemas"]
    assert schemas["DossierDetail"]["properties"]["code"]["examples"] == ["H42.50.01-251103-010001"]
    assert schemas["ApplicantIn"]["properties"]["id_number"]["examples"] == ["042090001234"]
    lookup = document["paths"]["/api/v1/lookup/{code}"]["get"]
    assert {s: _error_schema(lookup, s) for s in ("404", "422", "429")} == dict.fromkeys(
        ("404", "422", "429"), ERROR
    )
    assert "security" not in lookup
    assert set(document["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


PUBLIC_READS = ("/api/v1/lookup", "/api/v1/procedures", "/api/v1/fields", "/api/v1/calendar")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 40


def _public_operations():
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "GET" and operation.path.startswith(PUBLIC_READS):
            yield operation


def _send(client: Client, case) -> Response:
    """Send a generated case through Django's test client and wrap the answer for schemathesis."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    headers = {k: v for k, v in (kwargs.get("headers") or {}).items() if k.lower() != "user-agent"}
    prepared = requests.Request("GET", kwargs["url"], params=kwargs.get("params"), headers=headers).prepare()
    started = time.monotonic()
    answer = client.get(prepared.path_url, headers=headers)
    return Response(
        status_code=answer.status_code,
        headers={k: [v] for k, v in answer.headers.items()},
        content=answer.content,
        request=prepared,
        elapsed=time.monotonic() - started,
        verify=True,
        message=answer.reason_phrase,
        encoding="utf-8",
    )


def test_public_reads_never_fail_and_answer_as_documented(province):
    # One test for all the operations: the province is built once, the examples stay bounded.
    client = Client()
    operations = list(_public_operations())
    assert len(operations) >= 8

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case) -> None:
            case.validate_response(_send(client, case), checks=CHECKS)

        run()
