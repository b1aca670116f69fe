"""One inter-agency dossier in a real browser: counter, three agencies, hand-over and public look-up."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, FileKind, StepStatus

from .conftest import PDF, at

PASSWORD = "mat-khau-thu-nghiem"
pytestmark = pytest.mark.django_db(transaction=True)
# The step holders of 2.002621 after intake, in an order the workflow allows.
HOLDERS = ["cv.tuphap.thanhsen", "ct.thanhsen", "ca.thanhsen", "ld.ca.thanhsen", "cv.bhxh", "ld.bhxh"]


@pytest.fixture
def tuesday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the clock from a working Tuesday 09:30: intake transfers at once (not after 15:00, a weekend)."""
    real_now = timezone.now
    offset = at("2025-11-11 09:30") - real_now()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)


def _label(status: str) -> str:
    with translation.override("vi"):
        return str(Status(status).label)


class Desk:
    """One browser context per person, signed in through the real login form."""

    def __init__(self, browser, live_server) -> None:
        self.browser, self.url, self.context = browser, live_server.url, None

    def sign_in(self, user):
        self.close()
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        self.context = self.browser.new_context(locale="vi-VN", base_url=self.url)
        self.context.set_default_timeout(10_000)
        page = self.context.new_page()
        page.goto("/can-bo/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("form[action='/dang-nhap/'] button[type=submit]")
        page.wait_for_url("**/can-bo/**")
        return page

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
            self.context = None


def _act(page, link: str, fill=None) -> None:
    """Open an action's panel (htmx), fill it, submit, and wait for the success message."""
    page.locator(link).first.click()
    expect(page.locator("#action-panel form")).to_be_visible()
    if fill:
        fill(page)
    page.click("#action-panel button[type=submit]")
    # On success the whole dossier body is drawn again: the panel is empty and a message says so.
    expect(page.locator("#action-panel form")).to_have_count(0)
    expect(page.locator("#dossier-body .message-success")).to_be_visible()


def test_a_dossier_goes_from_the_counter_through_the_agencies_to_hand_over_and_public_look_up(
    page, browser, live_server, people, tmp_path, settings, tuesday_morning
):
    settings.MEDIA_ROOT = tmp_path / "media"
    desk = Desk(browser, live_server)

    counter = desk.sign_in(people["motcua.thanhsen"])
    assert counter.url.endswith("/can-bo/tiep-nhan/")
    counter.fill("#procedure-q", "khai sinh")
    counter.click("a.procedure-pick[href$='thu_tuc=2.002621']")
    expect(counter.locator("#procedure-title")).to_be_visible()
    for position in ("0", "1", "3"):
        counter.check(f"input[name=provided][value='{position}']")
    counter.fill("#id_id_number", "042090001234")
    counter.fill("#id_name", "Trần Văn Bình")
    counter.click("button[name=outcome][value=accept]")
    counter.wait_for_url("**/tiep-nhan/ket-qua/**")
    receipt = counter.request.get(counter.locator("a[href$='/bieu-mau/receipt/']").get_attribute("href"))
    assert receipt.status == 200
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    code = counter.url.rstrip("/").rsplit("/", 1)[-1]
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.IN_PROGRESS  # transferred at once on a Tuesday morning

    for name in HOLDERS:
        work = desk.sign_in(people[name])
        work.goto("/can-bo/viec-cua-toi/")
        work.click(f"a[href='/can-bo/ho-so/{code}/']")
        work.wait_for_url(f"**/can-bo/ho-so/{code}/")
        _act(work, "a[href*='/thao-tac/hoan-thanh/']")

    assert set(dossier.steps.filter(stage__in=(2, 3)).values_list("status", flat=True)) == {StepStatus.DONE}
    scan = tmp_path / "giay-khai-sinh.pdf"
    scan.write_bytes(PDF)
    _act(
        work,
        "a[href$='/thao-tac/co-ket-qua/']",
        lambda p: p.set_input_files("#action-panel input[type=file]", str(scan)),
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.files.filter(kind=FileKind.RESULT, original_name=scan.name).exists()

    counter = desk.sign_in(people["motcua.thanhsen"])
    counter.goto(f"/can-bo/ho-so/{code}/")
    _act(
        counter,
        "a[href$='/thao-tac/tra-ket-qua/']",
        lambda p: p.check("#action-panel input[name=method][value=counter]"),
    )
    desk.close()

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.outcome
    page.goto(f"/tra-cuu/{code}?secret={dossier.lookup_secret}")
    expect(page.locator(".dossier-status .badge")).to_have_text(_label(Status.RETURNED))
