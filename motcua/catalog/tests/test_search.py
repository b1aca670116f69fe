from __future__ import annotations

import datetime as dt

import pytest

from motcua.catalog.importing import import_catalog
from motcua.catalog.selectors import search_procedures
from motcua.catalog.synthetic import build_catalog
from motcua.catalog.tests.factories import KHAI_SINH, document, record
from motcua.core.errors import ValidationFailed

JULY_2025 = dt.date(2025, 7, 1)


def codes(query: str = "", **filters) -> list[str]:
    filters.setdefault("at", JULY_2025)
    return [v.procedure.code for v in search_procedures(query, **filters)]


def test_search_ignores_diacritics_and_case(catalog):
    assert codes("dang ky khai sinh")[0] == "1.001193"
    assert codes("ĐĂNG KÝ KHAI SINH")[0] == "1.001193"
    assert codes("Đăng ký khai sinh") == codes("dang ky khai sinh")


def test_every_word_of_the_query_must_appear(catalog):
    assert codes("khai sinh") == ["1.001193", "1.013069"]
    assert codes("khai sinh ket hon") == []


def test_words_match_at_their_start_only(catalog):
    assert "1.001193" in codes("khai si")
    assert codes("hai sinh") == []  # "hai" is inside "khai", not a word of its own


def test_ranking_puts_the_exact_code_then_the_name_then_other_text(org):
    report = import_catalog(
        document(
            record("1.000001", "Cấp lại giấy khai sinh", result="Bản sao giấy khai sinh"),
            record("1.000002", "Đăng ký khai sinh cho trẻ em bị bỏ rơi"),
            record("1.000003", "Đăng ký lại khai sinh"),
            record("1.000004", "Thủ tục đăng ký khai sinh"),
            record("1.000005", "Xác nhận thông tin hộ tịch", result="Xác nhận đăng ký khai sinh"),
            record("1.000006", "Đăng ký nhận cha, mẹ, con kết hợp đăng ký khai sinh"),
        )
    )
    assert report.ok, report.errors
    assert codes("đăng ký khai sinh") == [
        "1.000004",  # the name, past "Thủ tục", is the query
        "1.000002",  # the name starts with it
        "1.000006",  # the name holds the phrase
        "1.000003",  # the name holds every word
        "1.000005",  # only other text holds it
    ]
    assert codes("1.000005")[0] == "1.000005"


def test_only_published_versions_in_force_are_found(org):
    draft = record("1.000894", "Thủ tục đăng ký kết hôn", status="draft")
    future = record("1.000656", "Thủ tục đăng ký khai tử", effective_from="2026-01-01")
    import_catalog(document(KHAI_SINH, draft, future))
    assert codes("dang ky") == ["1.001193"]
    # Both names start with the phrase; the shorter name ranks first.
    assert codes("dang ky", at=dt.date(2026, 1, 1)) == ["1.000656", "1.001193"]


def test_an_abolished_procedure_is_no_longer_found(catalog):
    import_catalog(
        document({"code": "1.001193", "version": {"effective_from": "2026-01-01", "change": "abolish"}})
    )
    assert "1.001193" in codes("khai sinh", at=dt.date(2025, 12, 31))
    assert "1.001193" not in codes("khai sinh", at=dt.date(2026, 1, 1))


def test_an_amended_name_is_found_from_its_date(catalog):
    amendment = {
        **KHAI_SINH,
        "name": "Đăng ký khai sinh điện tử",
        "version": {"effective_from": "2026-01-01", "change": "amend"},
    }
    import_catalog(document(amendment))
    assert codes("dien tu", at=dt.date(2025, 12, 31)) == []
    assert codes("dien tu", at=dt.date(2026, 1, 1)) == ["1.001193"]


def test_filters_narrow_by_field_level_and_online_level(catalog):
    assert codes(field="cu-tru") == ["1.004222"]
    assert codes(level="tinh") == ["2.000815"]
    assert "2.000815" not in codes(online_level="full")
    assert codes(online_level="none") == ["2.000815"]


def test_an_unknown_online_level_is_refused(catalog):
    with pytest.raises(ValidationFailed) as caught:
        codes(online_level="level4")
    assert caught.value.fields == {"online_level": ["must be one of full, partial, none"]}


def test_the_agency_filter_finds_fixed_references_and_local_ones_at_the_agency_level(catalog):
    assert codes(agency="H42.10") == ["2.000815"]
    assert codes(agency="H42.32") == []  # a process step is not a deciding or implementing agency
    ward_police = codes(agency="H42.30.01")
    assert ward_police == ["1.004222"]
    ward_committee = codes(agency="H42.50.01")
    assert "1.001193" in ward_committee and "2.000815" in ward_committee and "1.004222" not in ward_committee
    # The provincial committee is not the commune's, but 2.000815 names local committees at both levels.
    assert codes(agency="H42") == ["2.000815"]


def test_an_empty_query_lists_everything_in_force_by_name(catalog):
    assert len(codes()) == 6
    assert codes()[0] == "2.000815"  # "Chứng thực…" folds to "chung thuc…", first in a–z


def test_search_takes_one_query_whatever_the_size_of_the_catalog(org, django_assert_num_queries):
    build_catalog(10)
    with django_assert_num_queries(1):
        small = list(search_procedures("dang ky khai sinh", at=JULY_2025, limit=20))
    build_catalog(5000)
    with django_assert_num_queries(1):
        large = list(search_procedures("dang ky khai sinh", at=JULY_2025, limit=20))
    assert len(small) == 1 and len(large) == 20
    assert large[0].name == "Thủ tục đăng ký khai sinh"
    with django_assert_num_queries(1):
        assert len(list(search_procedures("giay phep", field="ho-tich", level="tinh", at=JULY_2025))) > 0
