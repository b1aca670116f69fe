from __future__ import annotations

from datetime import date

import pytest

from motcua.workdays.models import AnnouncedDay, OfficeCalendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.vn", "a-long-password")
    client.force_login(user)
    return client


def test_announced_days_are_listed_by_year_and_kind(staff_client):
    response = staff_client.get("/admin/workdays/announcedday/", {"year": "2025", "kind": "working_day"})

    assert response.status_code == 200
    rows = list(response.context["cl"].queryset)
    assert [d.date for d in rows] == [date(2025, 4, 26)]


def test_announced_days_can_be_searched_by_name(staff_client):
    response = staff_client.get("/admin/workdays/announcedday/", {"q": "hoán đổi"})

    assert response.status_code == 200
    assert {d.date.year for d in response.context["cl"].queryset} == {2024, 2025, 2026}


def test_an_office_calendar_with_bad_hours_is_refused_in_the_admin(staff_client):
    response = staff_client.post(
        "/admin/workdays/officecalendar/add/",
        {
            "name": "Tỉnh X",
            "code": "tinh-x",
            "sessions": '{"mon": [["7:00", "11:00"]]}',
            "hours_per_day": "8",
            "timezone": "Asia/Ho_Chi_Minh",
            "transfer_cutoff": "15:00",
            "online_cutoff": "17:00",
            "announced_days-TOTAL_FORMS": "0",
            "announced_days-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "not a time HH:MM" in str(response.context["adminform"].form.errors["sessions"])
    assert not OfficeCalendar.objects.exists()


def test_an_office_calendar_page_shows_its_own_days(staff_client):
    office = OfficeCalendar.objects.create(name="Công an", code="cong-an")
    AnnouncedDay.objects.create(date=date(2025, 5, 3), kind="working_day", name="Trực", calendar=office)

    response = staff_client.get(f"/admin/workdays/officecalendar/{office.pk}/change/")

    assert response.status_code == 200
    assert "Trực" in response.content.decode()
