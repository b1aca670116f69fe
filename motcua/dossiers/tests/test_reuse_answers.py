"""Answering a request with the applicant's digitised documents (Decree 45/2020 art. 16–17)."""

from __future__ import annotations

import dataclasses

import pytest

from motcua.core.errors import ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import DossierEvent, FileKind, StoredFile
from motcua.dossiers.services import RequestItem, Reused

from .conftest import at, birth_bundle
from .digitised import (
    BINH,
    CUC,
    DESK,
    OFFICER,
    filed_online_earlier,
    officer_certificate,  # noqa: F401 (a fixture)
    received_earlier,
    residence_intake,
)

pytestmark = pytest.mark.usefixtures("officer_certificate", "media")
NOW = at("2025-11-03 09:00")
SPECIALIST = "cv.tuphap.thanhsen"
PROOF = 2  # the birth bundle's proof of lawful residence


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _asked(people, points, **overrides):
    """A birth bundle of Bình at work at the justice office, asked to supplement its proof of residence."""
    dossier = services.receive_dossier(
        data=birth_bundle(**overrides), point=points[DESK], actor=people[OFFICER], now=NOW
    )
    services.request_supplement(
        code=dossier.code,
        actor=people[SPECIALIST],
        items=[RequestItem(PROOF, "Giấy tờ chỗ ở chưa hợp lệ.")],
        now=at("2025-11-03 10:00"),
    )
    return dossier


def _supplement(people, code, reused, actor=OFFICER):
    return services.receive_supplement(
        code=code, actor=people[actor], uploads=[], provided=[], reused=reused, now=at("2025-11-04 09:00")
    )


def test_the_counter_answers_a_supplement_with_the_applicants_signed_scan(people, points):
    earlier = received_earlier(people, points)
    dossier = _asked(people, points)

    _supplement(people, dossier.code, [Reused(PROOF, earlier.signed.pk)])

    dossier.refresh_from_db()
    copy = dossier.files.get(kind=FileKind.REUSED)
    assert dossier.status == Status.IN_PROGRESS and dossier.clock_paused_at is None
    assert copy.reused_from == earlier.signed and copy.sha256 == earlier.signed.sha256
    assert copy.document.position == PROOF and copy.document.provided
    event = dossier.events.get(action=Action.RECEIVE_SUPPLEMENT)
    assert event.data["reused"] == [
        {"position": PROOF, "document": copy.document.name, "file": "cho-o-da-ky-so.pdf",
         "dossier": earlier.dossier.code}
    ]  # fmt: skip
    assert dossier.supplement_requests.get().answered_at is not None


def test_a_foreign_unsigned_or_unknown_file_is_refused_alike_and_nothing_is_written(people, points):
    mine = received_earlier(people, points)
    theirs = received_earlier(people, points, applicant=CUC)
    dossier = _asked(people, points)
    files, events = StoredFile.objects.count(), DossierEvent.objects.count()

    for file_id in (theirs.signed.pk, mine.unsigned.pk, 999_999):
        with pytest.raises(ValidationFailed) as refused:
            _supplement(people, dossier.code, [Reused(PROOF, file_id)])
        assert refused.value.code == "reused_file_not_available"
        assert "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp" in refused.value.message

    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT
    assert (StoredFile.objects.count(), DossierEvent.objects.count()) == (files, events)


def test_only_the_requested_items_may_be_answered_with_a_digitised_document(people, points):
    earlier = received_earlier(people, points)
    dossier = _asked(people, points)

    with pytest.raises(ValidationFailed) as refused:
        _supplement(people, dossier.code, [Reused(0, earlier.signed.pk)])  # the declaration: not asked for

    assert refused.value.code == "document_not_requested"
    assert refused.value.fields == {"reused": {"positions": [0]}}
    assert not StoredFile.objects.filter(kind=FileKind.REUSED).exists()


def test_the_counter_reuses_only_what_was_filed_under_the_dossiers_id_number_and_name(people, points):
    earlier = received_earlier(people, points)
    impostor = dataclasses.replace(BINH, name="Trần Văn Bảo")  # Bình's ID number, another name
    dossier = _asked(people, points, applicant=impostor)

    with pytest.raises(ValidationFailed) as refused:
        _supplement(people, dossier.code, [Reused(PROOF, earlier.signed.pk)])

    assert refused.value.code == "reused_file_not_available"


def test_online_the_citizen_answers_with_her_own_documents_only(people, points):
    citizen = people["citizen"]
    hers = filed_online_earlier(people, points, citizen)
    counter = received_earlier(people, points)  # same ID number and name, filed at the counter
    filed = services.submit_online(data=birth_bundle(), point=points[DESK], citizen=citizen, now=NOW)
    services.request_completion_of_submission(
        code=filed.code,
        actor=people[OFFICER],
        items=[RequestItem(PROOF, "Thiếu giấy tờ chỗ ở.")],
        now=at("2025-11-03 10:00"),
    )

    with pytest.raises(ValidationFailed) as refused:
        services.complete_submission(
            code=filed.code,
            citizen=citizen,
            uploads=[],
            provided=[],
            reused=[Reused(PROOF, counter.signed.pk)],
        )
    services.complete_submission(
        code=filed.code, citizen=citizen, uploads=[], provided=[], reused=[Reused(PROOF, hers.signed.pk)]
    )

    filed.refresh_from_db()
    assert refused.value.code == "reused_file_not_available"
    assert filed.status == Status.SUBMITTED
    assert filed.files.get(kind=FileKind.REUSED).reused_from == hers.signed
    completed = filed.events.get(action=Action.COMPLETE_SUBMISSION)
    assert completed.data["reused"][0]["dossier"] == hers.dossier.code


def test_an_online_answer_needs_a_file_or_a_digitised_document(people, points):
    citizen = people["citizen"]
    filed = services.submit_online(data=birth_bundle(), point=points[DESK], citizen=citizen, now=NOW)
    services.request_completion_of_submission(
        code=filed.code, actor=people[OFFICER], items=[RequestItem(PROOF, "Thiếu.")], now=NOW
    )

    with pytest.raises(ValidationFailed) as empty:
        services.complete_submission(code=filed.code, citizen=citizen, uploads=[], provided=[])

    assert empty.value.code == "files_required"


def test_a_paper_dossier_comes_back_complete_with_a_digitised_document(people, points):
    earlier = received_earlier(people, points)
    # A second registration, asked to complete: its proof of residence is the digitised one.
    asked = services.request_completion_at_counter(
        data=residence_intake(provided=[0], uploads=residence_intake().uploads[:1]),
        point=points[DESK],
        actor=people[OFFICER],
        items=[RequestItem(1, "Thiếu giấy tờ chứng minh chỗ ở hợp pháp.")],
        now=NOW,
    )

    received = services.receive_completed_dossier(
        code=asked.code,
        actor=people[OFFICER],
        provided=[],
        reused=[Reused(1, earlier.signed.pk)],
        now=at("2025-11-03 14:00"),
    )

    assert received.status in (Status.RECEIVED, Status.IN_PROGRESS)
    assert received.documents.get(position=1).provided
    assert received.files.get(kind=FileKind.REUSED).reused_from == earlier.signed
    assert received.events.get(action=Action.RECEIVE).data["reused"][0]["dossier"] == earlier.dossier.code


def test_an_online_filer_typing_someone_elses_id_number_and_name_gets_none_of_her_documents(people, points):
    binh = received_earlier(people, points)  # at the counter, where an officer saw Bình's ID papers
    # Someone files online as Bình (the portal takes the ID number and name as typed) and is asked to
    # supplement during processing; the desk takes the supplement.
    posing = services.submit_online(
        data=birth_bundle(), point=points[DESK], citizen=people["stranger"], now=NOW
    )
    services.accept_submission(code=posing.code, actor=people[OFFICER], now=at("2025-11-03 09:30"))
    services.request_supplement(
        code=posing.code,
        actor=people[SPECIALIST],
        items=[RequestItem(PROOF, "Giấy tờ chỗ ở chưa hợp lệ.")],
        now=at("2025-11-03 10:00"),
    )

    with pytest.raises(ValidationFailed) as refused:
        _supplement(people, posing.code, [Reused(PROOF, binh.signed.pk)])

    assert refused.value.code == "reused_file_not_available"
    assert not StoredFile.objects.filter(kind=FileKind.REUSED).exists()
