"""Rating pages: the public look-up (code + secret), the citizen's own dossier, the counter screen."""

from __future__ import annotations

from django.test import Client

from motcua.feedback.models import Rating
from motcua.feedback.services import rate_dossier

from .conftest import RATE_ALL, staff_client

PERSONAL = ["Trần Văn Bình", "042090001234", "0912345678", "binh@example.vn", "Tổ 3"]


def _answers(**overrides: str) -> dict[str, str]:
    return {"level": "satisfied", **RATE_ALL, "comment": "", **overrides}


def test_the_public_lookup_of_an_ended_dossier_offers_the_rating_form_in_vietnamese(late):
    html = Client().get(f"/tra-cuu/{late.code}", {"secret": late.lookup_secret}).content.decode()

    assert "Đánh giá mức độ hài lòng" in html and "Rất hài lòng" in html and "Không hài lòng" in html
    assert "Thái độ của cán bộ tiếp nhận và giải quyết hồ sơ?" in html
    assert f'action="/danh-gia/{late.code}"' in html and f'value="{late.lookup_secret}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for text in PERSONAL:
        assert text not in html, text


def test_a_dossier_in_processing_shows_no_rating_form(open_dossier):
    html = (
        Client().get(f"/tra-cuu/{open_dossier.code}", {"secret": open_dossier.lookup_secret}).content.decode()
    )

    assert "/danh-gia/" not in html


def test_rating_from_the_lookup_goes_back_to_it_with_thanks_and_the_form_is_gone(late):
    client = Client()

    response = client.post(
        f"/danh-gia/{late.code}", {**_answers(level="very_satisfied"), "secret": late.lookup_secret}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/{late.code}?secret={late.lookup_secret}"
    rating = Rating.objects.get(dossier=late)
    assert (rating.level, rating.channel, rating.rated_by) == ("very_satisfied", "lookup", None)
    after = client.get(response["Location"]).content.decode()
    assert "Cảm ơn ông/bà đã đánh giá" in after and "Ông/bà đã đánh giá “Rất hài lòng”" in after
    assert f'action="/danh-gia/{late.code}"' not in after


def test_a_missing_answer_keeps_what_was_chosen_and_says_what_is_missing(late):
    answers = _answers(level="unsatisfied", comment="Chờ lâu quá.")
    answers.pop("staff_attitude")

    response = Client().post(f"/danh-gia/{late.code}", {**answers, "secret": late.lookup_secret})

    html = response.content.decode()
    assert response.status_code == 422
    assert "Vui lòng trả lời các câu hỏi được đánh dấu dưới đây." in html
    assert 'value="unsatisfied" id="id_level_2" checked' in html.replace("required ", "")
    assert "Chờ lâu quá." in html
    assert not Rating.objects.exists()


def test_a_wrong_secret_is_not_found_and_repeated_guesses_are_blocked(late):
    for n in range(10):
        guess = Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            f"/danh-gia/{late.code}", {**_answers(), "secret": "GUESS"}
        )
        assert guess.status_code == 404

    blocked = Client(REMOTE_ADDR="198.51.100.9").post(
        f"/danh-gia/{late.code}", {**_answers(), "secret": late.lookup_secret}
    )

    assert blocked.status_code == 429 and blocked["Retry-After"]
    assert not Rating.objects.exists()


def test_the_rating_form_needs_the_csrf_token(late):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/danh-gia/{late.code}", {**_answers(), "secret": late.lookup_secret})

    assert response.status_code == 403 and not Rating.objects.exists()


def test_the_applicant_rates_her_own_dossier_from_her_account(early, people):
    citizen = staff_client(people["citizen"])
    page = citizen.get(f"/ca-nhan/ho-so/{early.code}/").content.decode()
    assert f'action="/ca-nhan/ho-so/{early.code}/danh-gia/"' in page

    response = citizen.post(f"/ca-nhan/ho-so/{early.code}/danh-gia/", _answers())

    assert response.status_code == 302 and response["Location"] == f"/ca-nhan/ho-so/{early.code}/"
    assert Rating.objects.get(dossier=early).rated_by == people["citizen"]
    stranger = staff_client(people["stranger"]).post(f"/ca-nhan/ho-so/{early.code}/danh-gia/", _answers())
    assert stranger.status_code == 404


def test_the_counter_screen_shows_only_the_procedure_the_code_and_big_buttons(late, people, clock):
    clock.set("2025-11-12 10:05")  # just after the hand-over
    officer = staff_client(people["motcua.thanhsen"])
    start = officer.get("/can-bo/danh-gia-tai-quay/").content.decode()
    assert late.code in start

    html = officer.get(f"/can-bo/danh-gia-tai-quay/{late.code}/").content.decode()

    assert late.code in html and late.procedure_version.name in html and "rate-option" in html
    for text in [*PERSONAL, "Võ Thị Thu"]:  # not even the officer's own name
        assert text not in html, text
    done = officer.post(f"/can-bo/danh-gia-tai-quay/{late.code}/", _answers(level="satisfied"))
    assert done.status_code == 302
    thanks = officer.get(done["Location"]).content.decode()
    assert "Xin cảm ơn!" in thanks and 'http-equiv="refresh"' in thanks
    rating = Rating.objects.get(dossier=late)
    assert (rating.channel, rating.rated_by) == ("counter", people["motcua.thanhsen"])


def test_the_counter_screen_is_only_for_the_officers_of_the_receiving_point(late, people):
    for name in ("motcua.thachha", "cv.tuphap.thanhsen", "giamdoc.thanhsen"):
        response = staff_client(people[name]).get(f"/can-bo/danh-gia-tai-quay/{late.code}/")
        assert response.status_code == 404, name
    assert Client().get(f"/can-bo/danh-gia-tai-quay/{late.code}/").status_code == 302  # to the sign-in


def test_the_staff_dossier_page_shows_the_rating_or_the_way_to_the_counter_screen(late, people):
    officer = people["motcua.thanhsen"]
    page = f"/can-bo/ho-so/{late.code}/"

    before = staff_client(officer).get(page).content.decode()
    rate_dossier(code=late.code, level="unsatisfied", answers=RATE_ALL, channel="counter", actor=officer)
    after = staff_client(people["ct.thanhsen"]).get(page).content.decode()

    assert "Người nộp hồ sơ chưa đánh giá." in before and f"/can-bo/danh-gia-tai-quay/{late.code}/" in before
    assert "Không hài lòng" in after and "Màn hình tại quầy" in after
    assert "/can-bo/danh-gia-tai-quay/" not in after
