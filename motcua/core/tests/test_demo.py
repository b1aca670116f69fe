from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command

from motcua.catalog.models import Procedure
from motcua.core.demo import DEMO_PASSWORD, load_demo
from motcua.org.models import Agency, Counter, ServicePoint
from motcua.payments.models import Payment
from motcua.workdays.models import AnnouncedDay


def test_the_demo_province_has_what_the_issue_asks_for(db):
    load_demo()

    centre = ServicePoint.objects.get(kind="provincial_centre")
    assert Counter.objects.filter(service_point=centre).count() >= 8
    assert ServicePoint.objects.filter(kind="commune_centre").count() == 3
    assert Agency.objects.filter(is_active=True).count() >= 12
    assert Procedure.objects.count() >= 40
    assert AnnouncedDay.objects.filter(date__year=2025).exists()
    staff = get_user_model().objects.filter(staff_roles__isnull=False).distinct()
    roles = set(staff.values_list("staff_roles__role", flat=True))
    assert roles == {
        "counter_officer",
        "specialist",
        "unit_leader",
        "agency_leader",
        "centre_director",
        "province_admin",
    }
    # Its e-receipts are sealed, though no task worker ran.
    paid = Payment.objects.filter(status="paid")
    assert paid.exists() and not paid.filter(receipt_signed_at__isnull=True).exists()


def test_loading_the_demo_twice_changes_nothing_and_keeps_changed_passwords(db):
    load_demo()
    officer = get_user_model().objects.get(username="motcua.tuphap")
    assert officer.check_password(DEMO_PASSWORD)
    assert get_user_model().objects.get(username="congdan").check_password(DEMO_PASSWORD)
    officer.set_password("a-new-password-123")
    officer.save()

    report = load_demo()

    assert not report.changed, report.lines
    officer.refresh_from_db()
    assert officer.check_password("a-new-password-123")


def test_the_command_prints_the_demo_logins(db, capsys):
    call_command("load_demo")

    out = capsys.readouterr().out
    assert "motcua.tuphap" in out and DEMO_PASSWORD in out and "congdan" in out
