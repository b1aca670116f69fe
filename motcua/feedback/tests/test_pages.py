"""Feedback pages: the portal's form, follow and published answers; the staff inbox and actions."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.feedback import services
from motcua.feedback.models import Feedback

from .conftest import HTMX, PDF, at, regulation, staff_client

FORM = "/phan-anh-kien-nghi/"


def _form(**overrides: object) -> dict[str, object]:
    return {
        "topic": "regulation",
        "procedure_code": "2.002621",
        "agency": "H42.50.01",
        "subject": "Thời hạn giải quyết",
        "content": "Vì sao phải nộp bản sao?",
        "sender_name": "Trần Văn Bình",
        "sender_phone": "0912345678",
        **overrides,
    }


def test_the_form_is_in_vietnamese_and_prefilled_from_the_procedure_page(province):
    html = Client().get(FORM, {"thu_tuc": "2.002621"}).content.decode()

    assert "Phản ánh, kiến nghị" in html and "Nội dung phản ánh, kiến nghị về" in html
    assert 'value="2.002621"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'enctype="multipart/form-data"' in html


def test_sending_shows_the_code_and_secret_once_then_follows(province, clock):
    client = Client()
    response = client.post(FORM, _form(attachment=SimpleUploadedFile("anh.pdf", PDF)))

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.files.count() == 1 and feedback.agency.code == "H42.50.01"
    shown = client.get(response["Location"]).content.decode()
    assert feedback.code in shown and feedback.secret in shown
    assert feedback.secret not in client.get(response["Location"]).content.decode()  # only once
    follow = client.get(
        f"/phan-anh-kien-nghi/theo-doi/{feedback.code}", {"secret": feedback.secret}
    ).content.decode()
    assert "Đang xử lý" in follow and "Ủy ban nhân dân phường Thành Sen" in follow


def test_errors_keep_what_was_typed_and_nothing_is_saved(province, clock):
    typed = _form(sender_phone="", subject="Giữ lại tiêu đề này")

    response = Client().post(FORM, typed)

    html = response.content.decode()
    assert response.status_code == 422
    assert "Vui lòng cho số điện thoại hoặc địa chỉ thư điện tử để nhận trả lời." in html
    assert 'value="Giữ lại tiêu đề này"' in html and "Vì sao phải nộp bản sao?" in html
    assert not Feedback.objects.exists()


def test_an_attachment_that_is_not_a_pdf_or_an_image_is_refused(province, clock):
    response = Client().post(FORM, _form(attachment=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")))

    assert response.status_code == 422
    assert "Tệp “x.pdf” không phải là PDF hoặc ảnh" in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_form_needs_the_csrf_token_and_sending_is_rate_limited(province, clock, settings):
    assert Client(enforce_csrf_checks=True).post(FORM, _form()).status_code == 403
    settings.MOTCUA = {**settings.MOTCUA, "FEEDBACK_PER_IP_PER_HOUR": 2}
    client = Client()
    codes = [client.post(FORM, _form()).status_code for _ in range(3)]

    assert codes == [302, 302, 429]
    assert Feedback.objects.count() == 2


def test_a_wrong_secret_does_not_show_the_feedback(received):
    response = Client().get(f"/phan-anh-kien-nghi/theo-doi/{received.code}", {"secret": "WRONGSECRT"})

    assert response.status_code == 404 and received.subject not in response.content.decode()


def test_the_sender_reacts_to_the_answer_on_the_follow_page(received, people):
    services.answer_feedback(code=received.code, actor=people["ct.thanhsen"], answer="Không cần bản sao.")
    url = f"/phan-anh-kien-nghi/theo-doi/{received.code}"

    page = Client().get(url, {"secret": received.secret}).content.decode()
    missing = Client().post(url, {"secret": received.secret})
    done = Client().post(url, {"secret": received.secret, "reaction": "unsatisfied", "comment": "Chưa rõ."})

    assert "Không cần bản sao." in page and "Ông/bà có hài lòng với trả lời này không?" in page
    assert missing.status_code == 422
    assert done.status_code == 200 and "Không hài lòng với trả lời" in done.content.decode()
    received.refresh_from_db()
    assert (received.reaction, received.reaction_comment) == ("unsatisfied", "Chưa rõ.")


def _published(people) -> Feedback:
    feedback = services.submit_feedback(data=regulation())
    answered = services.answer_feedback(
        code=feedback.code, actor=people["ct.thanhsen"], answer="Không cần bản sao."
    )
    question, answer = services.publish_draft(answered)
    return services.publish_feedback(
        code=feedback.code, actor=people["ct.thanhsen"], question=question, answer=answer
    )


def test_published_answers_appear_on_their_page_and_on_the_procedure_page_without_personal_data(
    people, clock
):
    _published(people)

    listing = Client().get("/phan-anh-kien-nghi/cong-khai/").content.decode()
    procedure = Client().get("/thu-tuc/2.002621/").content.decode()
    other = Client().get("/thu-tuc/2.000815/").content.decode()

    for html in (listing, procedure):
        assert "Không cần bản sao." in html and "Vì sao phải nộp bản sao giấy chứng sinh?" in html
        assert "Trần Văn Bình" not in html and "0912345678" not in html
    assert "Hỏi đáp về thủ tục này" in procedure
    assert "Không cần bản sao." not in other and "Chưa có trả lời nào được công khai về thủ tục này." in other


def test_the_published_page_takes_a_fixed_number_of_queries(people, clock, django_assert_num_queries):
    for _ in range(3):
        _published(people)

    with django_assert_num_queries(2):  # count, page with procedure and agency
        response = Client().get("/phan-anh-kien-nghi/cong-khai/")

    assert response.content.decode().count('class="qa-text"><strong>') == 6


# ---- Staff ---------------------------------------------------------------------------------------


def test_the_inbox_lists_the_agencys_feedback_coloured_by_urgency(received, people, clock):
    late = services.submit_feedback(data=regulation(subject="Câu hỏi cũ"), now=at("2025-10-01 09:00"))
    clock.set("2025-11-28 09:00")
    leader = staff_client(people["ct.thanhsen"])

    html = leader.get("/can-bo/phan-anh/").content.decode()

    assert html.index(late.code) < html.index(received.code)  # soonest due first
    assert 'class="row-late"' in html and "Phản ánh, kiến nghị" in html
    only_late = leader.get("/can-bo/phan-anh/", {"urgency": "late"}, **HTMX).content.decode()
    assert late.code in only_late and received.code not in only_late and "<html" not in only_late


def test_the_inbox_runs_a_constant_number_of_queries(received, people, clock):
    leader = staff_client(people["ct.thanhsen"])
    leader.get("/can-bo/phan-anh/")
    with CaptureQueriesContext(connection) as few:
        leader.get("/can-bo/phan-anh/")
    for _ in range(4):
        services.submit_feedback(data=regulation())
    with CaptureQueriesContext(connection) as many:
        response = leader.get("/can-bo/phan-anh/")

    assert len(few) == len(many) == 6, "pinned: session, user, reference token, counts, count, page"
    assert response.content.decode().count('<tr class="row-') == 5


def test_staff_of_another_agency_and_counter_officers_get_404(received, people):
    for name in ("cv.dkkd", "tp.dkkd", "cv.bhxh"):
        assert staff_client(people[name]).get(f"/can-bo/phan-anh/{received.code}/").status_code == 404, name
        assert received.code not in staff_client(people[name]).get("/can-bo/phan-anh/").content.decode()
    assert staff_client(people["motcua.thanhsen"]).get("/can-bo/phan-anh/").status_code == 404
    posted = staff_client(people["cv.dkkd"]).post(
        f"/can-bo/phan-anh/{received.code}/thao-tac/tra-loi/", {"answer": "X"}
    )
    assert posted.status_code == 404
    received.refresh_from_db()
    assert received.status == "open"


def test_an_officer_forwards_then_the_police_answers_from_the_page(received, people, clock):
    clerk = staff_client(people["cv.tuphap.thanhsen"])
    page = clerk.get(f"/can-bo/phan-anh/{received.code}/").content.decode()
    assert "Trần Văn Bình" in page and "0912345678" in page  # staff see the contact to answer

    missing = clerk.post(
        f"/can-bo/phan-anh/{received.code}/thao-tac/chuyen/",
        {"agency": "H42.30.01", "reason": "", "version": 1},
    )
    assert missing.status_code == 422 and 'value="H42.30.01" selected' in missing.content.decode()
    moved = clerk.post(
        f"/can-bo/phan-anh/{received.code}/thao-tac/chuyen/",
        {"agency": "H42.30.01", "reason": "Cư trú.", "version": 1},
    )
    assert moved.status_code == 302 and moved["Location"] == "/can-bo/phan-anh/"
    assert "Đã chuyển phản ánh, kiến nghị." in clerk.get(moved["Location"]).content.decode()
    assert clerk.get(f"/can-bo/phan-anh/{received.code}/").status_code == 404  # no longer ours

    police = staff_client(people["ca.thanhsen"])
    stale = police.post(
        f"/can-bo/phan-anh/{received.code}/thao-tac/tra-loi/", {"answer": "Đã rõ.", "version": 1}
    )
    assert stale.status_code == 409 and "Người khác vừa cập nhật" in stale.content.decode()
    done = police.post(
        f"/can-bo/phan-anh/{received.code}/thao-tac/tra-loi/", {"answer": "Đã rõ.", "version": 2}
    )
    assert done.status_code == 302
    received.refresh_from_db()
    assert (received.status, received.answer, received.on_time) == ("answered", "Đã rõ.", True)


def test_a_leader_publishes_from_the_page_with_the_personal_data_already_removed(received, people):
    services.answer_feedback(
        code=received.code, actor=people["cv.tuphap.thanhsen"], answer="Không cần bản sao."
    )
    specialist = (
        staff_client(people["cv.tuphap.thanhsen"]).get(f"/can-bo/phan-anh/{received.code}/").content.decode()
    )
    assert "publish-form" not in specialist
    leader = staff_client(people["ct.thanhsen"])
    page = leader.get(f"/can-bo/phan-anh/{received.code}/").content.decode()
    draft = page[page.index('id="publish-form"') :]
    assert "Trần Văn Bình" not in draft and "0912345678" not in draft and "Vì sao phải nộp" in draft

    response = leader.post(
        f"/can-bo/phan-anh/{received.code}/thao-tac/cong-khai/",
        {"question": "Có phải nộp bản sao? Gọi 0912345678.", "answer": "Không cần bản sao.", "version": 2},
    )

    assert response.status_code == 302
    received.refresh_from_db()
    assert received.published_at is not None and "0912345678" not in received.public_question


def test_declining_needs_a_reason_and_tells_the_sender(received, people):
    leader = staff_client(people["ct.thanhsen"])
    refused = leader.post(
        f"/can-bo/phan-anh/{received.code}/thao-tac/tu-choi/", {"kind": "duplicate", "reason": ""}
    )
    done = leader.post(
        f"/can-bo/phan-anh/{received.code}/thao-tac/tu-choi/", {"kind": "duplicate", "reason": "Đã trả lời."}
    )

    assert refused.status_code == 422 and done.status_code == 302
    received.refresh_from_db()
    assert (received.status, received.decline_reason) == ("declined", "duplicate")


def test_the_staff_menu_shows_feedback_to_agencies_and_the_counter_screen_to_officers(people, province):
    leader = staff_client(people["ct.thanhsen"]).get("/can-bo/viec-cua-toi/").content.decode()
    officer = staff_client(people["motcua.thanhsen"]).get("/can-bo/tiep-nhan/").content.decode()

    assert 'href="/can-bo/phan-anh/"' in leader and 'href="/can-bo/danh-gia-tai-quay/"' not in leader
    assert 'href="/can-bo/danh-gia-tai-quay/"' in officer and 'href="/can-bo/phan-anh/"' not in officer


def test_guessing_the_secret_through_the_reaction_form_is_blocked_too(received, people):
    services.answer_feedback(code=received.code, actor=people["ct.thanhsen"], answer="Trả lời.")
    url = f"/phan-anh-kien-nghi/theo-doi/{received.code}"
    for n in range(10):
        guess = Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            url, {"secret": f"GUESS{n}", "reaction": "unsatisfied"}
        )
        assert guess.status_code == 404

    right = Client(REMOTE_ADDR="198.51.100.3").post(
        url, {"secret": received.secret, "reaction": "unsatisfied"}
    )

    assert right.status_code == 429
    received.refresh_from_db()
    assert received.reaction == ""
