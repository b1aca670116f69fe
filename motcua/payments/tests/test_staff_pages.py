"""The fees on the staff dossier page, its forms, the e-receipt PDF and the desk's day (page, PDF, CSV)."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from motcua.payments import services
from motcua.payments.models import Payment

from .conftest import at, business, pay_online, residence_online, staff_client

PAGE = "/can-bo/ho-so/{}/"


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_desk_sees_the_fees_and_collects_them_from_the_dossier_page(dossier, people, clock):
    client = staff_client(people["motcua.tuphap"])

    html = client.get(PAGE.format(dossier.code)).content.decode()
    assert "Phí, lệ phí" in html and "Lệ phí đăng ký doanh nghiệp" in html and "150.000 đ" in html
    assert 'id="collect-fee"' in html and 'id="exempt-fee"' not in html  # a counter officer collects only
    response = client.post(
        f"/can-bo/ho-so/{dossier.code}/thu-phi/",
        {
            "method": "cash",
            "payer_name": "Trần Văn Bình",
            "reference": "",
            "expected_version": dossier.version,
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Đã thu 150.000 đ; biên lai điện tử BL-25E 0000001." in page
    assert "Biên lai BL-25E 0000001" in page and 'id="collect-fee"' not in page
    assert Payment.objects.get().collected_by == people["motcua.tuphap"]


def test_a_stale_or_wrong_form_changes_nothing_and_says_why(dossier, people):
    client = staff_client(people["motcua.tuphap"])
    url = f"/can-bo/ho-so/{dossier.code}/thu-phi/"

    stale = client.post(url, {"method": "cash", "expected_version": dossier.version - 1}, follow=True)
    wrong = client.post(url, {"method": "cheque", "expected_version": dossier.version})
    leader = staff_client(people["cv.dkkd"]).post(
        f"/can-bo/ho-so/{dossier.code}/mien-giam-phi/",
        {"reason": "x", "legal_basis": "y", "expected_version": dossier.version},
    )
    outsider = staff_client(people["motcua.thanhsen"]).post(url, {"method": "cash", "expected_version": 1})

    assert "Hồ sơ vừa được người khác cập nhật" in stale.content.decode()
    assert wrong.status_code == 422 and "Thu phí, lệ phí" in wrong.content.decode()
    assert leader.status_code == 403 and "lãnh đạo" in leader.content.decode()
    assert outsider.status_code == 404
    assert not Payment.objects.exists()


@pytest.mark.parametrize("action", ["thu-phi", "mien-giam-phi", "hoan-tra-phi", "hoan-tra-qua-cong"])
def test_an_outsider_gets_not_found_before_her_form_is_read(dossier, people, action):
    client = staff_client(people["motcua.thanhsen"])  # the desk of another centre
    version = dossier.version

    response = client.post(f"/can-bo/ho-so/{dossier.code}/{action}/", {})  # an empty, invalid form

    dossier.refresh_from_db()
    assert response.status_code == 404  # was 422 with the form, telling her the dossier exists
    assert (dossier.version, Payment.objects.count()) == (version, 0)


def test_a_leader_exempts_from_the_dossier_page(dossier, people):
    client = staff_client(people["tp.dkkd"])
    assert 'id="exempt-fee"' in client.get(PAGE.format(dossier.code)).content.decode()

    response = client.post(
        f"/can-bo/ho-so/{dossier.code}/mien-giam-phi/",
        {
            "amount_vnd": "50000",
            "reason": "Hộ nghèo",
            "legal_basis": "TT 47/2019",
            "expected_version": dossier.version,
        },
        follow=True,
    )

    assert "Đã miễn, giảm 50.000 đ." in response.content.decode()


def test_the_e_receipt_reads_back_with_the_amount_in_words(dossier, people):
    payment = services.collect_fee(
        code=dossier.code, actor=people["motcua.tuphap"], method="cash", now=at("2025-11-03 09:05")
    )
    client = staff_client(people["motcua.tuphap"])

    response = client.get(f"/can-bo/ho-so/{dossier.code}/bien-lai/BL-25E/1/")

    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ TÀI CHÍNH",
        "Ký hiệu: BL-25E",
        "Số: 0000001",
        "Trần Văn Bình",
        "Phí công bố nội dung đăng ký doanh nghiệp",
        "150.000",
        "Một trăm năm mươi nghìn đồng.",
        dossier.code,
    ):
        assert expected in text, expected
    assert payment.receipt == "BL-25E 0000001"
    assert client.get(f"/can-bo/ho-so/{dossier.code}/bien-lai/BL-25E/2/").status_code == 404
    assert (
        staff_client(people["motcua.thanhsen"])
        .get(f"/can-bo/ho-so/{dossier.code}/bien-lai/BL-25E/1/")
        .status_code
        == 404
    )


@pytest.fixture
def day(people, points, online, clock):
    """03/11/2025 at two desks: two cash receipts and a card one in town, an online payment in Thành Sen."""
    tuphap, datdai = people["motcua.tuphap"], people["motcua.datdai"]
    first, second, third = (business(people, points, f"2025-11-03 08:{m}") for m in ("10", "20", "30"))
    services.collect_fee(code=first.code, actor=tuphap, method="cash", now=at("2025-11-03 09:00"))
    services.collect_fee(code=second.code, actor=tuphap, method="cash", now=at("2025-11-03 10:00"))
    services.collect_fee(
        code=third.code, actor=datdai, method="card", reference="POS-77", now=at("2025-11-03 11:00")
    )
    pay_online(residence_online(people, points), people["citizen"], at("2025-11-03 09:00"))
    services.collect_fee(  # the next day: not in the statement
        code=business(people, points, "2025-11-04 08:00").code,
        actor=tuphap,
        method="cash",
        now=at("2025-11-04 09:00"),
    )
    clock.set("2025-11-03 17:00")


def test_a_counter_officer_sees_her_own_collections_of_the_day(day, people, django_assert_num_queries):
    client = staff_client(people["motcua.tuphap"])
    client.get("/can-bo/thu-phi/")  # warm the caches of roles and names

    # session, user, reference token, points, receipts, refunds, refunds needing attention
    with django_assert_num_queries(7):
        html = client.get("/can-bo/thu-phi/").content.decode()

    assert "300.000 đ" in html and "2 biên lai" in html
    assert "BL-25E 0000001" in html and "BL-25E 0000002" in html and "BL-25E 0000003" not in html
    assert 'id="by-officer"' not in html and "Tiền mặt" in html
    assert "Phí công bố nội dung đăng ký doanh nghiệp" in html


def test_the_director_sees_every_officer_and_prints_the_statement(day, people):
    client = staff_client(people["giamdoc.ttpvhcc"])

    html = client.get("/can-bo/thu-phi/?day=2025-11-03").content.decode()
    pdf = _text(client.get("/can-bo/thu-phi/bang-ke.pdf?day=2025-11-03").content)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/can-bo/thu-phi/bang-ke.csv?day=2025-11-03").content.decode("utf-8-sig"))
        )
    )

    assert "450.000 đ" in html and "Lê Thị Lan" in html and "Phạm Văn Minh" in html
    assert "BL-25E 0000003" in html and "Thẻ (máy POS)" in html and "POS-77" in html
    assert "10.000" not in html  # the online payment was made at the Thành Sen centre, not hers
    assert "BẢNG KÊ THU PHÍ, LỆ PHÍ" in pdf and "Ngày 03/11/2025" in pdf and "450.000" in pdf
    assert "Bốn trăm năm mươi nghìn đồng." in pdf
    assert rows[0][:3] == ["Thời điểm", "Ký hiệu biên lai", "Số biên lai"]
    assert [(r[2], r[7]) for r in rows[1:]] == [
        ("0000001", "150000"),
        ("0000002", "150000"),
        ("0000003", "150000"),
    ]


def test_the_commune_director_sees_the_online_payment_of_her_centre(day, people):
    html = staff_client(people["giamdoc.thanhsen"]).get("/can-bo/thu-phi/").content.decode()

    assert "10.000 đ" in html and "Cổng thanh toán trực tuyến" in html and "Thanh toán trực tuyến" in html
    assert "150.000" not in html


def test_the_day_is_not_for_specialists_or_citizens(people, day):
    assert staff_client(people["cv.dkkd"]).get("/can-bo/thu-phi/").status_code == 404
    assert staff_client(people["citizen"]).get("/can-bo/thu-phi/").status_code == 404
