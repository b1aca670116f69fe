import secrets

from django.db import migrations, models


def first_token(apps, schema_editor):
    apps.get_model("core", "ReferenceStamp").objects.create(id=1, token=secrets.token_hex(16))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=40, verbose_name="token")),
            ],
            options={"verbose_name": "reference data stamp", "verbose_name_plural": "reference data stamps"},
        ),
        migrations.RunPython(first_token, migrations.RunPython.noop),
    ]
