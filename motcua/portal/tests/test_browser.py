"""A citizen in a real browser: signs up with an e-mail code, files online, and tracks the dossier."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import translation

from conftest import save_screenshot
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import PDF

EMAIL = "tran.thi.mai@example.vn"


def _label(status: str) -> str:
    with translation.override("vi"):
        return str(Status(status).label)


def _sign_up(page) -> None:
    page.get_by_role("link", name=re.compile("Đăng ký|Create an account")).click()
    page.locator("#id_identifier").fill(EMAIL)
    page.locator("#id_full_name").fill("Trần Thị Mai")
    page.locator("#main form button[type=submit]").first.click()
    page.wait_for_url("**/tai-khoan/xac-thuc/")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.locator("#id_code").fill(code)
    page.locator("#main form button[type=submit]").first.click()


def _file_online(page, tmp_path) -> str:
    page.wait_for_url("**/nop-truc-tuyen/2.002621/buoc-1/")
    page.locator("input[value=ttpvhcc-thanhsen]").check()
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url("**/buoc-2/")
    assert page.locator("#id_name").input_value() == "Trần Thị Mai"
    page.locator("#id_id_number").fill("042190005678")
    page.locator("#id_address").fill("Tổ 5, phường Thành Sen, tỉnh Hà Tĩnh")
    page.locator("#id_phone").fill("0912 000 222")
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url("**/buoc-3/")
    for position, name in ((0, "to-khai.pdf"), (1, "giay-chung-sinh.pdf")):
        scan = tmp_path / name
        scan.write_bytes(PDF)
        page.locator(f"#files-{position}").set_input_files(str(scan))
        page.locator(f"#doc-{position} .upload-form button").click()
        page.locator(f"#doc-{position} .file-list").get_by_text(name, exact=True).first.wait_for()
    save_screenshot(page, "portal-filing")
    page.locator("#main form:not(.upload-form):not(.inline-form) button[type=submit]").click()
    page.wait_for_url("**/buoc-4/")
    page.locator("input[name=delivery][value=counter]").check()
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url("**/buoc-5/")
    page.locator("#id_confirm").check()
    page.locator("form[action$='/nop/'] button[type=submit]").click()
    page.wait_for_url("**/nop-truc-tuyen/da-nop/**")
    return page.locator("strong.code").inner_text().strip()


@pytest.mark.django_db(transaction=True)
def test_a_citizen_files_online_and_tracks_the_dossier_after_the_desk_accepts_it(
    page, browser, live_server, people, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page.goto("/")
    save_screenshot(page, "portal-home")
    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 375, "height": 812}, base_url=live_server.url
    )
    phone_page = phone.new_page()
    phone_page.goto("/")
    save_screenshot(phone_page, "portal-home-phone")

    page.locator("#home-q").fill("khai sinh lien thong")
    page.locator("#home-results a[href='/thu-tuc/2.002621/']").click()
    page.wait_for_url("**/thu-tuc/2.002621/")
    assert page.locator("#documents").is_visible()
    save_screenshot(page, "portal-procedure")

    page.locator("a[href='/nop-truc-tuyen/2.002621/']").click()
    page.wait_for_url("**/tai-khoan/dang-nhap/**")
    _sign_up(page)
    code = _file_online(page, tmp_path)
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.SUBMITTED and dossier.citizen.email == EMAIL

    services.accept_submission(code=code, actor=people["motcua.thanhsen"])
    dossier.refresh_from_db()
    assert dossier.status in (Status.RECEIVED, Status.IN_PROGRESS)

    page.goto("/ca-nhan/ho-so/")
    assert page.get_by_text(_label(dossier.status)).first.is_visible()
    save_screenshot(page, "portal-my-dossiers")

    page.locator("header form[action='/dang-xuat/'] button").click()
    page.wait_for_url(live_server.url + "/")
    page.goto("/tra-cuu/")
    page.locator("#id_code").fill(code)
    page.locator("#id_secret").fill(dossier.lookup_secret.lower())
    page.locator("#lookup form button[type=submit]").click()
    page.locator(".dossier-status").wait_for()
    assert page.locator(".dossier-status .badge").inner_text() == _label(dossier.status)
    assert "Trần Thị Mai" not in page.content() and "042190005678" not in page.content()
    save_screenshot(page, "portal-lookup")

    phone_page.goto(f"/tra-cuu/{code}?secret={dossier.lookup_secret}")
    assert phone_page.locator(".dossier-status .badge").inner_text() == _label(dossier.status)
    save_screenshot(phone_page, "portal-lookup-phone")
    phone.close()


@pytest.mark.django_db(transaction=True)
def test_the_look_up_form_works_without_javascript(browser, live_server, people, points):
    dossier = services.receive_dossier(
        data=services.IntakeIn(
            procedure_code="2.002621",
            applicant=services.ApplicantIn(name="Trần Thị Mai", id_number="042190005678"),
            provided=[0, 1, 3],
        ),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
    )
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto("/tra-cuu/")
    page.locator("#id_code").fill(dossier.code)
    page.locator("#id_secret").fill(dossier.lookup_secret)
    page.locator("#lookup form button[type=submit]").click()

    page.locator(".dossier-status").wait_for()  # a plain POST, checked for CSRF like any form
    assert page.locator(".dossier-status .badge").inner_text() == _label(dossier.status)
    context.close()
