"""Delivery to real local servers: the SMS gateway, an SMTP server, an agency's webhook receiver."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import override_settings
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.tests.conftest import at, birth_bundle
from motcua.notify.models import DeliveryAttempt, MessageStatus, OutboxMessage, WebhookEndpoint
from motcua.notify.selectors import deliveries_for_dossier
from motcua.notify.services import deliver_due, retry_now, send_direct_sms
from motcua.notify.services.delivery import SENT_SECRET, backoff, claim
from motcua.org.models import Agency

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("live_channels")]


def _receive(people, points) -> Dossier:
    return services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )


def test_an_sms_reaches_the_gateway_with_the_documented_protocol(people, points, gateway):
    dossier = _receive(people, points)

    report = deliver_due()

    assert gateway.errors == []
    [(key, sent)] = gateway.accepted.items()
    row = OutboxMessage.objects.get(dossier=dossier, channel="sms")
    assert key == row.idempotency_key and sent["to"] == "+84912345678" and sent["brandname"] == "MOTCUA"
    assert sent["unicode"] is True and sent["text"] == row.body and "Hồ sơ" in sent["text"]
    assert sent["segments"] == row.segments == 2
    assert row.status == MessageStatus.SENT and row.provider_message_id == sent["id"] and row.attempts == 1
    assert report.sent == 2 and report.failed == 0


@override_settings(NOTIFY_SMS_UNICODE="never")
def test_a_gateway_without_unicode_gets_unaccented_text(people, points, gateway):
    _receive(people, points)

    deliver_due()

    [sent] = gateway.accepted.values()
    assert gateway.errors == [] and sent["unicode"] is False
    assert sent["text"].startswith("Ho so H42.50.01-251103-010001 da duoc tiep nhan luc 09:00 03/11/2025")
    assert sent["segments"] == 1


def test_an_email_is_multipart_vietnamese_with_a_message_id_from_its_key(people, points, smtp):
    dossier = _receive(people, points)

    deliver_due()

    [mail] = smtp.messages
    row = OutboxMessage.objects.get(dossier=dossier, channel="email")
    assert mail["Subject"].strip() == f"Hồ sơ {dossier.code} đã được tiếp nhận – hẹn trả 09:00 06/11/2025"
    assert mail["To"] == "binh@example.vn" and "thongbao@hatinh.example.vn" in mail["From"]
    assert mail["Message-ID"] == f"<{row.idempotency_key[:32]}@hatinh.example.vn>"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Kính gửi ông/bà Trần Văn Bình" in text and "Kính gửi ông/bà Trần Văn Bình" in html
    assert '<a href="http://127.0.0.1:8000/tra-cuu/' in html
    assert row.status == MessageStatus.SENT and row.provider_message_id == mail["Message-ID"]


def test_a_webhook_is_signed_and_the_receiver_accepts_it(people, points, receiver):
    police = Agency.objects.get(code="H42.30.01")  # holds a later step of this inter-agency dossier
    WebhookEndpoint.objects.create(
        agency=police, url=receiver.url, secret=receiver.secret, events=["transfer"]
    )
    dossier = _receive(people, points)

    deliver_due()

    assert receiver.rejected == 0
    [event] = receiver.events.values()
    assert event["event"] == "dossier.transfer" and event["type"] == "dossier.transfer"
    assert event["dossier"]["code"] == dossier.code and event["dossier"]["status"] == "in_progress"
    assert event["to_status"] == "in_progress" and event["at"].startswith("2025-11-03T09:00")
    assert OutboxMessage.objects.get(channel="webhook").status == MessageStatus.SENT


def test_a_webhook_with_a_wrong_secret_is_refused_for_good(people, points, receiver):
    WebhookEndpoint.objects.create(
        agency=Agency.objects.get(code="H42.50.01"), url=receiver.url, secret="wrong"
    )
    _receive(people, points)

    deliver_due()

    assert receiver.rejected >= 1 and receiver.events == {}
    rows = OutboxMessage.objects.filter(channel="webhook")
    assert rows and all(r.status == MessageStatus.FAILED and "HTTP 401" in r.last_error for r in rows)


def test_a_gateway_answering_500_is_retried_with_the_same_key_until_it_accepts(people, points, gateway):
    gateway.fail_next = 2
    dossier = _receive(people, points)

    deliver_due()

    row = OutboxMessage.objects.get(dossier=dossier, channel="sms")
    assert row.status == MessageStatus.SENT and row.attempts == 3 and gateway.posts == 3
    assert len(gateway.accepted) == 1
    outcomes = list(DeliveryAttempt.objects.filter(message=row).values_list("outcome", "error"))
    assert [o for o, _ in outcomes] == ["retry", "retry", "sent"]
    assert "HTTP 500" in outcomes[0][1]


@override_settings(NOTIFY_MAX_ATTEMPTS=3)
def test_a_gateway_that_keeps_failing_leaves_the_message_failed_with_the_reason_for_staff(
    people, points, gateway
):
    gateway.fail_next = 10
    dossier = _receive(people, points)

    deliver_due()

    row = OutboxMessage.objects.get(dossier=dossier, channel="sms")
    assert row.status == MessageStatus.FAILED and row.attempts == 3
    assert row.last_error.startswith("gave up after 3 attempts: SMS gateway answered HTTP 500")
    [shown] = [d for d in deliveries_for_dossier(dossier) if d.channel == "sms"]
    assert shown.failed and shown.status_label and "HTTP 500" in shown.last_error
    assert [h.outcome for h in shown.history] == ["retry", "retry", "failed"]

    gateway.fail_next = 0
    assert retry_now([row.pk]) == 1
    deliver_due()
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT and len(gateway.accepted) == 1


@override_settings(NOTIFY_MAX_ATTEMPTS=2, NOTIFY_HTTP_TIMEOUT=0.3)
def test_a_gateway_that_times_out_is_retried_then_failed(people, points, gateway):
    gateway.hang_next, gateway.hang_seconds = 5, 1.0
    dossier = _receive(people, points)

    deliver_due()

    row = OutboxMessage.objects.get(dossier=dossier, channel="sms")
    assert row.status == MessageStatus.FAILED and row.attempts == 2
    assert "no answer from 127.0.0.1 within 0.3 s" in row.last_error


@override_settings(NOTIFY_BACKOFF_SECONDS=30.0)
def test_a_failed_try_waits_longer_each_time(people, points, gateway):
    gateway.fail_next = 1
    _receive(people, points)

    deliver_due()

    row = OutboxMessage.objects.get(channel="sms")
    wait = row.next_attempt_at - timezone.now()
    assert row.status == MessageStatus.PENDING and dt.timedelta(seconds=14) < wait <= dt.timedelta(seconds=30)
    assert all(
        dt.timedelta(seconds=60) <= backoff(3, base=30, cap=3600) <= dt.timedelta(seconds=120)
        for _ in range(50)
    )
    assert backoff(30, base=30, cap=3600) <= dt.timedelta(seconds=3600)


def test_a_message_left_sending_by_a_dead_worker_is_sent_again_with_the_same_key(people, points, gateway):
    _receive(people, points)
    with override_settings(NOTIFY_LEASE_SECONDS=0.0):
        claimed = claim(size=10)  # a worker claims both, sends the SMS, and dies before recording it
    sms = next(m for m in claimed if m.channel == "sms")
    gateway.accept(
        {"to": sms.recipient, "text": sms.body, "idempotency_key": sms.idempotency_key, "unicode": True}
    )

    report = deliver_due()

    assert report.recovered == 2 and report.sent == 2
    assert gateway.duplicates == 1 and len(gateway.accepted) == 1  # the gateway dropped the repeat
    row = OutboxMessage.objects.get(pk=sms.pk)
    assert (
        row.status == MessageStatus.SENT
        and row.attempts == 2
        and "same idempotency key" not in row.last_error
    )


def test_the_delivery_log_lists_every_message_of_the_dossier_in_order(
    people, points, django_assert_num_queries
):
    dossier = _receive(people, points)
    review = dossier.steps.get(status=StepStatus.ACTIVE)
    services.assign_step(
        code=dossier.code,
        step_id=review.pk,
        actor=people["ct.thanhsen"],
        assignee=people["cv.tuphap.thanhsen"],
    )
    deliver_due()

    with django_assert_num_queries(2):
        log = deliveries_for_dossier(dossier)

    assert [(d.kind, d.channel, d.status) for d in log] == [
        ("received", "sms", "sent"),
        ("received", "email", "sent"),
        ("step_assigned", "email", "sent"),
    ]
    assert log[1].subject.startswith("Hồ sơ") and log[0].history[0].outcome == "sent"
    assert json.dumps([d.kind_label for d in log], ensure_ascii=False)


def test_a_sign_in_code_is_not_kept_once_sent(gateway):
    send_direct_sms(phone="0912345678", text="Mã đăng nhập MotCua: 482913. Không chia sẻ mã này.")
    deliver_due()

    [(_key, sent)] = gateway.accepted.items()
    row = OutboxMessage.objects.get(kind="sign_in_code")
    assert "482913" in sent["text"] and row.status == MessageStatus.SENT
    assert row.body == SENT_SECRET and "482913" not in row.body
