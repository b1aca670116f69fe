"""SMS encoding and length: GSM-7 or UCS-2, parts, the unaccented fallback; phone numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.notify import sms
from motcua.notify.phones import normalise_phone, same_phone

VIETNAMESE = "Hồ sơ của ông/bà đã được tiếp nhận, hẹn trả kết quả đúng hạn. Đề nghị mang theo giấy tờ. "


def test_plain_text_is_gsm7_and_counts_160_then_153_per_part():
    assert sms.segments("a" * 160) == 1
    assert sms.segments("a" * 161) == 2
    assert sms.segments("a" * 306) == 2
    assert sms.segments("a" * 307) == 3
    # Extension characters take two septets.
    assert sms.units("[]", gsm=True) == 4 and sms.segments("€" * 80) == 1 and sms.segments("€" * 81) == 2


def test_vietnamese_needs_ucs2_and_counts_70_then_67_per_part():
    assert not sms.is_gsm("Hồ sơ")
    assert sms.segments("ồ" * 70) == 1
    assert sms.segments("ồ" * 71) == 2
    assert sms.segments("ồ" * 134) == 2
    assert sms.segments("ồ" * 135) == 3


def test_unaccented_text_strips_every_mark_and_writes_d_for_đ():
    assert (
        sms.unaccent("Đăng ký hộ tịch – Sở Tư pháp “Hà Tĩnh”…") == 'Dang ky ho tich - So Tu phap "Ha Tinh"...'
    )
    assert (
        sms.unaccent("Nguyễn Thị Ánh Tuyết, đường Phan Đình Phùng")
        == "Nguyen Thi Anh Tuyet, duong Phan Dinh Phung"
    )


def test_auto_keeps_unicode_when_it_fits_and_falls_back_to_unaccented_when_it_does_not():
    short = sms.fit(VIETNAMESE, mode="auto", max_segments=3)
    assert short.unicode and short.text == VIETNAMESE.strip() and short.segments == 2

    long = sms.fit(VIETNAMESE * 3, mode="auto", max_segments=3)
    assert not long.unicode and long.segments <= 3
    assert long.text.startswith("Ho so cua ong/ba da duoc tiep nhan")


def test_never_mode_always_sends_plain_text_and_always_mode_keeps_diacritics():
    assert sms.fit("Hồ sơ đã nhận", mode="never").text == "Ho so da nhan"
    kept = sms.fit(VIETNAMESE * 3, mode="always", max_segments=2)
    assert kept.unicode and kept.segments == 2 and kept.text.endswith("…")


def test_a_cut_message_ends_at_a_word_with_an_ellipsis():
    fitted = sms.fit("word " * 100, mode="never", max_segments=1)
    assert fitted.segments == 1 and fitted.text.endswith("word...") and len(fitted.text) <= 160


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(min_size=1, max_size=800),
    mode=st.sampled_from(["auto", "always", "never"]),
    parts=st.integers(1, 5),
)
def test_fit_never_exceeds_the_maximum_and_marks_plain_text_as_gsm(text, mode, parts):
    fitted = sms.fit(text, mode=mode, max_segments=parts)

    assert fitted.segments == sms.segments(fitted.text, gsm=not fitted.unicode) <= parts
    if not fitted.unicode:
        assert sms.is_gsm(fitted.text)
    if mode == "never":
        assert not fitted.unicode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("+84 912-345-678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("(0239) 3898.555", "+842393898555"),
        ("+6591234567", "+6591234567"),
        ("12345", ""),
        ("hello", ""),
        ("", ""),
    ],
)
def test_phone_numbers_are_compared_in_one_form(raw, expected):
    assert normalise_phone(raw) == expected


def test_same_phone_needs_two_real_numbers():
    assert same_phone("0912345678", "+84 912 345 678")
    assert not same_phone("", "")
    assert not same_phone("0912345678", "0912345679")
