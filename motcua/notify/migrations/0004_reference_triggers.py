from django.db import migrations

from motcua.core.refcache import tracking_operations


class Migration(migrations.Migration):
    """Changes to message templates and webhook endpoints renew the reference token."""

    dependencies = [
        ("core", "0002_referencestamp"),
        ("notify", "0003_sign_in_code_kind"),
    ]

    operations = tracking_operations("notify_messagetemplate", "notify_webhookendpoint")
