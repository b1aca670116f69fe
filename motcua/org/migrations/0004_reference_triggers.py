from django.db import migrations

from motcua.core.refcache import tracking_operations


class Migration(migrations.Migration):
    """Changes to roles and the organisation renew the reference token (cached scopes stay exact)."""

    dependencies = [
        ("core", "0002_referencestamp"),
        ("org", "0003_staff_role_labels"),
    ]

    operations = tracking_operations("org_staffrole", "org_agency", "org_servicepoint", "org_administrativeunit")
