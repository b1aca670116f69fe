"""`reused` in the answers to a request (supplement, complete-submission): as at intake, same errors."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.models import StoredFile
from motcua.dossiers.services import RequestItem
from motcua.dossiers.tests.conftest import at, birth_bundle
from motcua.dossiers.tests.digitised import (  # noqa: F401 (a fixture)
    CUC,
    filed_online_earlier,
    officer_certificate,
    received_earlier,
)

from .conftest import Staff

DOSSIERS = "/api/v1/dossiers"
DESK = "ttpvhcc-thanhsen"
pytestmark = pytest.mark.usefixtures("officer_certificate")


def _reused(file_id: int, position: int = 2) -> dict:
    return {"reused": [{"position": position, "file_id": file_id}]}


def test_the_desk_answers_a_supplement_with_the_applicants_digitised_document(staff: Staff, people, points):
    earlier = received_earlier(people, points)
    theirs = received_earlier(people, points, applicant=CUC)
    dossier = services.receive_dossier(
        data=birth_bundle(), point=points[DESK], actor=people["motcua.thanhsen"], now=at("2025-11-03 09:00")
    )
    services.request_supplement(
        code=dossier.code,
        actor=people["cv.tuphap.thanhsen"],
        items=[RequestItem(2, "Giấy tờ chỗ ở chưa hợp lệ.")],
        now=at("2025-11-03 10:00"),
    )
    desk = staff["motcua.thanhsen"]
    url = f"{DOSSIERS}/{dossier.code}/supplement"
    files = StoredFile.objects.count()

    foreign = desk.post(url, _reused(theirs.signed.pk))
    unrequested = desk.post(url, _reused(earlier.signed.pk, position=0))
    assert StoredFile.objects.count() == files
    answered = desk.post(url, _reused(earlier.signed.pk))

    assert foreign.status_code == 422 and foreign.json()["error"]["code"] == "reused_file_not_available"
    assert unrequested.status_code == 422 and unrequested.json()["error"]["code"] == "document_not_requested"
    assert answered.status_code == 200, answered.json()
    body = answered.json()
    assert body["status"] == "in_progress"
    [copy] = [f for f in body["files"] if f["kind"] == "reused"]
    assert (copy["sha256"], copy["document_position"]) == (earlier.signed.sha256, 2)
    event = next(e for e in body["timeline"] if e["action"] == "receive_supplement")
    assert event["data"]["reused"][0]["dossier"] == earlier.dossier.code


def test_the_citizen_completes_her_submission_with_her_own_digitised_document(people, points):
    citizen = people["citizen"]
    hers = filed_online_earlier(people, points, citizen)
    filed = services.submit_online(
        data=birth_bundle(), point=points[DESK], citizen=citizen, now=at("2025-11-03 08:00")
    )
    services.request_completion_of_submission(
        code=filed.code,
        actor=people["motcua.thanhsen"],
        items=[RequestItem(2, "Thiếu giấy tờ chỗ ở.")],
        now=at("2025-11-03 10:00"),
    )
    client = Client()
    client.force_login(citizen)

    response = client.post(
        f"{DOSSIERS}/{filed.code}/complete-submission",
        _reused(hers.signed.pk),
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert [f["kind"] for f in response.json()["files"]].count("reused") == 1


def test_the_openapi_document_shows_reused_in_the_answers(client):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]

    assert "document_not_requested" in schema["FilesIn"]["properties"]["reused"]["description"]
