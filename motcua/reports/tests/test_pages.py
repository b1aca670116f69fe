"""The report pages: for leaders only, in Vietnamese, printable and exportable, in few queries."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from .conftest import Month

RESULTS = "/can-bo/bao-cao/"
NOVEMBER = {"ky": "month", "nam": "2025", "so": "11", "theo": "field"}


def test_a_director_reads_novembers_results_by_field(client, people, month: Month):
    client.force_login(people["giamdoc.thanhsen"])

    response = client.get(RESULTS, NOVEMBER)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Tình hình, kết quả giải quyết thủ tục hành chính" in text
    assert "Kỳ trước chuyển qua" in text and "Đang giải quyết" in text
    assert "01/11/2025 – 30/11/2025" in text
    assert 'class="badge badge-late">2<' in text  # two in hand past their limit at the end


def test_the_results_page_reads_the_same_few_statements_whatever_the_rows(client, people, month: Month):
    client.force_login(people["giamdoc.thanhsen"])
    client.get(RESULTS, NOVEMBER)

    with CaptureQueriesContext(connection) as captured:
        assert client.get(RESULTS, {**NOVEMBER, "theo": "procedure"}).status_code == 200

    assert len(captured) == 4, "pinned: session, user, reference token, the one grouped count"


def test_the_csv_export_opens_in_excel_with_vietnamese_and_the_total(client, people, month: Month):
    client.force_login(people["giamdoc.thanhsen"])

    response = client.get(RESULTS + "bao-cao.csv", NOVEMBER)

    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] == "Lĩnh vực" and rows[-1][0] == "Tổng cộng"
    assert rows[-1][1:5] == ["2", "1", "4", "7"]  # carried over, online, in person, received


def test_the_printed_report_has_the_national_heading_and_the_totals(client, people, month: Month):
    client.force_login(people["giamdoc.thanhsen"])

    response = client.get(RESULTS + "bao-cao.pdf", {**NOVEMBER, "theo": "agency"})

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert response["Content-Type"] == "application/pdf"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "từ ngày 01/11/2025 đến ngày 30/11/2025" in text
    assert "Tổng cộng" in text and "66,7%" in text  # 2 of 3 resolved on time


def test_a_bad_period_is_explained_in_vietnamese_and_keeps_what_was_typed(client, people, month: Month):
    client.force_login(people["giamdoc.thanhsen"])

    response = client.get(RESULTS, {"ky": "days", "nam": "2025", "tu": "2025-11-30", "den": "2025-11-01"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Kỳ báo cáo kết thúc trước khi bắt đầu." in text
    assert 'value="2025-11-30"' in text


def test_reports_are_not_for_counter_officers_or_specialists(client, people):
    for name in ("motcua.thanhsen", "cv.tuphap.thanhsen"):
        client.force_login(people[name])

        assert client.get(RESULTS).status_code == 404
        assert client.get(RESULTS + "chi-so-chat-luong/").status_code == 404


def test_the_quality_page_shows_points_and_what_is_not_measured(client, people, month: Month):
    client.force_login(people["giamdoc.thanhsen"])

    text = client.get(RESULTS + "chi-so-chat-luong/", NOVEMBER).content.decode()

    assert "Quyết định số 766/QĐ-TTg" in text
    assert "Tiến độ, kết quả giải quyết" in text
    assert "Chưa đo được" in text and "thanh toán" in text
