"""The desk accepts an online submission in a real browser; the citizen's look-up then shows it moving."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.tests.conftest import at, birth_bundle
from motcua.org.models import ServicePoint

PASSWORD = "mat-khau-thu-nghiem"


def _label(status: str) -> str:
    with translation.override("vi"):
        return str(Status(status).label)


@pytest.fixture
def tuesday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the clock from a working Tuesday 09:30, so an accepted dossier is transferred at once."""
    real_now = timezone.now
    offset = at("2025-11-11 09:30") - real_now()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)


@pytest.mark.django_db(transaction=True)
def test_the_desk_accepts_an_online_submission_in_the_browser_and_the_citizen_sees_it(
    page, people, tmp_path, settings, tuesday_morning
):
    settings.MEDIA_ROOT = tmp_path / "media"
    dossier = services.submit_online(
        data=birth_bundle(),
        point=ServicePoint.objects.get(code="ttpvhcc-thanhsen"),
        citizen=people["citizen"],
    )
    code = dossier.code
    assert dossier.status == Status.SUBMITTED

    page.goto(f"/tra-cuu/{code}?secret={dossier.lookup_secret}")
    expect(page.locator(".dossier-status .badge")).to_have_text(_label(Status.SUBMITTED))

    officer = people["motcua.thanhsen"]
    officer.set_password(PASSWORD)
    officer.save(update_fields=["password"])
    page.goto("/can-bo/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/dang-nhap/'] button[type=submit]")
    page.wait_for_url("**/can-bo/**")

    page.goto("/can-bo/truc-tuyen/")
    page.click(f"a[href='/can-bo/truc-tuyen/{code}/']")
    page.wait_for_url(f"**/can-bo/truc-tuyen/{code}/")
    page.click("form.inline-decision button[type=submit]")
    page.wait_for_url(f"**/can-bo/ho-so/{code}/")
    expect(page.locator(".message-success").first).to_be_visible()

    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    assert dossier.received_at is not None

    page.locator("form[action='/dang-xuat/'] button").first.click()
    page.wait_for_load_state()
    page.goto(f"/tra-cuu/{code}?secret={dossier.lookup_secret}")
    badge = page.locator(".dossier-status .badge")
    expect(badge).to_have_text(_label(Status.IN_PROGRESS))
    expect(badge).not_to_have_text(_label(Status.SUBMITTED))
