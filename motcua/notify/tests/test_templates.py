"""Message templates: editable by the administrator, sandboxed, with their variables listed."""

from __future__ import annotations

import pytest
from django.template import TemplateSyntaxError

from motcua.dossiers import services
from motcua.dossiers.tests.conftest import at, birth_bundle
from motcua.notify import rendering
from motcua.notify.compose import compose
from motcua.notify.defaults import EMAIL, SMS
from motcua.notify.kinds import DIRECT_KINDS, MessageKind, variables_for
from motcua.notify.models import MessageTemplate, OutboxMessage

ALLOWED = variables_for(MessageKind.RECEIVED)


@pytest.mark.parametrize(
    "source",
    [
        "{% load i18n %}{% trans 'x' %}",
        "{% include 'admin/base.html' %}",
        "{% extends 'base.html' %}",
        "{% url 'login' %}",
        "{% now 'Y' %}",
        "{% debug %}",
        "{% csrf_token %}",
    ],
)
def test_tags_that_reach_outside_the_message_are_refused(source):
    assert rendering.check(source, ALLOWED)
    with pytest.raises(TemplateSyntaxError):
        rendering.render(source, {})


def test_only_the_documented_variables_may_be_used():
    assert (
        rendering.check(
            "{{ code }} {{ due_at|upper }} {% if lookup_hint %}{{ lookup_hint }}{% endif %}", ALLOWED
        )
        == []
    )
    assert rendering.check("{{ dossier.applicant.id_number }}", ALLOWED) == ["Unknown variable: dossier"]
    assert rendering.check("{% for x in secrets %}{{ x }}{% endfor %}", ALLOWED) == [
        "Unknown variable: secrets"
    ]
    assert (
        rendering.check(
            "{% for i in items %}{{ i }}{{ forloop.counter }}{% endfor %}", variables_for("supplement_needed")
        )
        == []
    )
    assert rendering.check("{{ code|default:password }}", ALLOWED) == ["Unknown variable: password"]


def test_every_shipped_template_uses_only_its_kinds_variables():
    for (kind, _language), body in SMS.items():
        assert rendering.check(body, variables_for(kind)) == [], kind
    for (kind, _language), (subject, body) in EMAIL.items():
        assert rendering.check(subject + body, variables_for(kind)) == [], kind


@pytest.mark.django_db
def test_an_edited_template_is_used_for_the_next_message_and_a_deleted_one_falls_back(people, points):
    MessageTemplate.objects.update_or_create(
        kind="received", channel="sms", language="vi", defaults={"body": "TTHC: {{ code }} hẹn {{ due_at }}"}
    )
    MessageTemplate.objects.filter(kind="received", channel="email").delete()

    dossier = services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )

    sms = OutboxMessage.objects.get(dossier=dossier, channel="sms")
    mail = OutboxMessage.objects.get(dossier=dossier, channel="email")
    assert sms.body == f"TTHC: {dossier.code} hẹn 09:00 06/11/2025"
    assert mail.subject.startswith(f"Hồ sơ {dossier.code} đã được tiếp nhận")


def test_a_template_edited_while_the_server_runs_is_used_at_once(people, points):
    def receive(hour: int):
        return services.receive_dossier(
            data=birth_bundle(),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            now=at(f"2025-11-03 {hour:02d}:00"),
        )

    before = receive(8)  # the templates are cached now
    MessageTemplate.objects.update_or_create(
        kind="received", channel="sms", language="vi", defaults={"body": "Mới: {{ code }}"}
    )
    after = receive(9)

    assert not OutboxMessage.objects.get(dossier=before, channel="sms").body.startswith("Mới")
    assert OutboxMessage.objects.get(dossier=after, channel="sms").body == f"Mới: {after.code}"


@pytest.mark.django_db
def test_english_templates_exist_for_every_kind():
    for kind in MessageKind.values:
        if kind == MessageKind.WEBHOOK or kind in DIRECT_KINDS:
            continue
        sms = compose(kind, "sms", "en", {n: s for n, (_m, s) in variables_for(kind).items()})
        mail = compose(kind, "email", "en", {n: s for n, (_m, s) in variables_for(kind).items()})
        assert sms is not None and mail is not None and sms.segments is not None and sms.segments <= 3, kind
        assert mail.subject and "Kính gửi" not in mail.body, kind


@pytest.mark.django_db
def test_the_admin_lists_the_variables_previews_and_refuses_a_bad_template(admin_client):
    template, _ = MessageTemplate.objects.update_or_create(
        kind="apology", channel="sms", language="en", defaults={"body": "Sorry {{ code }}"}
    )

    page = admin_client.get(f"/admin/notify/messagetemplate/{template.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "{{ new_due_at }}" in html and "the new appointment" in html
    assert "Sorry H42.50.01-251103-010001" in html and "GSM-7" in html

    response = admin_client.post(
        f"/admin/notify/messagetemplate/{template.pk}/change/",
        {
            "kind": "apology",
            "channel": "sms",
            "language": "en",
            "subject": "",
            "body": "{% include 'x.html' %}",
        },
    )
    assert response.status_code == 200 and "include" in response.content.decode()
    template.refresh_from_db()
    assert template.body == "Sorry {{ code }}"


@pytest.mark.django_db
def test_the_admin_shows_the_outbox_and_deadline_warnings(admin_client):
    for url in (
        "/admin/notify/outboxmessage/",
        "/admin/notify/deadlinewarning/",
        "/admin/notify/webhookendpoint/",
    ):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_installed_certificate_templates_lose_the_old_seal_wording_and_keep_the_rest():
    from importlib import import_module

    from django.apps import apps

    wording = import_module("motcua.notify.migrations.0011_certificate_wording")
    MessageTemplate.objects.filter(kind=MessageKind.CERTIFICATE_EXPIRED).delete()
    edited = MessageTemplate.objects.create(
        kind=MessageKind.CERTIFICATE_EXPIRED,
        channel="email",
        language="vi",
        subject="Sửa bởi quản trị viên",
        body="Lời mở đầu riêng. Kết quả không được ký bằng con dấu số của cơ quan nữa.",
    )
    wording.forward(apps, None)
    edited.refresh_from_db()
    assert edited.body == "Lời mở đầu riêng. Kết quả không được ký bằng chữ ký số của cơ quan nữa."
    assert edited.subject == "Sửa bởi quản trị viên"
    shipped = [body for (kind, lang), (_, body) in EMAIL.items() if kind.startswith("certificate_")]
    assert shipped and not any("con dấu" in body for body in shipped)
