"""In a real browser: a citizen rates her dossier from the look-up page; an officer answers a feedback."""

from __future__ import annotations

import pytest

from conftest import save_screenshot
from motcua.dossiers.tests.test_browser_staff import sign_in
from motcua.feedback import services
from motcua.feedback.models import Feedback, Rating
from motcua.notify.models import OutboxMessage

from .conftest import regulation

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_rates_the_handling_from_the_lookup_page_opened_from_the_qr_code(page, late):
    page.goto(f"/tra-cuu/{late.code}?secret={late.lookup_secret}")
    page.locator("#danh-gia").wait_for()

    page.locator(".rate-levels label.rate-option", has_text="Không hài lòng").click()
    for question, answer in (
        ("agencies_contacted", "Chỉ nơi tiếp nhận hồ sơ"),
        ("desk_handling", "Còn chậm hoặc hướng dẫn chưa rõ"),
        ("staff_attitude", "Lịch sự, tận tình"),
    ):
        page.locator(f"label[for^='id_{question}_']", has_text=answer).click()
    page.locator("#id_comment").fill("Hồ sơ trả chậm một tuần.")
    save_screenshot(page, "portal-rating")
    page.locator("#danh-gia button[type=submit]").click()

    page.locator("#danh-gia .message-success", has_text="Ông/bà đã đánh giá “Không hài lòng”").wait_for()
    assert page.locator("#danh-gia form").count() == 0
    rating = Rating.objects.get(dossier=late)
    assert (rating.level, rating.satisfied, rating.comment) == (
        "unsatisfied",
        False,
        "Hồ sơ trả chậm một tuần.",
    )
    assert {c["code"]: c["points"] for c in rating.criteria}["desk_handling"] == 1
    assert OutboxMessage.objects.filter(kind="rating_unsatisfied").exists()


def test_an_officer_answers_a_feedback_from_her_inbox(page, people):
    feedback = services.submit_feedback(data=regulation())
    sign_in(page, people["cv.tuphap.thanhsen"])

    page.locator("nav.main-nav a", has_text="Phản ánh, kiến nghị").click()
    page.wait_for_url("**/can-bo/phan-anh/")
    page.locator(f"a[href='/can-bo/phan-anh/{feedback.code}/']").click()
    page.locator("#answer-form textarea[name=answer]").fill(
        "Khi đăng ký khai sinh, chỉ cần nộp bản chính giấy chứng sinh."
    )
    save_screenshot(page, "staff-feedback")
    page.locator("#answer-form button[type=submit]").click()

    page.locator(".message-success", has_text="Đã gửi trả lời đến người gửi.").wait_for()
    feedback.refresh_from_db()
    assert feedback.status == "answered" and feedback.answer.startswith("Khi đăng ký khai sinh")
    assert OutboxMessage.objects.filter(kind="feedback_answered", channel="sms").exists()
    assert Feedback.objects.get(pk=feedback.pk).answered_by == people["cv.tuphap.thanhsen"]
