"""What each dossier action tells whom, written in the same transaction as the action."""

from __future__ import annotations

import pytest
from django.db import transaction

from motcua.core.errors import ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.services import ApplicantIn, RequestItem
from motcua.dossiers.tests.conftest import at, birth_bundle, pdf
from motcua.notify.events import enqueue_for_event
from motcua.notify.models import ContactPreference, OutboxMessage
from motcua.notify.services import set_contact_preference
from motcua.notify.sms import segments

pytestmark = pytest.mark.django_db
CENTRE = "ttpvhcc-thanhsen"


def _kinds(dossier: Dossier, channel: str) -> list[str]:
    rows = OutboxMessage.objects.filter(dossier=dossier, channel=channel).order_by("created_at", "id")
    return list(rows.values_list("kind", flat=True))


def _receive(people, points, **overrides) -> Dossier:
    return services.receive_dossier(
        data=birth_bundle(**overrides),
        point=points[CENTRE],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )


def test_receiving_a_dossier_tells_the_applicant_its_code_and_appointment_by_sms_and_email(people, points):
    dossier = _receive(people, points)

    sms = OutboxMessage.objects.get(dossier=dossier, channel="sms")
    mail = OutboxMessage.objects.get(dossier=dossier, channel="email")
    assert (sms.kind, sms.recipient, sms.status) == ("received", "+84912345678", "pending")
    assert dossier.code in sms.body and "09:00 06/11/2025" in sms.body
    assert sms.unicode and sms.segments == segments(sms.body) <= 3
    assert mail.recipient == "binh@example.vn"
    assert mail.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận – hẹn trả 09:00 06/11/2025"
    assert "Kính gửi ông/bà Trần Văn Bình" in mail.body and "/tra-cuu/" in mail.body
    # The receipt's own status, though the same call has already transferred the dossier onwards.
    assert dossier.status == "in_progress" and "Tình trạng: Đã tiếp nhận" in mail.body
    assert "<html" in mail.html and "Trần Văn Bình" in mail.html
    # Transfers and steps are internal: the applicant hears about outcomes only.
    assert _kinds(dossier, "sms") == ["received"]


def test_a_service_call_that_fails_halfway_leaves_no_message(people, points):
    with pytest.raises(ValidationFailed):
        services.request_completion_at_counter(
            data=birth_bundle(provided=[0]),
            point=points[CENTRE],
            actor=people["motcua.thanhsen"],
            items=[RequestItem(position=99, reason="not a listed document")],
            now=at("2025-11-03 09:00"),
        )

    assert not Dossier.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_messages_are_queued_for_delivery_only_when_the_transaction_commits(
    people, points, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        _receive(people, points)
        assert OutboxMessage.objects.count() == 2
        transaction.set_rollback(True)
    assert callbacks == [] and not OutboxMessage.objects.exists()

    with django_capture_on_commit_callbacks() as callbacks:
        _receive(people, points)
    assert len(callbacks) >= 1 and OutboxMessage.objects.count() == 2


def test_the_same_event_never_queues_the_same_message_twice(people, points):
    dossier = _receive(people, points)
    event = dossier.events.get(action="receive")

    enqueue_for_event(event)
    enqueue_for_event(event)

    assert OutboxMessage.objects.filter(event=event).count() == 2


def test_a_whole_dossier_life_tells_the_applicant_each_turn(people, points):
    officer = people["motcua.thanhsen"]
    dossier = _receive(people, points)
    review = dossier.steps.get(status=StepStatus.ACTIVE)
    services.complete_step(
        code=dossier.code, step_id=review.pk, actor=people["cv.tuphap.thanhsen"], now=at("2025-11-03 14:00")
    )
    services.request_supplement(
        code=dossier.code,
        actor=people["ca.thanhsen"],
        items=[RequestItem(position=2, reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp.")],
        now=at("2025-11-04 08:00"),
    )
    services.receive_supplement(
        code=dossier.code,
        actor=officer,
        uploads=[pdf("cho-o.pdf", 2)],
        provided=[2],
        now=at("2025-11-05 10:00"),
    )
    services.issue_apology(
        code=dossier.code,
        actor=people["ct.thanhsen"],
        reason="Cần xác minh thêm thông tin cư trú.",
        new_due_at=at("2025-11-12 10:00"),
        now=at("2025-11-07 08:00"),
    )
    while step := dossier.steps.filter(status=StepStatus.ACTIVE).exclude(role="counter_officer").first():
        actor = {
            "H42.50.01": people["ct.thanhsen"],
            "H42.30.01": people["ld.ca.thanhsen"],
            "H42.32": people["ld.bhxh"],
        }[step.agency.code]
        services.complete_step(code=dossier.code, step_id=step.pk, actor=actor, now=at("2025-11-10 09:00"))
    services.mark_result_ready(
        code=dossier.code,
        actor=people["cv.tuphap.thanhsen"],
        results=[pdf("kq.pdf")],
        now=at("2025-11-10 14:00"),
    )
    services.hand_over_result(code=dossier.code, actor=officer, now=at("2025-11-11 08:30"))

    life = ["received", "supplement_needed", "supplement_received", "apology", "result_ready", "returned"]
    assert _kinds(dossier, "sms") == life
    assert _kinds(dossier, "email") == life
    needed = OutboxMessage.objects.get(dossier=dossier, channel="email", kind="supplement_needed")
    assert "Thiếu giấy tờ chứng minh chỗ ở hợp pháp." in needed.body
    apology = OutboxMessage.objects.get(dossier=dossier, channel="sms", kind="apology")
    assert "xin lỗi" in apology.body and "10:00 12/11/2025" in apology.body
    assert all(m.segments <= 3 for m in OutboxMessage.objects.filter(channel="sms"))


def test_a_leader_assigning_or_returning_a_step_tells_the_officer(people, points):
    dossier = _receive(people, points)
    review = dossier.steps.get(status=StepStatus.ACTIVE)
    specialist, police = people["cv.tuphap.thanhsen"], people["ca.thanhsen"]
    services.assign_step(
        code=dossier.code,
        step_id=review.pk,
        actor=people["ct.thanhsen"],
        assignee=specialist,
        now=at("2025-11-03 10:00"),
    )
    services.complete_step(code=dossier.code, step_id=review.pk, actor=specialist, now=at("2025-11-03 11:00"))
    checked = dossier.steps.get(status=StepStatus.ACTIVE, branch="cu-tru")
    services.complete_step(code=dossier.code, step_id=checked.pk, actor=police, now=at("2025-11-03 13:00"))
    leader_step = dossier.steps.get(status=StepStatus.ACTIVE, branch="cu-tru")
    services.return_step(
        code=dossier.code,
        step_id=leader_step.pk,
        to_step_id=checked.pk,
        actor=people["ld.ca.thanhsen"],
        reason="Kiểm tra lại địa chỉ thường trú.",
        now=at("2025-11-03 14:00"),
    )

    assigned = OutboxMessage.objects.get(kind="step_assigned")
    returned = OutboxMessage.objects.get(kind="step_returned")
    assert (assigned.recipient, assigned.user) == (specialist.email, specialist)
    assert "Tạ Văn Nam" in assigned.body and "Tạ Văn Nam" in assigned.subject + assigned.body
    assert (returned.recipient, returned.user) == (police.email, police)
    assert "Kiểm tra lại địa chỉ thường trú." in returned.body
    # Staff SMS is opt-in.
    assert not OutboxMessage.objects.filter(kind__startswith="step_", channel="sms").exists()


def test_the_applicants_preferences_choose_channels_and_language(people, points):
    ContactPreference.objects.create(phone="+84912345678", sms_enabled=False, language="en")

    dossier = _receive(people, points)

    [mail] = OutboxMessage.objects.filter(dossier=dossier)
    assert mail.channel == "email" and mail.language == "en"
    assert mail.subject.startswith(f"Dossier {dossier.code} received")


def test_refusal_and_stop_tell_the_applicant_with_the_reason(people, points):
    refused = services.refuse_at_counter(
        data=birth_bundle(),
        point=points[CENTRE],
        actor=people["motcua.thanhsen"],
        reasons="Không thuộc thẩm quyền.",
        now=at("2025-11-03 09:00"),
    )
    stopped = _receive(
        people,
        points,
        applicant=ApplicantIn(name="Lê Thị Hoa", id_number="042090009999", phone="0987 654 321"),
    )
    services.stop_dossier(
        code=stopped.code, actor=people["motcua.thanhsen"], reason="", now=at("2025-11-03 10:00")
    )

    refusal = OutboxMessage.objects.get(dossier=refused, channel="sms")
    assert refusal.kind == "refused" and "Không thuộc thẩm quyền." in refusal.body
    assert _kinds(stopped, "sms") == ["received", "stopped"]
    assert OutboxMessage.objects.filter(dossier=stopped, recipient="+84987654321").count() == 2
    assert not OutboxMessage.objects.filter(dossier=stopped, channel="email").exists()  # none given


def test_a_citizen_account_can_turn_sms_off(people, points):
    citizen = people["citizen"]
    set_contact_preference(user=citizen, phone="0912 345 678", sms_enabled=False)
    dossier = services.submit_online(
        data=birth_bundle(uploads=[pdf("to-khai.pdf", 0)]),
        point=points[CENTRE],
        citizen=citizen,
        now=at("2025-11-03 09:00"),
    )

    assert _kinds(dossier, "sms") == [] and _kinds(dossier, "email") == ["submitted"]
    with pytest.raises(ValidationFailed):
        set_contact_preference(phone="12")


def test_an_agency_that_starts_listening_gets_the_next_event_and_a_stopped_one_does_not(people, points):
    from motcua.notify.models import WebhookEndpoint

    dossier = _receive(people, points)  # the endpoint list is cached now: nobody listens
    step = dossier.steps.get(status=StepStatus.ACTIVE, branch="")
    endpoint = WebhookEndpoint.objects.create(
        agency_id=step.agency_id,
        url="https://nghe.example.vn/hook",
        secret="s" * 32,
        events=["take_step", "complete_step"],
    )
    services.take_step(
        code=dossier.code, step_id=step.pk, actor=people["cv.tuphap.thanhsen"], now=at("2025-11-03 10:00")
    )
    endpoint.active = False
    endpoint.save()
    services.complete_step(
        code=dossier.code, step_id=step.pk, actor=people["cv.tuphap.thanhsen"], now=at("2025-11-03 10:00")
    )

    hooks = OutboxMessage.objects.filter(dossier=dossier, channel="webhook")
    assert list(hooks.values_list("subject", flat=True)) == ["dossier.take_step"]
