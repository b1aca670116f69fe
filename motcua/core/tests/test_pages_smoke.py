from __future__ import annotations

import pytest


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_page_opens_in_vietnamese_in_a_real_browser(page, live_server):
    page.goto("/dang-nhap/")

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("input#id_username").is_visible()
    assert page.locator("form[action='/dang-nhap/'] input[name=csrfmiddlewaretoken]").count() == 1
