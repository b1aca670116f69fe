"""Reusing the applicant's digitised documents (Decree 45/2020 art. 16–17): which ones, and at intake."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.files.storage import default_storage

from motcua.core.errors import ValidationFailed
from motcua.dossiers import applicant_documents as applicant_documents_module
from motcua.dossiers import services
from motcua.dossiers.applicant_documents import (
    REUSED,
    SIGNED_SCAN,
    ApplicantKey,
    applicant_documents,
    citizen_documents,
)
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, FileKind, StoredFile
from motcua.dossiers.services import RequestItem, Reused
from motcua.dossiers.uploads import Upload, store_upload
from motcua.org.access import scope_for
from motcua.signing import rules
from motcua.signing.models import FileSignature, SignatureStatus
from motcua.signing.tests.conftest import document

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
    returned_with_result,
)

pytestmark = pytest.mark.usefixtures("officer_certificate", "media")
NOW = at("2025-11-03 09:00")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _receive(people, points, data):
    return services.receive_dossier(data=data, point=points[DESK], actor=people[OFFICER], now=NOW)


def _binh() -> ApplicantKey:
    return ApplicantKey(kind="person", id_number=BINH.id_number, name=BINH.name)


def test_the_applicant_has_her_signed_scans_and_results_never_unsigned_scans(people, points):
    earlier = received_earlier(people, points)
    result = returned_with_result(people, points)
    received_earlier(people, points, applicant=CUC)  # another applicant's papers

    found = applicant_documents(_binh())

    assert [d.file_id for d in found] == [result.pk, earlier.signed.pk]  # newest first
    assert found[0].origin == "result" and "Bản sao được chứng thực" in found[0].name
    proof = found[1]
    assert proof.origin == SIGNED_SCAN and proof.dossier_code == earlier.dossier.code
    assert proof.name.startswith("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp")  # the item it was filed as
    assert earlier.unsigned.pk not in {d.file_id for d in found}


def test_a_signed_scan_with_a_newer_copy_is_listed_once_as_the_newer_copy(people, points):
    # A renewed archive timestamp (signing/services/archive.py) or a second signature makes a new copy
    # whose signatures point back at the file it was made from: only the newest copy is offered.
    earlier = received_earlier(people, points)
    copy = store_upload(
        dossier=earlier.dossier,
        upload=Upload(name="cho-o.pdf", content=document("Hợp đồng thuê nhà, bản lưu trữ")),
        kind=earlier.signed.kind,
        actor=None,
        document=earlier.signed.document,
    )
    signature = earlier.signed.signatures.get()
    signature.pk, signature.file, signature.source_file = None, copy, earlier.signed
    signature.save()

    assert [d.file_id for d in applicant_documents(_binh())] == [copy.pk]


def test_the_list_opens_only_with_the_name_on_record_spelt_any_way(people, points):
    earlier = received_earlier(people, points)

    folded = applicant_documents(dataclasses.replace(_binh(), name="  TRAN van binh "))
    wrong = applicant_documents(dataclasses.replace(_binh(), name="Trần Văn Bảo"))
    organisation = applicant_documents(dataclasses.replace(_binh(), kind="organisation"))

    assert [d.file_id for d in folded] == [earlier.signed.pk]
    assert wrong == [] and organisation == []


def test_a_dossier_filed_under_another_name_opens_none_of_the_earlier_ones(people, points):
    earlier = received_earlier(people, points)
    other_name = dataclasses.replace(BINH, name="Trần Văn Bảo")
    services.refuse_at_counter(
        data=residence_intake(other_name),
        point=points[DESK],
        actor=people[OFFICER],
        reasons="Sai tên",
        now=NOW,
    )

    assert applicant_documents(dataclasses.replace(_binh(), name="Trần Văn Bảo")) == []
    assert [d.file_id for d in applicant_documents(_binh())] == [earlier.signed.pk]


def test_a_signed_scan_is_reused_at_the_counter_without_copying_bytes(people, points):
    earlier = received_earlier(people, points)

    # The birth bundle's item 2 is the proof of lawful residence: it was digitised for the first dossier.
    dossier = _receive(people, points, birth_bundle(reused=[Reused(position=2, file_id=earlier.signed.pk)]))

    copy = dossier.files.get(kind=FileKind.REUSED)
    assert copy.reused_from == earlier.signed and copy.document.position == 2 and copy.document.provided
    assert (copy.file.name, copy.sha256, copy.size, copy.original_name) == (
        earlier.signed.file.name,
        earlier.signed.sha256,
        earlier.signed.size,
        "cho-o-da-ky-so.pdf",
    )
    assert copy.file.read() == earlier.signed.file.read()
    folder = f"dossiers/{copy.sha256[:2]}"
    assert [n for n in default_storage.listdir(folder)[1] if n.startswith(copy.sha256)] == [copy.sha256]
    received = dossier.events.get(action=Action.RECEIVE)
    assert received.data["reused"] == [
        {
            "position": 2,
            "document": copy.document.name,
            "file": "cho-o-da-ky-so.pdf",
            "dossier": earlier.dossier.code,
        }
    ]


def test_a_dossier_sent_by_post_reuses_a_document_too(people, points):
    earlier = received_earlier(people, points)
    data = birth_bundle(reused=[Reused(2, earlier.signed.pk)], postmarked_at=at("2025-11-01 10:00"))

    dossier = services.receive_dossier(
        data=data, point=points[DESK], actor=people[OFFICER], channel="post", now=NOW
    )

    assert dossier.channel == "post" and dossier.files.get(kind=FileKind.REUSED).reused_from == earlier.signed


def test_a_reused_document_counts_as_handed_in(people, points):
    earlier = received_earlier(people, points)
    # A second registration: the declaration is new, the required proof of residence is the digitised one.
    data = residence_intake(provided=[0], uploads=residence_intake().uploads[:1])

    with pytest.raises(ValidationFailed) as missing:
        _receive(people, points, data)
    dossier = _receive(people, points, dataclasses.replace(data, reused=[Reused(1, earlier.signed.pk)]))

    assert missing.value.code == "documents_missing"
    assert dossier.status in (Status.RECEIVED, Status.IN_PROGRESS)
    assert dossier.documents.get(position=1).provided


def test_a_foreign_unsigned_or_unknown_file_is_refused_alike_and_nothing_is_written(people, points):
    mine = received_earlier(people, points)
    theirs = received_earlier(people, points, applicant=CUC)
    dossiers, files = Dossier.objects.count(), StoredFile.objects.count()

    messages = set()
    for file_id in (theirs.signed.pk, mine.unsigned.pk, 999_999):
        with pytest.raises(ValidationFailed) as refused:
            _receive(people, points, birth_bundle(reused=[Reused(2, file_id)]))
        assert refused.value.code == "reused_file_not_available"
        messages.add(refused.value.message)

    assert len(messages) == 1 and "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp" in messages.pop()
    assert (Dossier.objects.count(), StoredFile.objects.count()) == (dossiers, files)


def test_the_name_typed_must_be_the_applicants_to_reuse_at_the_counter(people, points):
    earlier = received_earlier(people, points)
    impostor = dataclasses.replace(BINH, name="Trần Văn Bảo")

    with pytest.raises(ValidationFailed) as refused:
        _receive(people, points, birth_bundle(applicant=impostor, reused=[Reused(2, earlier.signed.pk)]))

    assert refused.value.code == "reused_file_not_available"


def test_an_item_the_procedure_does_not_list_is_refused(people, points):
    earlier = received_earlier(people, points)
    files = StoredFile.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        _receive(people, points, birth_bundle(reused=[Reused(9, earlier.signed.pk)]))

    assert "reused" in refused.value.fields and "9" in refused.value.message
    assert StoredFile.objects.count() == files


def test_a_request_to_complete_and_a_refusal_keep_the_reused_documents(people, points):
    earlier = received_earlier(people, points)
    officer, desk = people[OFFICER], points[DESK]
    data = residence_intake(provided=[0], uploads=[], reused=[Reused(1, earlier.signed.pk)])

    asked = services.request_completion_at_counter(
        data=data, point=desk, actor=officer, items=[RequestItem(position=0, reason="Thiếu chữ ký")], now=NOW
    )
    refused = services.refuse_at_counter(
        data=data, point=desk, actor=officer, reasons="Sai thẩm quyền", now=NOW
    )

    for dossier, action in ((asked, Action.REQUEST_COMPLETION), (refused, Action.REFUSE_INTAKE)):
        assert dossier.files.get().reused_from == earlier.signed
        assert dossier.events.get(action=action).data["reused"][0]["dossier"] == earlier.dossier.code


def test_online_the_citizen_reuses_only_her_own_documents(people, points):
    citizen = people["citizen"]
    hers = filed_online_earlier(people, points, citizen)
    counter = received_earlier(people, points)  # same ID number, filed at the counter: not her account's

    submitted = services.submit_online(
        data=birth_bundle(reused=[Reused(2, hers.signed.pk)]), point=points[DESK], citizen=citizen, now=NOW
    )

    assert submitted.files.get(kind=FileKind.REUSED).reused_from == hers.signed
    assert submitted.events.get(action=Action.SUBMIT_ONLINE).data["reused"][0]["dossier"] == hers.dossier.code
    for file_id, who in ((counter.signed.pk, citizen), (hers.signed.pk, people["stranger"])):
        with pytest.raises(ValidationFailed) as refused:
            services.submit_online(
                data=birth_bundle(reused=[Reused(2, file_id)]), point=points[DESK], citizen=who, now=NOW
            )
        assert refused.value.code == "reused_file_not_available"


def test_a_document_reused_once_stays_one_entry_where_it_was_last_used(people, points):
    citizen = people["citizen"]
    hers = filed_online_earlier(people, points, citizen)
    services.submit_online(
        data=birth_bundle(reused=[Reused(2, hers.signed.pk)]), point=points[DESK], citizen=citizen, now=NOW
    )

    found = citizen_documents(citizen)

    assert [d.sha256 for d in found] == [hers.signed.sha256]
    assert found[0].origin == REUSED and found[0].file_id != hers.signed.pk
    assert citizen_documents(people["stranger"]) == []


def test_copies_of_one_paper_do_not_push_the_applicants_other_papers_out(people, points, monkeypatch):
    monkeypatch.setattr(applicant_documents_module, "READ_LIMIT", 2)
    result = returned_with_result(people, points)  # her oldest paper
    earlier = received_earlier(people, points)
    declaration = Upload(name="to-khai.pdf", content=document("Tờ khai CT01"), document_position=0)
    for _ in range(2):  # the proof of residence reused twice: two newer copies of the same content
        _receive(
            people,
            points,
            residence_intake(uploads=[declaration], reused=[Reused(position=1, file_id=earlier.signed.pk)]),
        )

    found = applicant_documents(_binh())

    assert [d.sha256 for d in found] == [earlier.signed.sha256, result.sha256]
    assert found[0].origin == REUSED  # the newest copy stands for the paper


def test_a_reused_document_is_not_offered_for_signing_again(people, points):
    earlier = received_earlier(people, points)
    dossier = _receive(people, points, birth_bundle(reused=[Reused(position=2, file_id=earlier.signed.pk)]))

    officer = people[OFFICER]
    # The same officer may sign the dossier's own scans, not the copy that already carries a signature.
    assert rules.may_sign(officer, scope_for(officer), dossier, FileKind.SCAN)
    assert not rules.may_sign(officer, scope_for(officer), dossier, FileKind.REUSED)


def test_a_copy_points_at_the_original_and_lives_only_as_long_as_its_signature(people, points):
    earlier = received_earlier(people, points)
    first = _receive(people, points, birth_bundle(reused=[Reused(2, earlier.signed.pk)]))
    copy = first.files.get(kind=FileKind.REUSED)
    second = _receive(people, points, birth_bundle(reused=[Reused(2, copy.pk)]))  # reused from the copy

    assert second.files.get(kind=FileKind.REUSED).reused_from == earlier.signed  # the original, not the copy
    FileSignature.objects.filter(file=earlier.signed).update(status=SignatureStatus.MODIFIED)

    assert applicant_documents(_binh()) == []  # neither the original nor any copy of it
    with pytest.raises(ValidationFailed) as refused:
        _receive(people, points, birth_bundle(reused=[Reused(2, copy.pk)]))
    assert refused.value.code == "reused_file_not_available"
