"""Ship the templates of the feedback and rating messages; invite the applicant to rate at hand-over.

The hand-over texts are replaced only where they are still the shipped ones: an administrator's edits stay.
"""

from django.db import migrations

from motcua.notify.migrations._templates import ship

KINDS = (
    "feedback_received",
    "feedback_answered",
    "feedback_declined",
    "feedback_assigned",
    "feedback_due_soon",
    "feedback_late",
    "rating_unsatisfied",
)
OLD_RETURNED_SMS = {
    "vi": (
        "Hồ sơ {{ code }} đã được trả kết quả {{ method }}"
        "{% if tracking_number %}, mã bưu gửi {{ tracking_number }}{% endif %}. Trân trọng cảm ơn."
    ),
    "en": (
        "The result of dossier {{ code }} was delivered {{ method }}"
        "{% if tracking_number %}, tracking number {{ tracking_number }}{% endif %}. Thank you."
    ),
}


def load(apps, schema_editor):
    from motcua.notify.defaults import SMS

    ship(apps, KINDS)
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for language, old in OLD_RETURNED_SMS.items():
        MessageTemplate.objects.filter(kind="returned", channel="sms", language=language, body=old).update(
            body=SMS[("returned", language)]
        )


def unload(apps, schema_editor):
    from motcua.notify.defaults import EMAIL, SMS

    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for (kind, language), body in SMS.items():
        if kind in KINDS:
            MessageTemplate.objects.filter(kind=kind, channel="sms", language=language, body=body).delete()
    for (kind, language), (subject, body) in EMAIL.items():
        if kind in KINDS:
            MessageTemplate.objects.filter(
                kind=kind, channel="email", language=language, subject=subject, body=body
            ).delete()
    for language, old in OLD_RETURNED_SMS.items():
        MessageTemplate.objects.filter(
            kind="returned", channel="sms", language=language, body=SMS[("returned", language)]
        ).update(body=old)


class Migration(migrations.Migration):
    dependencies = [("notify", "0005_feedback_warnings_and_kinds")]

    operations = [migrations.RunPython(load, unload)]
