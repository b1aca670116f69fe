"""/api/v1/applicants/…/documents and `reused` in intake bodies: digitised documents not asked for again."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from motcua.dossiers.models import ApplicantDisclosure, Dossier, StoredFile
from motcua.dossiers.tests.digitised import (  # noqa: F401 (a fixture)
    BINH,
    CUC,
    filed_online_earlier,
    officer_certificate,
    received_earlier,
)

from .conftest import Staff, birth_json

DOCUMENTS = "/api/v1/applicants/documents/search"
DOSSIERS = "/api/v1/dossiers"
pytestmark = pytest.mark.usefixtures("officer_certificate")


def _query(**overrides) -> dict:
    return {"id_number": BINH.id_number, "name": BINH.name, **overrides}


def test_counter_software_lists_the_applicants_documents_when_the_name_matches(staff: Staff, people, points):
    earlier = received_earlier(people, points)
    received_earlier(people, points, applicant=CUC)
    desk = staff["motcua.thanhsen"]

    found = desk.post(DOCUMENTS, _query(name="TRẦN văn bình"))
    wrong = desk.post(DOCUMENTS, _query(name="Trần Văn Bảo"))

    assert found.status_code == 200, found.json()
    [item] = found.json()["items"]
    assert item["file_id"] == earlier.signed.pk and item["origin"] == "signed_scan"
    assert item["dossier_code"] == earlier.dossier.code and item["file_name"] == "cho-o-da-ky-so.pdf"
    assert wrong.status_code == 200 and wrong.json() == {"items": []}
    # Recorded when something was shown: one entry, for the matching name only.
    [shown] = ApplicantDisclosure.objects.all()
    assert (shown.applicant.id_number, shown.purpose, shown.through_api, shown.listed) == (
        BINH.id_number,
        "documents",
        True,
        1,
    )
    assert shown.user.get_username() == "motcua.thanhsen"


def test_only_counter_officers_may_ask(staff: Staff, people, points):
    received_earlier(people, points)

    specialist = staff["cv.tuphap.thanhsen"].post(DOCUMENTS, _query())
    anonymous = Client().post(DOCUMENTS, _query(), content_type="application/json")

    assert specialist.status_code == 404 and specialist.json()["error"]["code"] == "not_found"
    assert anonymous.status_code == 401


def test_the_id_number_is_never_asked_in_a_url(staff: Staff, people, points):
    received_earlier(people, points)

    in_the_url = staff["motcua.thanhsen"].get(DOCUMENTS, _query())

    assert in_the_url.status_code == 405


def test_the_intake_body_reuses_a_document_and_refuses_another_applicants(staff: Staff, people, points):
    earlier = received_earlier(people, points)
    theirs = received_earlier(people, points, applicant=CUC)
    desk = staff["motcua.thanhsen"]
    counts = Dossier.objects.count(), StoredFile.objects.count()

    refused = desk.post(DOSSIERS, birth_json(reused=[{"position": 2, "file_id": theirs.signed.pk}]))
    unlisted = desk.post(DOSSIERS, birth_json(reused=[{"position": 7, "file_id": earlier.signed.pk}]))
    assert (Dossier.objects.count(), StoredFile.objects.count()) == counts
    received = desk.post(DOSSIERS, birth_json(reused=[{"position": 2, "file_id": earlier.signed.pk}]))

    assert refused.status_code == 422 and refused.json()["error"]["code"] == "reused_file_not_available"
    assert "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp" in refused.json()["error"]["message"]
    assert unlisted.status_code == 422 and "reused" in unlisted.json()["error"]["fields"]
    assert received.status_code == 201, received.json()
    body = received.json()
    [copy] = [f for f in body["files"] if f["kind"] == "reused"]
    assert (copy["name"], copy["sha256"], copy["document_position"]) == (
        "cho-o-da-ky-so.pdf",
        earlier.signed.sha256,
        2,
    )
    assert next(d for d in body["documents"] if d["position"] == 2)["provided"]
    receive = next(e for e in body["timeline"] if e["action"] == "receive")
    assert receive["data"]["reused"][0]["dossier"] == earlier.dossier.code


def test_a_multipart_intake_carries_reused_in_its_data(staff: Staff, people, points):
    earlier = received_earlier(people, points)
    desk = staff["motcua.thanhsen"]
    body = birth_json(files=[], provided=[0, 3], reused=[{"position": 1, "file_id": earlier.signed.pk}])

    response = desk.client.post(
        f"{DOSSIERS}/multipart", {"data": json.dumps(body)}, **desk.auth, HTTP_IDEMPOTENCY_KEY="reuse-1"
    )

    assert response.status_code == 201, response.json()
    assert [f["kind"] for f in response.json()["files"]] == ["reused"]


def test_a_citizen_reads_and_reuses_her_own_documents_online(people, points):
    hers = filed_online_earlier(people, points, people["citizen"])
    citizen, stranger = Client(), Client()
    citizen.force_login(people["citizen"])
    stranger.force_login(people["stranger"])
    online = birth_json(reused=[{"position": 2, "file_id": hers.signed.pk}])
    online.pop("channel")

    mine = citizen.get("/api/v1/applicants/me/documents").json()["items"]
    filed = citizen.post(f"{DOSSIERS}/online", online, content_type="application/json")
    refused = stranger.post(f"{DOSSIERS}/online", online, content_type="application/json")

    assert [d["file_id"] for d in mine] == [hers.signed.pk]
    assert stranger.get("/api/v1/applicants/me/documents").json() == {"items": []}
    assert filed.status_code == 201, filed.json()
    assert [f["kind"] for f in filed.json()["files"]].count("reused") == 1
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "reused_file_not_available"


def test_the_openapi_document_shows_reused_with_an_example(client):
    document = client.get("/api/openapi.json").json()

    reused = document["components"]["schemas"]["CounterIntakeIn"]["properties"]["reused"]
    assert reused["examples"] == [[{"position": 2, "file_id": 41}]]
    assert {"/api/v1/applicants/documents/search", "/api/v1/applicants/me/documents"} <= set(
        document["paths"]
    )


FILE = "/api/v1/applicants/documents/file"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_counter_software_opens_a_listed_document_only_for_its_applicant(staff: Staff, people, points):
    earlier = received_earlier(people, points)
    theirs = received_earlier(people, points, applicant=CUC)
    desk = staff["motcua.thanhsen"]
    with earlier.signed.file.open("rb") as handle:
        expected = handle.read()

    opened = desk.post(FILE, _query(file_id=earlier.signed.pk))
    another = desk.post(FILE, _query(file_id=theirs.signed.pk))
    wrong_name = desk.post(FILE, _query(name="Trần Văn Bảo", file_id=earlier.signed.pk))
    unsigned = desk.post(FILE, _query(file_id=earlier.unsigned.pk))

    assert opened.status_code == 200 and _body(opened) == expected
    assert (
        opened["Content-Type"] == "application/pdf" and "cho-o-da-ky-so.pdf" in opened["Content-Disposition"]
    )
    assert opened["Cache-Control"] == "private, no-store"
    for refused in (another, wrong_name, unsigned):
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "file_not_found"
    # Only what was shown is recorded: the one file opened.
    [shown] = ApplicantDisclosure.objects.all()
    assert (shown.applicant.id_number, shown.through_api, shown.listed) == (BINH.id_number, True, 1)


def test_only_counter_officers_open_a_document_and_never_by_get(staff: Staff, people, points):
    earlier = received_earlier(people, points)

    specialist = staff["cv.tuphap.thanhsen"].post(FILE, _query(file_id=earlier.signed.pk))
    in_the_url = staff["motcua.thanhsen"].get(FILE, _query(file_id=earlier.signed.pk))

    assert specialist.status_code == 404 and specialist.json()["error"]["code"] == "not_found"
    assert in_the_url.status_code == 405
    assert not ApplicantDisclosure.objects.exists()


def test_a_citizen_downloads_her_own_document_and_nobody_else_s(people, points):
    hers = filed_online_earlier(people, points, people["citizen"])
    citizen, stranger = Client(), Client()
    citizen.force_login(people["citizen"])
    stranger.force_login(people["stranger"])
    path = f"/api/v1/applicants/me/documents/{hers.signed.pk}"

    mine = citizen.get(path)
    theirs = stranger.get(path)
    unsigned = citizen.get(f"/api/v1/applicants/me/documents/{hers.unsigned.pk}")

    with hers.signed.file.open("rb") as handle:
        assert mine.status_code == 200 and _body(mine) == handle.read()
    assert theirs.status_code == 404 and unsigned.status_code == 404


def test_the_openapi_document_describes_the_document_downloads_as_files(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    for path, method in (
        ("/api/v1/applicants/documents/file", "post"),
        ("/api/v1/applicants/me/documents/{file_id}", "get"),
    ):
        content = paths[path][method]["responses"]["200"]["content"]
        assert content["application/octet-stream"]["schema"]["format"] == "binary"
