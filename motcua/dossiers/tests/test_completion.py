"""A paper dossier asked to complete at the counter is received on the same record when it comes back."""

from __future__ import annotations

import pytest

from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierEvent, FileKind, StepStatus
from motcua.dossiers.services import RequestItem

from .conftest import at, birth_bundle, pdf

ASKED = at("2025-11-03 09:00")
BACK = at("2025-11-05 14:00")


@pytest.fixture
def incomplete(people, points):
    """The birth dossier without the birth certificate (position 1): the desk asks for it once."""
    return services.request_completion_at_counter(
        data=birth_bundle(provided=[0, 3], uploads=[]),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        items=[RequestItem(position=1, reason="Chưa có giấy chứng sinh bản chính.")],
        now=ASKED,
    )


def test_the_completed_dossier_is_received_on_the_same_record(incomplete, people):
    officer = people["motcua.thanhsen"]
    dossier = services.receive_completed_dossier(
        code=incomplete.code,
        actor=officer,
        provided=[1],
        uploads=[pdf("giay-chung-sinh.pdf", 1)],
        expected_version=incomplete.version,
        now=BACK,
    )

    assert Dossier.objects.count() == 1 and dossier.code == incomplete.code
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS  # received before 15:00: transferred at once
    assert dossier.received_at == BACK and dossier.received_by == officer
    assert dossier.due_at == at("2025-11-10 14:00")  # 3 working days from the day it came back complete
    assert dossier.documents.get(position=1).provided
    request = dossier.supplement_requests.get()
    assert request.answered_at == BACK
    scan = dossier.files.get()
    assert scan.kind == FileKind.SUPPLEMENT and scan.document.position == 1
    assert dossier.steps.filter(status=StepStatus.ACTIVE).count() == 1
    actions = list(dossier.events.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["request_completion", "receive", "transfer"]
    assert dossier.events.get(action="receive").data["completed"] is True
    # Nothing is left for the overnight job: the request is answered, the dossier is not abandoned.
    assert services.abandon_unanswered(now=at("2025-12-31 09:00")) == []


def test_a_document_still_missing_is_named_and_nothing_changes(incomplete, people):
    with pytest.raises(ValidationFailed) as caught:
        services.receive_completed_dossier(
            code=incomplete.code, actor=people["motcua.thanhsen"], provided=[], now=BACK
        )
    assert caught.value.code == "documents_missing"
    assert caught.value.fields["missing"] == ["Giấy chứng sinh"]
    incomplete.refresh_from_db()
    assert incomplete.status == Status.NEEDS_COMPLETION and incomplete.steps.count() == 0
    assert incomplete.supplement_requests.get().answered_at is None
    assert DossierEvent.objects.filter(dossier=incomplete).count() == 1


def test_only_a_desk_of_the_receiving_point_may_receive_it(incomplete, people):
    for outsider in (people["motcua.thachha"], people["cv.tuphap.thanhsen"], people["stranger"]):
        with pytest.raises(NotFound):
            services.receive_completed_dossier(code=incomplete.code, actor=outsider, provided=[1], now=BACK)


def test_a_stale_page_gets_a_conflict(incomplete, people):
    with pytest.raises(Conflict):
        services.receive_completed_dossier(
            code=incomplete.code,
            actor=people["motcua.thanhsen"],
            provided=[1],
            expected_version=incomplete.version - 1,
            now=BACK,
        )


def test_it_is_received_once(incomplete, people):
    officer = people["motcua.thanhsen"]
    services.receive_completed_dossier(code=incomplete.code, actor=officer, provided=[1], now=BACK)
    with pytest.raises(NotFound) as caught:
        services.receive_completed_dossier(code=incomplete.code, actor=officer, provided=[1], now=BACK)
    assert caught.value.code == "no_open_request"


def test_an_online_submission_is_completed_by_the_citizen_not_at_the_counter(people, points):
    citizen = people["citizen"]
    submitted = services.submit_online(
        data=birth_bundle(provided=[0, 3], uploads=[pdf("to-khai.pdf", 0)]),
        point=points["ttpvhcc-thanhsen"],
        citizen=citizen,
        now=ASKED,
    )
    officer = people["motcua.thanhsen"]
    services.request_completion_of_submission(
        code=submitted.code, actor=officer, items=[RequestItem(position=1, reason="Thiếu giấy chứng sinh.")]
    )
    with pytest.raises(ValidationFailed) as caught:
        services.receive_completed_dossier(code=submitted.code, actor=officer, provided=[1], now=BACK)
    assert caught.value.code == "wrong_channel"
