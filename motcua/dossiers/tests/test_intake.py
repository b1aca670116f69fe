from __future__ import annotations

import dataclasses

import pytest

from motcua.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierEvent, StoredFile
from motcua.dossiers.services import RequestItem
from motcua.dossiers.uploads import Upload

from .conftest import PNG, at, birth_bundle, pdf


def test_a_missing_required_document_is_named_and_nothing_is_written(people, points):
    with pytest.raises(ValidationFailed) as caught:
        services.receive_dossier(
            data=birth_bundle(provided=[0, 3]),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            now=at("2025-11-03 09:00"),
        )

    assert caught.value.code == "documents_missing"
    assert caught.value.fields["missing"] == ["Giấy chứng sinh"]
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0


def test_bad_applicant_fields_are_all_reported(people, points):
    data = birth_bundle(
        applicant=dataclasses.replace(birth_bundle().applicant, name=" ", id_number="12ab"),
        delivery="post",
    )

    with pytest.raises(ValidationFailed) as caught:
        services.receive_dossier(data=data, point=points["ttpvhcc-thanhsen"], actor=people["motcua.thanhsen"])

    assert set(caught.value.fields) == {"applicant.name", "applicant.id_number", "delivery_address"}


def test_an_officer_of_another_point_cannot_receive_here(people, points):
    with pytest.raises(NotFound):
        services.receive_dossier(
            data=birth_bundle(), point=points["ttpvhcc-thanhsen"], actor=people["motcua.thachha"]
        )


def test_a_point_does_not_receive_procedures_of_agencies_it_does_not_serve(people, points):
    data = birth_bundle(procedure_code="2.001610", provided=[0, 1])

    with pytest.raises(ValidationFailed) as caught:
        services.receive_dossier(
            data=data,
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            now=at("2025-11-03 09:00"),
        )

    assert caught.value.code == "procedure_not_received_here"


def test_a_file_is_judged_by_its_bytes_not_its_name(people, points):
    fake = Upload(name="giay-chung-sinh.pdf", content=b"MZ\x90\x00 this is an executable")

    with pytest.raises(ValidationFailed) as caught:
        services.receive_dossier(
            data=birth_bundle(uploads=[fake]),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
        )

    assert caught.value.code == "file_type_not_allowed"
    assert StoredFile.objects.count() == 0


def test_stored_files_keep_size_type_and_hash(people, points):
    dossier = services.receive_dossier(
        data=birth_bundle(uploads=[Upload("anh.jpg", PNG, 1)]),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )

    stored = dossier.files.get()
    assert (stored.content_type, stored.size, len(stored.sha256)) == ("image/png", len(PNG), 64)
    assert stored.document.name == "Giấy chứng sinh"


def test_an_oversized_file_is_refused(people, points, settings):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_UPLOAD_MB": 1}
    big = Upload("scan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))

    with pytest.raises(ValidationFailed) as caught:
        services.receive_dossier(
            data=birth_bundle(uploads=[big]),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
        )

    assert caught.value.code == "file_too_large"


def test_a_completion_request_may_only_name_listed_documents_and_only_once(people, points):
    officer = people["motcua.thanhsen"]
    with pytest.raises(ValidationFailed) as caught:
        services.request_completion_at_counter(
            data=birth_bundle(provided=[0]),
            point=points["ttpvhcc-thanhsen"],
            actor=officer,
            items=[RequestItem(position=99, reason="Sổ hộ khẩu")],
        )
    assert caught.value.code == "document_not_listed"

    dossier = services.request_completion_at_counter(
        data=birth_bundle(provided=[0]),
        point=points["ttpvhcc-thanhsen"],
        actor=officer,
        items=[RequestItem(position=1, reason="Chưa có giấy chứng sinh bản chính.")],
        now=at("2025-11-03 09:00"),
    )
    assert dossier.status == Status.NEEDS_COMPLETION
    assert dossier.supplement_requests.get().items[0]["name"] == "Giấy chứng sinh"


def test_a_refusal_at_the_counter_needs_reasons_and_keeps_a_code(people, points):
    with pytest.raises(ValidationFailed):
        services.refuse_at_counter(
            data=birth_bundle(),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            reasons="  ",
        )

    dossier = services.refuse_at_counter(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        reasons="Trẻ đã được đăng ký khai sinh tại địa phương khác.",
        now=at("2025-11-03 09:00"),
    )
    assert dossier.status == Status.REFUSED and dossier.code.startswith("H42.50.01-251103-")
    assert dossier.events.get().comment.startswith("Trẻ đã được")


def test_an_online_submission_waits_for_the_desk_then_counts_from_its_submission(people, points):
    citizen = people["citizen"]
    dossier = services.submit_online(
        data=birth_bundle(), point=points["ttpvhcc-thanhsen"], citizen=citizen, now=at("2025-11-07 18:30")
    )
    assert dossier.status == Status.SUBMITTED and dossier.due_at is None

    services.accept_submission(code=dossier.code, actor=people["motcua.thanhsen"], now=at("2025-11-10 08:00"))

    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    # Filed after 17:00 on Friday: the clock starts Monday morning (Decree 297/2025 art. 3(5)).
    assert dossier.clock_started_at == at("2025-11-10 07:00")
    assert dossier.citizen == citizen


def test_a_citizen_may_withdraw_only_before_acceptance_and_only_her_own(people, points):
    dossier = services.submit_online(
        data=birth_bundle(), point=points["ttpvhcc-thanhsen"], citizen=people["citizen"]
    )
    with pytest.raises(NotFound):
        services.withdraw_submission(code=dossier.code, citizen=people["stranger"])

    services.accept_submission(code=dossier.code, actor=people["motcua.thanhsen"])
    with pytest.raises(TransitionNotAllowed):
        services.withdraw_submission(code=dossier.code, citizen=people["citizen"])


def test_an_online_dossier_asked_to_complete_comes_back_to_the_desk(people, points):
    dossier = services.submit_online(
        data=birth_bundle(provided=[0], uploads=[pdf("to-khai.pdf", 0)]),
        point=points["ttpvhcc-thanhsen"],
        citizen=people["citizen"],
    )
    services.request_completion_of_submission(
        code=dossier.code, actor=people["motcua.thanhsen"], items=[RequestItem(1, "Bổ sung giấy chứng sinh.")]
    )

    services.complete_submission(
        code=dossier.code, citizen=people["citizen"], uploads=[pdf("cs.pdf", 1)], provided=[1]
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.documents.get(position=1).provided


def test_a_commune_procedure_is_not_received_at_the_provincial_centre(people, points):
    with pytest.raises(ValidationFailed) as caught:
        services.receive_dossier(
            data=birth_bundle(),
            point=points["ttpvhcc-tinh"],
            actor=people["motcua.tuphap"],
            now=at("2025-11-03 09:00"),
        )

    assert caught.value.code == "procedure_not_received_here"


def test_a_dossier_is_created_at_the_services_moment_so_lists_sort_by_it(people, points):
    def receive(moment: str) -> Dossier:
        return services.receive_dossier(
            data=birth_bundle(),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            now=at(moment),
        )

    later, earlier = receive("2025-11-04 09:00"), receive("2025-11-03 09:00")  # the earlier one typed second

    assert Dossier.objects.get(pk=earlier.pk).created_at == at("2025-11-03 09:00")
    assert list(Dossier.objects.values_list("pk", flat=True)) == [later.pk, earlier.pk]  # newest first
