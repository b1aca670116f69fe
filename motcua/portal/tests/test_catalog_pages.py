"""Home, search and procedure pages over the demo catalog."""

from __future__ import annotations

from django.core.files.base import ContentFile

from motcua.catalog.models import RequiredDocument
from motcua.catalog.selectors import fields_with_counts, version_in_force
from motcua.portal.selectors.catalog import receiving_points

from .conftest import at, htmx


def test_home_offers_search_fields_with_counts_and_agencies_in_two_queries(
    client, province, django_assert_num_queries
):
    with django_assert_num_queries(2):
        response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html and 'hx-get="/thu-tuc/"' in html
    assert '/thu-tuc/?field=ho-tich"' in html  # the civil-status field holds demo procedures
    assert '/thu-tuc/?agency=H42.32"' in html and "Bảo hiểm xã hội tỉnh Hà Tĩnh" in html
    assert 'action="/tra-cuu/"' in html and "csrfmiddlewaretoken" in html


def test_home_lists_only_fields_with_procedures_and_their_counts(client, province):
    html = client.get("/").content.decode()

    counts = {field.code: n for field, n in fields_with_counts()}
    assert counts["ho-tich"] >= 1
    assert '?field=ho-tich"><span>Hộ tịch</span> <span class="count"' in html
    assert f">{counts['ho-tich']}</span></a>" in html
    empty = [code for code, n in counts.items() if n == 0]
    assert empty and all(f'?field={code}"' not in html for code in empty)


def test_live_search_returns_a_fragment_and_ignores_diacritics(client, province):
    response = client.get("/thu-tuc/", {"q": "dang ky thuong tru", "live": "1"}, **htmx())

    html = response.content.decode()
    assert "<html" not in html
    assert "/thu-tuc/1.004222/" in html


def test_live_search_with_an_empty_box_shows_nothing(client, province):
    response = client.get("/thu-tuc/", {"q": " ", "live": "1"}, **htmx())

    assert response.content == b""


def test_search_works_without_javascript_and_filters_by_field_and_agency(client, province):
    by_field = client.get("/thu-tuc/", {"field": "ho-tich"}).content.decode()
    by_agency = client.get("/thu-tuc/", {"agency": "H42.32"}).content.decode()

    assert "<html" in by_field and "/thu-tuc/2.002621/" in by_field and "/thu-tuc/1.004222/" not in by_field
    assert "/thu-tuc/2.002621/" in by_agency  # social insurance takes part in the birth bundle
    assert "Bảo hiểm xã hội tỉnh Hà Tĩnh" in by_agency


def test_an_unknown_agency_is_a_message_not_an_error(client, province):
    response = client.get("/thu-tuc/", {"agency": "X99"})

    assert response.status_code == 200
    assert "Không có cơ quan mã X99." in response.content.decode()


def test_procedure_page_shows_documents_fees_process_and_where_to_file(client, province):
    response = client.get("/thu-tuc/2.002621/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Liên thông các thủ tục hành chính" in html
    assert "Giấy chứng sinh" in html
    assert "Trường hợp đăng ký thường trú cho trẻ em khác nơi thường trú của cha, mẹ" in html  # a condition
    assert "Mẫu số 01 Nghị định số 63/2024/NĐ-CP" in html  # the blank form's name
    assert "Lệ phí đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế" in html
    assert "Công an cấp xã đăng ký thường trú cho trẻ" in html  # a step of a parallel branch
    assert "Bảo hiểm xã hội tỉnh Hà Tĩnh" in html
    assert 'class="branches"' in html  # stage 3 runs three branches in parallel
    assert "Không quá 03 ngày làm việc" in html  # the time limit as published
    assert "Trung tâm Phục vụ hành chính công phường Thành Sen" in html
    assert "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh" not in html  # commune-level procedure
    assert 'href="/nop-truc-tuyen/2.002621/"' in html


def test_procedure_page_takes_a_fixed_number_of_queries(client, province, django_assert_num_queries):
    # Procedure, version, six prefetches (two more when steps or agencies name fixed agencies), points,
    # and the procedure's published answers (feedback).
    with django_assert_num_queries(15):
        client.get("/thu-tuc/2.002621/")
    with django_assert_num_queries(13):
        client.get("/thu-tuc/1.004222/")


def test_a_counter_only_boundary_free_procedure_has_no_online_button(client, province):
    html = client.get("/thu-tuc/2.000815/").content.decode()

    assert "/nop-truc-tuyen/" not in html
    assert 'class="message message-success"' in html  # the boundary-free note
    for name in ("phường Thành Sen", "xã Thạch Hà", "phường Bắc Hồng Lĩnh"):
        assert f"Trung tâm Phục vụ hành chính công {name}" in html


def test_receiving_points_follow_the_local_agency_and_its_level(province):
    birth = version_in_force("2.002621", at("2025-11-03 09:00"))

    codes = [p.code for p in receiving_points(birth)]

    assert sorted(codes) == ["ttpvhcc-bachonglinh", "ttpvhcc-thachha", "ttpvhcc-thanhsen"]


def test_unknown_procedure_is_404(client, province):
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_the_blank_form_is_downloaded_when_the_catalog_has_its_file(client, province):
    version = version_in_force("2.002621", at("2025-11-03 09:00"))
    document = RequiredDocument.objects.get(version=version, position=0)
    document.template_file.save("mau-01.pdf", ContentFile(b"%PDF-1.4 blank"), save=True)

    page = client.get("/thu-tuc/2.002621/").content.decode()
    response = client.get("/thu-tuc/2.002621/mau/0/")

    assert 'href="/thu-tuc/2.002621/mau/0/"' in page
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 blank"
    assert client.get("/thu-tuc/2.002621/mau/1/").status_code == 404  # no file for this one


def test_going_back_to_a_pushed_search_restores_the_whole_page(client, province):
    response = client.get("/thu-tuc/", {"q": "khai sinh"}, **htmx(HX_History_Restore_Request="true"))

    assert "<html" in response.content.decode()
