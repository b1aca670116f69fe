from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.refcache import (
    STAMP_TABLE,
    TRACKED_TABLES,
    current_token,
    reference_checked_once,
    tables_with_triggers,
)
from motcua.workdays.calendar import DEFAULT_SESSIONS, is_working_day
from motcua.workdays.holidays import HolidayKind
from motcua.workdays.models import AnnouncedDay, OfficeCalendar
from motcua.workdays.selectors import calendar_for, holidays_in_year

pytestmark = pytest.mark.django_db

SATURDAY_MORNING = {
    "mon": [["07:30", "11:30"], ["13:30", "17:00"]],
    "tue": [["07:30", "11:30"], ["13:30", "17:00"]],
    "wed": [["07:30", "11:30"], ["13:30", "17:00"]],
    "thu": [["07:30", "11:30"], ["13:30", "17:00"]],
    "fri": [["07:30", "11:30"], ["13:30", "17:00"]],
    "sat": [["07:30", "11:30"]],
}


def test_without_office_calendars_the_built_in_hours_and_national_days_apply():
    cal = calendar_for(years=range(2025, 2027))

    assert cal.sessions_by_weekday == DEFAULT_SESSIONS
    assert cal.hours_per_day == Decimal(8)
    assert date(2025, 4, 26) in cal.working_days  # shipped announcement, loaded by migration
    assert date(2026, 2, 17) in cal.days_off
    assert (cal.first_day, cal.last_day) == (date(2025, 1, 1), date(2026, 12, 31))


def test_the_default_office_calendar_is_used_when_no_code_is_given():
    OfficeCalendar.objects.create(
        name="Tỉnh X", code="tinh-x", is_default=True, sessions=SATURDAY_MORNING, hours_per_day=Decimal("7.5")
    )

    cal = calendar_for(years={2025})

    assert cal.sessions_by_weekday[5] == ((time(7, 30), time(11, 30)),)
    assert cal.hours_per_day == Decimal("7.5")


def test_a_calendar_is_found_by_its_code():
    OfficeCalendar.objects.create(
        name="Công an", code="cong-an", sessions=SATURDAY_MORNING, online_cutoff=time(16)
    )

    assert calendar_for(calendar_code="cong-an", years={2025}).online_cutoff == time(16)


def test_an_unknown_calendar_code_is_not_found():
    with pytest.raises(NotFound):
        calendar_for(calendar_code="nope", years={2025})


def test_years_outside_the_supported_range_are_refused():
    with pytest.raises(ValidationFailed):
        calendar_for(years={1800})


def test_years_with_a_gap_are_filled():
    cal = calendar_for(years={2024, 2026})

    assert date(2025, 5, 2) in cal.days_off


def test_an_office_day_overrides_the_national_day_on_the_same_date():
    office = OfficeCalendar.objects.create(name="Công an", code="cong-an")
    AnnouncedDay.objects.create(date=date(2025, 5, 2), kind="working_day", name="Trực", calendar=office)

    assert is_working_day(calendar_for(calendar_code="cong-an", years={2025}), date(2025, 5, 2))
    assert not is_working_day(calendar_for(years={2025}), date(2025, 5, 2))


def test_a_calendar_is_built_once_then_served_from_the_cache_for_one_token_read():
    with CaptureQueriesContext(connection) as cold:
        first = calendar_for(years={2025})
    with CaptureQueriesContext(connection) as warm:
        again = calendar_for(years={2025})
    with CaptureQueriesContext(connection) as block, reference_checked_once():
        calendar_for(years={2025})
        calendar_for(years={2025})

    assert again is first
    assert len(cold) == 3, "token, default office calendar, announced days"
    assert [q["sql"] for q in warm] == [f'SELECT token FROM "{STAMP_TABLE}" WHERE id = 1']
    assert len(block) == 1


def test_each_calendar_and_span_of_years_is_cached_on_its_own():
    OfficeCalendar.objects.create(name="Công an", code="cong-an", hours_per_day=Decimal(7))
    national = calendar_for(years={2025})
    police = calendar_for(calendar_code="cong-an", years={2025})
    longer = calendar_for(years={2025, 2026})

    assert (national.hours_per_day, police.hours_per_day) == (Decimal(8), Decimal(7))
    assert longer.last_day == date(2026, 12, 31)
    assert calendar_for(calendar_code="cong-an", years={2025}) is police
    assert calendar_for(years={2025}) is national


def test_a_new_announced_day_is_seen_by_the_next_call():
    calendar_for(years={2025})
    AnnouncedDay.objects.create(date=date(2025, 6, 2), kind="day_off", name="Bão")

    assert date(2025, 6, 2) in calendar_for(years={2025}).days_off


def test_an_edited_office_calendar_is_seen_by_the_next_call():
    office = OfficeCalendar.objects.create(name="A", code="a", is_default=True)
    calendar_for(years={2025})
    office.hours_per_day = Decimal(7)
    office.save()

    assert calendar_for(years={2025}).hours_per_day == Decimal(7)


def test_a_deleted_announced_day_is_seen_by_the_next_call():
    calendar_for(years={2025})
    AnnouncedDay.objects.filter(date=date(2025, 5, 2), calendar=None).delete()

    assert date(2025, 5, 2) not in calendar_for(years={2025}).days_off


def test_a_change_that_keeps_row_counts_and_update_times_is_seen():
    # A bulk update leaves auto_now alone, and a delete plus an insert keeps the count: only a trigger
    # sees these (COUNT and MAX(updated_at) of the tables would not change).
    calendar_for(years={2025})
    AnnouncedDay.objects.filter(date=date(2025, 5, 2), calendar=None).update(kind="working_day")
    assert date(2025, 5, 2) in calendar_for(years={2025}).working_days

    old = AnnouncedDay.objects.get(date=date(2025, 4, 26), calendar=None)
    old.delete()
    AnnouncedDay.objects.create(date=date(2025, 6, 7), kind="working_day", name="Làm bù")
    AnnouncedDay.objects.filter(date=date(2025, 6, 7)).update(updated_at=old.updated_at)
    cal = calendar_for(years={2025})
    assert date(2025, 6, 7) in cal.working_days and date(2025, 4, 26) not in cal.working_days


def test_a_rolled_back_change_is_not_seen():
    before = calendar_for(years={2025})
    with pytest.raises(RuntimeError), transaction.atomic():
        AnnouncedDay.objects.create(date=date(2025, 6, 2), kind="day_off", name="Bão")
        assert date(2025, 6, 2) in calendar_for(years={2025}).days_off  # its own change, inside
        raise RuntimeError("undo")

    after = calendar_for(years={2025})
    assert date(2025, 6, 2) not in after.days_off
    assert after == before


def test_without_the_stamp_row_the_calendar_is_built_every_time():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STAMP_TABLE}")  # a freshly flushed database
    first = calendar_for(years={2025})

    with CaptureQueriesContext(connection) as queries:
        again = calendar_for(years={2025})

    assert again == first and again is not first
    assert len(queries) == 3, "token, default office calendar, announced days"


def test_both_calendar_tables_carry_the_reference_triggers():
    assert {"workdays_announcedday", "workdays_officecalendar"} <= TRACKED_TABLES
    assert {"workdays_announcedday", "workdays_officecalendar"} <= tables_with_triggers(connection)

    tokens = [current_token()]
    office = OfficeCalendar.objects.create(name="A", code="a")
    tokens.append(current_token())
    AnnouncedDay.objects.create(date=date(2025, 6, 2), kind="day_off", name="Bão", calendar=office)
    tokens.append(current_token())
    assert len(set(tokens)) == 3


def test_a_years_holidays_name_announced_days_and_rule_days():
    holidays = {h.date: h for h in holidays_in_year(year=2025)}

    assert holidays[date(2025, 4, 26)].kind == HolidayKind.WORKING_DAY
    assert holidays[date(2025, 4, 30)].kind == HolidayKind.PUBLIC_HOLIDAY
    assert holidays[date(2025, 5, 2)].kind == HolidayKind.DAY_OFF
