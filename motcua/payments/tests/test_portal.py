"""The citizen's side: the fees on her dossier and on the public look-up, paying, coming back."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from django.test import Client

from motcua.payments import services
from motcua.payments.models import Payment

from .conftest import at, notice, residence_online, staff_client

NOW = at("2025-11-03 09:00")


def test_the_applicant_sees_what_is_due_and_pays_online_from_her_dossier(people, points, online, clock):
    filed = residence_online(people, points)
    client = staff_client(people["citizen"])

    html = client.get(f"/ca-nhan/ho-so/{filed.code}/").content.decode()
    response = client.post(f"/thanh-toan/ho-so/{filed.code}/")

    assert "Phí, lệ phí" in html and "10.000 đ" in html and "Thanh toán trực tuyến" in html
    assert response.status_code == 302 and response["Location"].startswith(
        "https://cong-thanh-toan.example.vn/pay?"
    )
    fields = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert fields["amount"] == "10000" and Payment.objects.get().status == "pending"


def test_the_public_look_up_offers_payment_without_personal_data(people, points, online, clock):
    filed = residence_online(people, points)
    client = Client()

    html = client.get(f"/tra-cuu/{filed.code}?secret={filed.lookup_secret}").content.decode()
    paid = client.post(f"/thanh-toan/ho-so/{filed.code}/", {"secret": filed.lookup_secret})
    order = Payment.objects.get()
    services.record_notice(fields=notice(order.order_id, 10_000, when=clock.now), source="callback")
    after = client.get(f"/tra-cuu/{filed.code}?secret={filed.lookup_secret}").content.decode()

    assert 'name="secret"' in html and "Thanh toán trực tuyến" in html and "10.000 đ" in html
    assert paid.status_code == 302
    assert "Đã hoàn thành" in after and "Thanh toán trực tuyến</button>" not in after
    assert "Trần Văn Bình" not in after and "BL-25E" not in after  # no payer, no receipt on the public page


def test_a_wrong_secret_cannot_start_a_payment_and_counts_as_a_failed_look_up(people, points, online, clock):
    filed = residence_online(people, points)
    client = Client()

    refused = [client.post(f"/thanh-toan/ho-so/{filed.code}/", {"secret": "WRONGSECRT"}) for _ in range(10)]
    blocked = client.post(f"/thanh-toan/ho-so/{filed.code}/", {"secret": filed.lookup_secret})

    assert {r.status_code for r in refused} == {404} and blocked.status_code == 429
    assert not Payment.objects.exists()


def test_the_return_page_says_paid_or_not_paid_as_recorded(people, points, online, clock):
    filed = residence_online(people, points)
    order = services.start_online_payment(code=filed.code, actor=people["citizen"])
    client = staff_client(people["citizen"])
    url = f"/thanh-toan/ket-qua/{order.payment.order_id}/"

    forged = client.get(url, {"order_id": order.payment.order_id, "status": "paid", "signature": "00"})
    signed = notice(order.payment.order_id, 10_000, when=clock.now)
    paid = client.get(url, signed)

    assert "Chưa thanh toán" in forged.content.decode()  # an unsigned "paid" changes nothing
    page = paid.content.decode()
    assert "Đã thanh toán thành công 10.000 đ" in page and "BL-25E 0000001" in page
    assert "Quay lại hồ sơ của tôi" in page and paid["Cache-Control"] == "no-store"
    assert client.get("/thanh-toan/ket-qua/not-an-order/").status_code == 404


def test_a_cancelled_payment_comes_back_as_not_paid(people, points, online, clock):
    filed = residence_online(people, points)
    order = services.start_online_payment(code=filed.code, actor=people["citizen"])

    page = Client().get(
        f"/thanh-toan/ket-qua/{order.payment.order_id}/",
        notice(order.payment.order_id, 10_000, when=clock.now, status="cancelled"),
    )

    assert "Chưa thanh toán: giao dịch cho hồ sơ" in page.content.decode()
    assert "Quay lại tra cứu hồ sơ" in page.content.decode()


def test_without_a_gateway_the_portal_sends_the_citizen_to_the_desk(people, points, clock):
    filed = residence_online(people, points)

    html = staff_client(people["citizen"]).get(f"/ca-nhan/ho-so/{filed.code}/").content.decode()

    assert "10.000 đ" in html and "Thanh toán trực tuyến</button>" not in html
    assert "Vui lòng nộp tại bộ phận một cửa" in html


def test_the_applicant_downloads_her_e_receipt_and_nobody_else_does(people, points, clock):
    filed = residence_online(people, points)
    payment = services.collect_fee(code=filed.code, actor=people["motcua.thanhsen"], method="cash", now=NOW)
    url = f"/ca-nhan/ho-so/{filed.code}/bien-lai/{payment.receipt_symbol}/{payment.receipt_number}/"

    own = staff_client(people["citizen"]).get(url)
    other = staff_client(people["stranger"]).get(url)

    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert other.status_code == 404
