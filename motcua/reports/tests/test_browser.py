"""A director chooses a quarter, reads the results by agency and opens the quality scorecard."""

from __future__ import annotations

import pytest

from conftest import save_screenshot
from motcua.dossiers.tests.test_browser_staff import sign_in

from .conftest import Month

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_director_reads_the_quarters_report_and_its_scorecard(page, people, month: Month):
    sign_in(page, people["giamdoc.thanhsen"])
    page.goto("/can-bo/bao-cao/")

    page.select_option("#id_ky", "quarter")
    page.fill("#id_nam", "2025")
    page.fill("#id_so", "4")
    page.select_option("#id_theo", "agency")
    page.click("form.report-form button[type=submit]")
    page.wait_for_url("**ky=quarter**")

    assert "01/10/2025 – 31/12/2025" in page.inner_text(".page-head")
    total = page.locator(".report-table tfoot tr").inner_text()
    assert total.split()[:3] == ["Tổng", "cộng", "0"]  # nothing carried over into October
    save_screenshot(page, "staff-reports")

    page.click("nav.tabs a[href*='chi-so-chat-luong']")
    page.wait_for_selector("h1")
    assert "Tiến độ, kết quả giải quyết" in page.inner_text("main")
    save_screenshot(page, "staff-quality")
