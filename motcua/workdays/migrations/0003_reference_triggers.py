from django.db import migrations

from motcua.core.refcache import tracking_operations


class Migration(migrations.Migration):
    """Changes to announced days and office calendars renew the reference token (cached calendars)."""

    dependencies = [
        ("core", "0002_referencestamp"),
        ("workdays", "0002_announced_days"),
    ]

    operations = tracking_operations("workdays_announcedday", "workdays_officecalendar")
