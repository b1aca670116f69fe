"""Load the national announced days shipped in motcua/workdays/data/announced/ into a new database."""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "announced"
LISTS = {"days_off": "day_off", "working_days": "working_day"}


def _entries():
    for path in sorted(DATA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, kind in LISTS.items():
            for item in data.get(key, []):
                yield date.fromisoformat(item["date"]), kind, item["name"]


def load(apps, schema_editor):
    AnnouncedDay = apps.get_model("workdays", "AnnouncedDay")
    for day, kind, name in _entries():
        AnnouncedDay.objects.update_or_create(calendar=None, date=day, defaults={"kind": kind, "name": name})


def unload(apps, schema_editor):
    AnnouncedDay = apps.get_model("workdays", "AnnouncedDay")
    AnnouncedDay.objects.filter(calendar=None, date__in=[day for day, _, _ in _entries()]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
