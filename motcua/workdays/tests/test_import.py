from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.core.errors import NotFound
from motcua.workdays.announcements import AnnouncementError, parse_announcement, read_announcement_file
from motcua.workdays.models import AnnouncedDay, OfficeCalendar
from motcua.workdays.services import ImportSummary, import_announcement, import_announcement_file

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "announced"
PAYLOAD = {
    "year": 2031,
    "days_off": [{"date": "2031-05-02", "name": "Nghỉ hoán đổi"}],
    "working_days": [{"date": "2031-04-26", "name": "Làm bù"}],
}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "announced.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_importing_an_announcement_creates_its_days(tmp_path):
    summary = import_announcement_file(path=write(tmp_path, PAYLOAD))

    assert summary == ImportSummary(year=2031, created=2, updated=0, unchanged=0)
    assert list(
        AnnouncedDay.objects.filter(date__year=2031).values_list("date", "kind", "name", "calendar")
    ) == [
        (date(2031, 4, 26), "working_day", "Làm bù", None),
        (date(2031, 5, 2), "day_off", "Nghỉ hoán đổi", None),
    ]


def test_importing_twice_changes_nothing(tmp_path):
    path = write(tmp_path, PAYLOAD)
    import_announcement_file(path=path)
    before = list(AnnouncedDay.objects.values_list("pk", "date", "kind", "name", "updated_at"))

    summary = import_announcement_file(path=path)

    assert summary == ImportSummary(year=2031, created=0, updated=0, unchanged=2)
    assert list(AnnouncedDay.objects.values_list("pk", "date", "kind", "name", "updated_at")) == before


def test_reimporting_a_corrected_name_or_kind_updates_the_day(tmp_path):
    import_announcement_file(path=write(tmp_path, PAYLOAD))
    corrected = {"year": 2031, "days_off": [{"date": "2031-04-26", "name": "Nghỉ"}], "working_days": []}

    summary = import_announcement_file(path=write(tmp_path, corrected))

    assert summary == ImportSummary(year=2031, created=0, updated=1, unchanged=0)
    assert AnnouncedDay.objects.get(date=date(2031, 4, 26)).kind == "day_off"


def test_the_shipped_announcements_are_already_loaded_by_the_migration():
    for path in sorted(DATA.glob("*.json")):
        summary = import_announcement(announcement=read_announcement_file(path))

        assert summary.created == summary.updated == 0, path.name
        assert summary.unchanged > 0


def test_an_import_into_an_office_calendar_keeps_national_days_apart(tmp_path):
    office = OfficeCalendar.objects.create(name="Công an tỉnh", code="cong-an")
    import_announcement_file(path=write(tmp_path, PAYLOAD))

    summary = import_announcement_file(path=write(tmp_path, PAYLOAD), calendar_code="cong-an")

    assert summary.created == 2
    assert AnnouncedDay.objects.filter(date=date(2031, 5, 2)).count() == 2
    assert office.announced_days.count() == 2


def test_an_import_into_an_unknown_calendar_is_refused(tmp_path):
    with pytest.raises(NotFound, match="nope"):
        import_announcement_file(path=write(tmp_path, PAYLOAD), calendar_code="nope")


def test_a_failure_midway_leaves_nothing_imported(tmp_path, monkeypatch):
    original = AnnouncedDay.objects.create
    calls = []

    def create_then_fail(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(AnnouncedDay.objects, "create", create_then_fail)

    with pytest.raises(RuntimeError):
        import_announcement_file(path=write(tmp_path, PAYLOAD))
    assert not AnnouncedDay.objects.filter(date__year=2031).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "Expected a JSON object"),
        ({"year": 2031, "holidays": []}, "Unknown key(s): holidays"),
        ({"year": "2031"}, '"year" must be a whole number'),
        ({"year": 1800}, '"year" must be a whole number from 1900 to 2199'),
        ({"year": 2031, "days_off": {}}, '"days_off" must be a list'),
        ({"year": 2031, "days_off": [{"date": "2031-05-02"}]}, "days_off[0]: expected"),
        (
            {"year": 2031, "days_off": [{"date": "2031-05-02", "name": "x", "kind": "y"}]},
            "days_off[0]: expected",
        ),
        (
            {
                "year": 2031,
                "days_off": [{"date": "2031-05-02", "name": "x"}, {"date": "2031-13-02", "name": "y"}],
            },
            'days_off[1]: "2031-13-02" is not a date YYYY-MM-DD',
        ),
        (
            {"year": 2031, "days_off": [{"date": "2/5/2031", "name": "x"}]},
            'days_off[0]: "2/5/2031" is not a date',
        ),
        (
            {"year": 2031, "working_days": [{"date": "2030-04-26", "name": "x"}]},
            "working_days[0]: 2030-04-26 is not in 2031",
        ),
        (
            {"year": 2031, "days_off": [{"date": "2031-05-02", "name": " "}]},
            "days_off[0] (2031-05-02): the name",
        ),
        (
            {
                "year": 2031,
                "days_off": [{"date": "2031-05-02", "name": "x"}],
                "working_days": [{"date": "2031-05-02", "name": "y"}],
            },
            "working_days[0]: 2031-05-02 is already listed at days_off[0]",
        ),
    ],
)
def test_a_bad_announcement_is_refused_with_the_entry_named(data, message):
    with pytest.raises(AnnouncementError) as excinfo:
        parse_announcement(data)

    assert message in str(excinfo.value)


def test_a_file_that_is_not_json_is_refused_with_its_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"year": 2031,\n "days_off": [,]}', encoding="utf-8")

    with pytest.raises(AnnouncementError, match="line 2"):
        import_announcement_file(path=path)
    assert not AnnouncedDay.objects.filter(date__year=2031).exists()


def test_only_one_calendar_can_be_the_default():
    OfficeCalendar.objects.create(name="A", code="a", is_default=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeCalendar.objects.create(name="B", code="b", is_default=True)


def test_a_national_date_can_be_announced_only_once():
    AnnouncedDay.objects.create(date=date(2031, 1, 2), kind="day_off", name="x")

    with pytest.raises(IntegrityError), transaction.atomic():
        AnnouncedDay.objects.create(date=date(2031, 1, 2), kind="working_day", name="y")


def test_hours_per_day_must_be_positive_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeCalendar.objects.create(name="A", code="a", hours_per_day=0)


def test_office_hours_are_validated_with_the_weekday_named():
    office = OfficeCalendar(name="A", code="a", sessions={"mon": [["13:00", "11:00"]]}, timezone="Mars/Base")

    with pytest.raises(ValidationError) as excinfo:
        office.full_clean()

    assert "mon[0]: 13:00 is not before 11:00" in str(excinfo.value.message_dict["sessions"])
    assert "Mars/Base" in str(excinfo.value.message_dict["timezone"])


def test_default_office_hours_are_valid():
    OfficeCalendar(name="A", code="a").full_clean()
