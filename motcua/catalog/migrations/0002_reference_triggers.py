from django.db import migrations

from motcua.core.refcache import tracking_operations


class Migration(migrations.Migration):
    """Changes to procedures and their versions (intake, the names messages show) renew the token."""

    dependencies = [
        ("core", "0002_referencestamp"),
        ("catalog", "0001_initial"),
    ]

    operations = tracking_operations("catalog_procedure", "catalog_procedureversion")
