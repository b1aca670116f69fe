"""The certificate messages name the agency's signing means as the rest of the pages do.

"Con dấu số" (0010's wording) reads to an officer as a rubber stamp; the pages say "chữ ký số của cơ
quan" and "chứng thư số". Only the shipped phrase is replaced, where a template still holds it: the
rest of an administrator's edit stays as it is.
"""

from django.db import migrations

KINDS = ("certificate_expiring", "certificate_expired", "certificate_revoked")
OLD = "ký bằng con dấu số của cơ quan"
NEW = "ký bằng chữ ký số của cơ quan"


def _replace(apps, old, new):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for template in MessageTemplate.objects.filter(kind__in=KINDS, language="vi", body__contains=old):
        template.body = template.body.replace(old, new)
        template.save(update_fields=["body"])


def forward(apps, schema_editor):
    _replace(apps, OLD, NEW)


def backward(apps, schema_editor):
    _replace(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0010_certificate_kinds"),
    ]

    operations = [migrations.RunPython(forward, backward)]
