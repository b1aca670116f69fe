"""Load the shipped Vietnamese and English templates so the administrator can edit them."""

from django.db import migrations


def load(apps, schema_editor):
    from motcua.notify.defaults import EMAIL, SMS

    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for (kind, language), body in SMS.items():
        MessageTemplate.objects.get_or_create(
            kind=kind, channel="sms", language=language, defaults={"subject": "", "body": body}
        )
    for (kind, language), (subject, body) in EMAIL.items():
        MessageTemplate.objects.get_or_create(
            kind=kind, channel="email", language=language, defaults={"subject": subject, "body": body}
        )


def unload(apps, schema_editor):
    # Only rows still equal to the shipped text: an administrator's edits are kept.
    from motcua.notify.defaults import EMAIL, SMS

    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for (kind, language), body in SMS.items():
        MessageTemplate.objects.filter(kind=kind, channel="sms", language=language, body=body).delete()
    for (kind, language), (subject, body) in EMAIL.items():
        MessageTemplate.objects.filter(
            kind=kind, channel="email", language=language, subject=subject, body=body
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
