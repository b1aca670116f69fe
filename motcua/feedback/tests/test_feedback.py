"""Feedback via the services: received, routed, forwarded, answered on time or late, declined, published."""

from __future__ import annotations

import pytest

from motcua.core.errors import Conflict, NotFound, TransitionNotAllowed, ValidationFailed
from motcua.dossiers.uploads import Upload
from motcua.feedback import services
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.notify.models import OutboxMessage
from motcua.org.models import Agency

from .conftest import PDF, at, regulation

PERSONAL = ["Trần Văn Bình", "Văn Bình", "0912345678", "binh@example.vn"]


def _actions(feedback: Feedback) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.actor_name, e.to_agency.code if e.to_agency else "")
        for e in FeedbackEvent.objects.filter(feedback=feedback).select_related("to_agency").order_by("pk")
    ]


def test_a_question_gets_a_code_a_secret_and_an_answer_due_in_ten_working_days(received):
    assert received.code == "PAKN-251117-0001" and len(received.secret) == 10
    assert received.agency.code == "H42.50.01" and received.status == "open"
    # Monday 17/11 09:00 + 10 working days = Monday 01/12 09:00 (no holiday in between).
    assert received.due_at == at("2025-12-01 09:00")
    assert _actions(received) == [("submit", "Trần Văn Bình", "H42.50.01")]


def test_the_sender_gets_the_code_by_sms_and_e_mail_and_the_agency_is_told(received, people):
    to_sender = OutboxMessage.objects.filter(kind="feedback_received")
    assert {m.channel for m in to_sender} == {"sms", "email"}
    sms = to_sender.get(channel="sms")
    assert received.code in sms.body and "01/12/2025" in sms.body and received.secret in sms.body
    told = {m.recipient for m in OutboxMessage.objects.filter(kind="feedback_assigned")}
    assert people["ct.thanhsen"].email in told


def test_a_question_on_a_procedure_with_a_fixed_lead_agency_goes_to_it(province, clock):
    feedback = services.submit_feedback(data=regulation(procedure_code="1.013978", agency_code=""))

    assert feedback.agency.code == "H42.12.01"


def test_a_procedure_handled_locally_needs_the_agency_chosen(province, clock):
    with pytest.raises(ValidationFailed) as caught:
        services.submit_feedback(data=regulation(agency_code=""))

    assert caught.value.code == "agency_required" and "agency_code" in caught.value.fields
    assert not Feedback.objects.exists()


def test_feedback_on_a_dossier_needs_its_secret_or_its_account_and_goes_to_its_handling_agency(
    late, early, people, clock
):
    with pytest.raises(ValidationFailed) as wrong:
        services.submit_feedback(
            data=regulation(topic="handling", dossier_code=late.code, dossier_secret="WRONGSECRT")
        )
    assert wrong.value.code == "dossier_not_found"

    by_secret = services.submit_feedback(
        data=regulation(
            topic="handling", dossier_code=late.code, dossier_secret=late.lookup_secret, agency_code=""
        )
    )
    by_account = services.submit_feedback(
        data=regulation(topic="handling", dossier_code=early.code, agency_code=""), sender=people["citizen"]
    )

    assert (by_secret.dossier, by_secret.agency, by_secret.service_point) == (
        late,
        late.lead_agency,
        late.receiving_point,
    )
    assert by_account.dossier == early and by_account.sender_user == people["citizen"]


def test_a_contact_is_needed_and_an_attachment_must_be_a_pdf_or_an_image(province, clock):
    with pytest.raises(ValidationFailed) as contact:
        services.submit_feedback(data=regulation(sender_phone="", sender_email=""))
    with pytest.raises(ValidationFailed) as script:
        services.submit_feedback(
            data=regulation(files=[Upload(name="x.pdf", content=b"#!/bin/sh\nrm -rf /\n")])
        )

    assert contact.value.code == "contact_required"
    assert script.value.code == "file_type_not_allowed" and "files" in script.value.fields
    assert not Feedback.objects.exists()
    kept = services.submit_feedback(data=regulation(files=[Upload(name="anh-chup.pdf", content=PDF)]))
    assert [(f.original_name, f.content_type) for f in kept.files.all()] == [
        ("anh-chup.pdf", "application/pdf")
    ]


def test_forwarded_then_answered_on_time_with_every_step_audited(received, people, clock):
    police = Agency.objects.get(code="H42.30.01")
    clock.set("2025-11-18 10:00")
    services.forward_feedback(
        code=received.code, actor=people["cv.tuphap.thanhsen"], agency=police, reason="Thuộc lĩnh vực cư trú."
    )
    clock.set("2025-11-20 15:00")
    answered = services.answer_feedback(
        code=received.code, actor=people["ca.thanhsen"], answer="Đã giải đáp."
    )

    assert (answered.status, answered.on_time, answered.due_at) == ("answered", True, at("2025-12-01 09:00"))
    assert _actions(answered) == [
        ("submit", "Trần Văn Bình", "H42.50.01"),
        ("forward", "Lương Thị Xuân", "H42.30.01"),
        ("answer", "Kiều Văn Phúc", ""),
    ]
    forward = FeedbackEvent.objects.get(feedback=answered, action="forward")
    assert forward.reason == "Thuộc lĩnh vực cư trú." and forward.from_agency.code == "H42.50.01"
    assert people["ld.ca.thanhsen"].email in {
        m.recipient for m in OutboxMessage.objects.filter(kind="feedback_assigned")
    }
    to_sender = OutboxMessage.objects.get(kind="feedback_answered", channel="email")
    assert "Đã giải đáp." in to_sender.body


def test_an_answer_after_the_due_moment_is_late(received, people, clock):
    clock.set("2025-12-01 09:01")

    answered = services.answer_feedback(
        code=received.code, actor=people["ct.thanhsen"], answer="Xin lỗi vì trả lời chậm."
    )

    assert answered.on_time is False and answered.closed_at == at("2025-12-01 09:01")


def test_a_stranger_agency_cannot_see_or_act_on_the_feedback(received, people):
    for name in ("cv.dkkd", "motcua.thanhsen", "citizen"):
        with pytest.raises(NotFound):
            services.answer_feedback(
                code=received.code, actor=people[name], answer="Không phải việc của tôi."
            )
    received.refresh_from_db()
    assert received.status == "open"


def test_a_stale_version_is_a_conflict_and_a_closed_feedback_stays_closed(received, people):
    with pytest.raises(Conflict):
        services.answer_feedback(
            code=received.code, actor=people["ct.thanhsen"], answer="A", expected_version=9
        )
    services.answer_feedback(
        code=received.code, actor=people["ct.thanhsen"], answer="Trả lời.", expected_version=1
    )

    with pytest.raises(TransitionNotAllowed):
        services.decline_feedback(
            code=received.code, actor=people["ct.thanhsen"], kind="duplicate", reason="Trùng."
        )


def test_a_declined_feedback_tells_the_sender_why(received, people, clock):
    clock.set("2025-11-18 09:00")
    declined = services.decline_feedback(
        code=received.code,
        actor=people["ct.thanhsen"],
        kind="out_of_scope",
        reason="Không thuộc thẩm quyền của phường.",
    )

    assert (declined.status, declined.decline_reason, declined.on_time) == ("declined", "out_of_scope", True)
    sms = OutboxMessage.objects.get(kind="feedback_declined", channel="sms")
    assert "Không thuộc thẩm quyền của phường." in sms.body


def test_a_leader_publishes_the_answer_without_personal_data(received, people):
    answered = services.answer_feedback(
        code=received.code,
        actor=people["cv.tuphap.thanhsen"],
        answer="Kính gửi ông Trần Văn Bình (0912345678): không cần bản sao.",
    )
    question, answer = services.publish_draft(answered)
    with pytest.raises(NotFound):  # a specialist answers but does not publish
        services.publish_feedback(
            code=received.code, actor=people["cv.tuphap.thanhsen"], question=question, answer=answer
        )

    published = services.publish_feedback(
        code=received.code,
        actor=people["ct.thanhsen"],
        question=question + " Liên hệ binh@example.vn.",  # the leader's edit slipped an address back in
        answer=answer,
    )

    public = published.public_question + published.public_answer
    assert "không cần bản sao" in public and "bản sao giấy chứng sinh" in public
    for text in PERSONAL:
        assert text not in public, text


def test_an_open_feedback_cannot_be_published(received, people):
    with pytest.raises(TransitionNotAllowed):
        services.publish_feedback(code=received.code, actor=people["ct.thanhsen"], question="Q", answer="A")


def test_the_sender_reacts_once_and_writing_again_counts_as_a_complaint(received, people):
    services.answer_feedback(code=received.code, actor=people["ct.thanhsen"], answer="Trả lời.")
    with pytest.raises(NotFound):
        services.react_to_answer(code=received.code, secret="WRONGSECRT", reaction="unsatisfied")

    reacted = services.react_to_answer(
        code=received.code, secret=received.secret.lower(), reaction="unsatisfied"
    )
    again = services.submit_feedback(
        data=regulation(
            follow_up_code=received.code, follow_up_secret=received.secret, agency_code="", procedure_code=""
        )
    )

    assert reacted.reaction == "unsatisfied"
    with pytest.raises(TransitionNotAllowed):
        services.react_to_answer(code=received.code, secret=received.secret, reaction="satisfied")
    assert (again.follow_up_of, again.agency) == (reacted, reacted.agency)
    assert list(received.follow_ups.all()) == [again]
