from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.workdays.models import AnnouncedDay, OfficeCalendar

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_due_prints_the_due_moment_in_vietnam_time():
    output = run("due", "2025-04-25T09:00", "3d")

    assert "Due:          2025-04-29T09:00+07:00" in output


def test_due_takes_hours_and_fractions_of_days():
    assert "2025-04-25T15:00+07:00" in run("due", "2025-04-25T09:00", "4h").splitlines()[-1]
    assert "2025-04-25T15:00+07:00" in run("due", "2025-04-25T09:00", "0,5d").splitlines()[-1]
    assert "2025-04-25T11:00+07:00" in run("due", "2025-04-25T09:00", "0.25d").splitlines()[-1]


def test_due_applies_the_online_rule():
    output = run("due", "2025-04-29T17:30", "1d", "--rule", "online")

    assert "Clock starts: 2025-05-05T07:00+07:00" in output
    assert "Due:          2025-05-05T17:00+07:00" in output


def test_due_reads_a_moment_with_an_offset():
    assert "2025-04-29T09:00+07:00" in run("due", "2025-04-25T02:00:00+00:00", "3d").splitlines()[-1]


def test_due_uses_the_named_calendar():
    OfficeCalendar.objects.create(name="Tỉnh X", code="tinh-x", hours_per_day=4)

    # Half a day of a 4-hour day is 2 hours.
    assert (
        "2025-04-25T11:00+07:00"
        in run("due", "2025-04-25T09:00", "0.5d", "--calendar", "tinh-x").splitlines()[-1]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("due", "25/04/2025", "3d"), 'Cannot read the moment "25/04/2025"'),
        (("due", "2025-04-25T09:00", "3w"), 'Cannot read the time limit "3w"'),
        (("due", "2025-04-25T09:00", "three days"), 'Cannot read the time limit "three days"'),
        (("due", "2025-04-25T09:00", "9999d"), "too long"),
        (("due", "2025-04-25T09:00", "3d", "--calendar", "nope"), "nope"),
        (("lunar", "2026-02-30"), 'Cannot read the date "2026-02-30"'),
        (("lunar", "1800-01-01"), "1900 to 2199"),
        (("holidays", "2300"), "1900 and 2199"),
        (("import", "/nonexistent/2025.json"), "Cannot read /nonexistent/2025.json"),
    ],
)
def test_bad_input_gives_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(".", r"\.")):
        run(*args)


def test_lunar_prints_the_lunar_date_with_the_year_name():
    assert run("lunar", "2026-02-17").strip() == "1/1/2026 (Bính Ngọ)"


def test_holidays_lists_days_off_and_make_up_days_of_a_year():
    lines = run("holidays", "2026").splitlines()

    assert any(line.startswith("2026-02-17") for line in lines)
    assert any(line.startswith("2026-08-22") for line in lines)
    assert any(line.startswith("2026-04-27") for line in lines)  # compensation for Sunday 26/4
    assert not any(line.startswith("2026-09-03") for line in lines)


def test_import_reports_what_it_did_and_twice_changes_nothing(tmp_path):
    path = tmp_path / "2031.json"
    path.write_text(
        json.dumps({"year": 2031, "days_off": [{"date": "2031-05-02", "name": "x"}]}), encoding="utf-8"
    )

    assert "1 created, 0 updated, 0 unchanged" in run("import", str(path))
    assert "0 created, 0 updated, 1 unchanged" in run("import", str(path))
    assert AnnouncedDay.objects.filter(date__year=2031).count() == 1


def test_a_bad_announcement_file_names_the_entry(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"year": 2031, "working_days": [{"date": "2031-02-30", "name": "x"}]}))

    with pytest.raises(CommandError, match=r"working_days\[0\]"):
        run("import", str(path))


def test_the_command_exits_non_zero_on_bad_input():
    env = {**os.environ, "DATABASE_URL": "sqlite:///:memory:", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "workdays", "lunar", "not-a-date"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )

    assert result.returncode != 0
    assert "not-a-date" in result.stderr
