"""`make run` (DEBUG, no worker): each message is delivered right after commit and shown on the console."""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings

from motcua.dossiers import services
from motcua.dossiers.models import StepStatus
from motcua.dossiers.tests.conftest import at, birth_bundle, pdf
from motcua.notify.models import MessageStatus, OutboxMessage


@pytest.mark.django_db(transaction=True)
@override_settings(
    NOTIFY_DELIVERY="inline",
    NOTIFY_SMS_BACKEND="console",
    NOTIFY_EMAIL_BACKEND="console",
    NOTIFY_WEBHOOK_BACKEND="console",
)
def test_the_console_shows_the_sms_and_emails_of_a_whole_dossier_life(people, points, caplog):
    caplog.set_level(logging.INFO, logger="motcua.notify.console")
    officer = people["motcua.thanhsen"]
    dossier = services.receive_dossier(
        data=birth_bundle(), point=points["ttpvhcc-thanhsen"], actor=officer, now=at("2025-11-03 09:00")
    )
    holders = {"H42.50.01": "ct.thanhsen", "H42.30.01": "ld.ca.thanhsen", "H42.32": "ld.bhxh"}
    while step := dossier.steps.filter(status=StepStatus.ACTIVE).exclude(role="counter_officer").first():
        services.complete_step(code=dossier.code, step_id=step.pk, actor=people[holders[step.agency.code]])
    services.mark_result_ready(code=dossier.code, actor=people["cv.tuphap.thanhsen"], results=[pdf("kq.pdf")])
    services.hand_over_result(code=dossier.code, actor=officer)

    shown = "\n".join(r.getMessage() for r in caplog.records if r.name == "motcua.notify.console")
    assert shown.count("SMS → +84912345678") == 3 and shown.count("E-MAIL → binh@example.vn") == 3
    for kind in ("[received,", "[result_ready,", "[returned,"):
        assert kind in shown
    assert f"Hồ sơ {dossier.code} đã có kết quả" in shown
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
