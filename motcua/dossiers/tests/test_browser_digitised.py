"""In a real browser: the counter officer types the applicant, sees her digitised papers and uses one."""

from __future__ import annotations

import pytest

from motcua.dossiers.models import Dossier, FileKind

from .digitised import BINH, OFFICER, officer_certificate, received_earlier  # noqa: F401 (a fixture)
from .test_browser_staff import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("officer_certificate")]


def test_the_officer_uses_a_digitised_paper_instead_of_scanning_it(page, people, points, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    earlier = received_earlier(people, points)
    sign_in(page, people[OFFICER])

    page.fill("#procedure-q", "dang ky thuong tru")
    page.click("a.procedure-pick[href$='thu_tuc=1.004222']")
    page.wait_for_selector("#procedure-title")
    page.fill("#id_id_number", BINH.id_number)
    page.press("#id_id_number", "Tab")
    page.wait_for_function("document.querySelector('#id_name').value !== ''")  # the returning applicant
    page.fill("#id_name", "tran van binh")
    page.press("#id_name", "Tab")  # the name is typed: the panel asks for the papers
    choice = page.locator(f"select[name=reuse_{earlier.signed.pk}]")
    choice.wait_for(timeout=20_000)
    choice.select_option("1")
    page.check("input[name=provided][value='0']")

    assert page.locator("input[name=provided][value='1']").is_checked()  # ticked for the officer
    page.screenshot(path=str(tmp_path / "intake-digitised.png"), full_page=True)
    page.click("button[name=outcome][value=accept]")
    page.wait_for_url("**/tiep-nhan/ket-qua/**")

    dossier = Dossier.objects.exclude(pk=earlier.dossier.pk).get()
    assert dossier.files.get(kind=FileKind.REUSED).reused_from == earlier.signed


def test_a_panel_refresh_answered_after_the_choice_keeps_it(page, people, points, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    earlier = received_earlier(people, points)
    sign_in(page, people[OFFICER])
    page.fill("#procedure-q", "dang ky thuong tru")
    page.click("a.procedure-pick[href$='thu_tuc=1.004222']")
    page.wait_for_selector("#procedure-title")
    page.fill("#id_id_number", BINH.id_number)
    page.press("#id_id_number", "Tab")
    choice = page.locator(f"select[name=reuse_{earlier.signed.pk}]")
    choice.wait_for(timeout=20_000)

    # A refresh sent before the choice (the name edited) is held, and answered only after it.
    held: list = []
    page.route("**/tiep-nhan/giay-to-da-so-hoa/", lambda route: held.append(route))
    page.fill("#id_name", "tran van binh")
    page.press("#id_name", "Tab")
    page.wait_for_function("window.htmx && document.querySelector('#digitised.htmx-request') !== null")
    choice.select_option("1")
    with page.expect_response("**/tiep-nhan/giay-to-da-so-hoa/"):
        for route in held:
            route.continue_()
    page.wait_for_timeout(300)  # the swap settles

    assert page.locator(f"select[name=reuse_{earlier.signed.pk}]").input_value() == "1"
    assert page.locator("input[name=provided][value='1']").is_checked()
