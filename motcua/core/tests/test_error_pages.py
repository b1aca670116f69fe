"""Error pages speak Vietnamese and say what to do; a request too large for a page gets a page too."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client


@pytest.mark.django_db
def test_a_missing_page_says_so_in_vietnamese_with_a_way_home():
    page = Client().get("/khong-co-trang-nay/")

    text = page.content.decode()
    assert page.status_code == 404 and "Không tìm thấy trang" in text and 'href="/"' in text


def test_the_server_error_page_renders_without_a_request():
    text = render_to_string("500.html")

    assert "Hệ thống gặp sự cố" in text and "Vui lòng thử lại sau ít phút." in text


@pytest.mark.django_db
def test_a_request_too_large_for_a_page_gets_a_vietnamese_page_and_a_script_gets_its_text(settings):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_UPLOAD_MB": 1, "MAX_REQUEST_MB": 1}
    body = {"nonce": "x", "blob": "a" * (1024 * 1024 + 10)}

    page = Client().post("/tra-cuu/", body)
    script = Client().post("/tra-cuu/", body, HTTP_HX_REQUEST="true")

    assert page.status_code == 413 and "Các tệp gửi cùng lúc lớn hơn 1 MB." in page.content.decode()
    assert script.status_code == 413 and script["Content-Type"].startswith("text/plain")
    assert "1 MB" in script.content.decode()
