"""The staff pages in a real browser: intake to printed receipt, a step completed, an apology issued."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import save_screenshot
from motcua.dossiers import services
from motcua.dossiers.models import Apology, StepStatus

from .conftest import PDF, at, birth_bundle, pdf
from .test_views_support import receive

PASSWORD = "mat-khau-thu-nghiem"
pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, user) -> None:
    """Sign in through the real form, starting from the staff home like a person would."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    page.goto("/can-bo/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/dang-nhap/'] button[type=submit]")
    page.wait_for_url("**/can-bo/**")


def test_a_counter_officer_receives_a_dossier_and_prints_the_receipt(page, people, tmp_path):
    sign_in(page, people["motcua.thanhsen"])
    assert page.url.endswith("/can-bo/tiep-nhan/")

    page.fill("#procedure-q", "dang ky thuong tru")  # no accents typed
    page.click("a.procedure-pick[href$='thu_tuc=1.004222']")
    page.wait_for_selector("#procedure-title")
    page.fill("#id_id_number", "042090001234")
    page.fill("#id_name", "Trần Văn Bình")
    page.check("input[name=provided][value='0']")
    page.check("input[name=provided][value='1']")
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)
    page.set_input_files("#id_files", str(scan))
    page.wait_for_selector("#staged-files li")
    save_screenshot(page, "staff-intake")

    page.click("button[name=outcome][value=accept]")
    page.wait_for_url("**/tiep-nhan/ket-qua/**")
    receipt = page.locator("a[href$='/bieu-mau/receipt/']")
    response = page.request.get(receipt.get_attribute("href"))

    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_a_specialist_completes_her_step_from_my_work(page, people, points):
    dossier = receive(people, points, when="2025-11-10 09:00")
    for when in ("2025-11-06 14:00", "2026-11-20 10:00"):
        receive(people, points, when=when)
    sign_in(page, people["cv.tuphap.thanhsen"])
    assert page.url.endswith("/can-bo/viec-cua-toi/")
    save_screenshot(page, "staff-my-work")

    page.click(f"a[href='/can-bo/ho-so/{dossier.code}/']")
    page.click("a[href*='/thao-tac/hoan-thanh/']")
    page.fill("#action-panel textarea[name=comment]", "Đã kiểm tra, đủ điều kiện đăng ký khai sinh.")
    page.click("#action-panel button[type=submit]")
    page.wait_for_selector("#dossier-body .message-success")
    save_screenshot(page, "staff-dossier")

    step = dossier.steps.get(stage=2)
    assert step.status == StepStatus.DONE
    assert step.comment.startswith("Đã kiểm tra")


def test_a_leader_apologises_with_a_new_appointment_and_sees_the_board(page, people, points):
    late = receive(people, points, when="2025-11-03 09:00")
    services.handle_on_the_spot(
        data=birth_bundle(procedure_code="2.000815", provided=[0, 1], uploads=[pdf()]),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
    )
    sign_in(page, people["ct.thanhsen"])
    new_due = timezone.localtime() + dt.timedelta(days=10)

    page.goto(f"/can-bo/ho-so/{late.code}/")
    page.click("a[href*='/thao-tac/xin-loi/']")
    page.fill("#action-panel textarea[name=reason]", "Cần xác minh thêm thông tin nơi cư trú của người mẹ.")
    page.fill("#action-panel input[name=new_due_at]", new_due.strftime("%Y-%m-%dT10:00"))
    page.fill("#action-panel input[name=signer_name]", "Tạ Văn Nam")
    page.click("#action-panel button[type=submit]")
    page.wait_for_selector("#dossier-body .message-success")

    apology = Apology.objects.get(dossier=late)
    assert timezone.localtime(apology.new_due_at).date() == new_due.date()
    assert page.locator("a[href$='/bieu-mau/apology/']").count() == 1
    assert apology.previous_due_at < at("2025-12-01 00:00")

    page.goto("/can-bo/bang-dieu-hanh/")
    page.wait_for_selector("svg.donut")
    save_screenshot(page, "staff-board")
