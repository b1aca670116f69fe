"""In a real browser: the desk collects a fee and prints the e-receipt; a citizen pays online (demo)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from conftest import save_screenshot
from motcua.dossiers.tests.test_browser_staff import sign_in
from motcua.notify.models import OutboxMessage
from motcua.payments.models import DossierFees, Payment

from .conftest import business, residence_online

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_desk_collects_the_fees_and_prints_the_e_receipt(page, people, points):
    dossier = business(people, points)
    sign_in(page, people["motcua.tuphap"])

    page.goto(f"/can-bo/ho-so/{dossier.code}/")
    panel = page.locator("#phi-le-phi")
    panel.get_by_text("150.000 đ").first.wait_for()
    panel.locator("label.inline", has_text="Chuyển khoản").click()
    panel.locator("#collect_reference").fill("FT25307")
    save_screenshot(page, "staff-fees")
    panel.locator("#collect-fee button[type=submit]").click()

    page.locator(".messages", has_text="Đã thu 150.000 đ; biên lai điện tử").wait_for()
    payment = Payment.objects.get()  # collected now: the receipt's symbol has this year's digits
    receipt = page.locator("#phi-le-phi a", has_text=f"Biên lai {payment.receipt}")
    response = page.request.get(receipt.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Một trăm năm mươi nghìn đồng." in text and "Chuyển khoản" in text and "FT25307" in text
    assert (payment.method, payment.reference, payment.collected_by) == (
        "transfer",
        "FT25307",
        people["motcua.tuphap"],
    )
    page.locator("nav.main-nav a", has_text="Đối soát thu phí trong ngày").click()
    page.locator("#day-receipts", has_text=payment.receipt).wait_for()
    assert page.locator("#day-collected").inner_text() == "150.000 đ"
    save_screenshot(page, "staff-fee-day")


def test_a_citizen_pays_online_from_the_look_up_through_the_demo_gateway(page, people, points, settings):
    settings.DEBUG = True
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_GATEWAY": "demo"}
    dossier = residence_online(people, points)

    page.goto(f"/tra-cuu/{dossier.code}?secret={dossier.lookup_secret}")
    page.locator("#thanh-toan button", has_text="Thanh toán trực tuyến").click()
    page.wait_for_url("**/thanh-toan/cong-thu-nghiem/**")
    assert page.locator("#demo-amount").inner_text() == "10000 VND"
    save_screenshot(page, "portal-payment-gateway")
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    page.wait_for_url("**/thanh-toan/ket-qua/**")
    page.locator("#payment-result .message-success", has_text="Đã thanh toán thành công 10.000 đ").wait_for()
    payment = Payment.objects.get(dossier=dossier)  # the receipt's year is today's
    assert (
        payment.receipt.endswith(" 0000001")
        and payment.receipt in page.locator("#payment-result").inner_text()
    )
    fees = DossierFees.objects.get(dossier=dossier)
    assert (fees.paid_vnd, fees.settled_online) == (10_000, True)
    assert OutboxMessage.objects.filter(dossier=dossier, kind="fee_paid", channel="sms").count() == 1
