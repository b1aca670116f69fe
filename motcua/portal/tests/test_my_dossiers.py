"""The citizen's own dossiers: only hers, answers to requests, withdraw, stop, receipt and results."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import FileKind, StepStatus
from motcua.dossiers.services import RequestItem
from motcua.dossiers.tests.conftest import PDF
from motcua.dossiers.uploads import Upload, store_upload

from .conftest import at, birth_bundle


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_my_dossiers_lists_only_mine_in_a_fixed_number_of_queries(
    citizen_client, citizen, people, points, filed, django_assert_num_queries
):
    for n in range(3):
        services.submit_online(
            data=birth_bundle(),
            point=points["ttpvhcc-thanhsen"],
            citizen=citizen,
            now=at(f"2025-11-04 0{n + 7}:00"),
        )
    services.submit_online(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        citizen=people["stranger"],
        now=at("2025-11-04 11:00"),
    )

    # Session, user, count, page of dossiers with procedure, version and point.
    with django_assert_num_queries(4):
        response = citizen_client.get("/ca-nhan/ho-so/")

    html = response.content.decode()
    assert html.count('class="result-title"') == 4
    assert filed.code in html


def test_a_citizen_cannot_open_another_citizens_dossier(stranger_client, accepted):
    for suffix in ("", "phieu-hen.pdf"):
        assert stranger_client.get(f"/ca-nhan/ho-so/{accepted.code}/{suffix}").status_code == 404
    assert stranger_client.post(f"/ca-nhan/ho-so/{accepted.code}/dung/").status_code == 404
    accepted.refresh_from_db()
    assert accepted.status != Status.STOPPED


def test_my_dossier_shows_status_due_moment_timeline_and_documents(citizen_client, accepted):
    html = citizen_client.get(f"/ca-nhan/ho-so/{accepted.code}/").content.decode()

    assert accepted.code in html
    assert "06/11/2025" in html  # the due moment
    assert "Giấy chứng sinh" in html and "giay-chung-sinh.pdf" in html
    assert 'href="/ca-nhan/ho-so/' + accepted.code + '/phieu-hen.pdf"' in html
    assert "/dung/" in html and "/rut/" not in html  # accepted: stop, no longer withdraw


def test_a_submitted_dossier_can_be_withdrawn(citizen_client, filed):
    page = citizen_client.get(f"/ca-nhan/ho-so/{filed.code}/").content.decode()

    response = citizen_client.post(f"/ca-nhan/ho-so/{filed.code}/rut/", {"reason": "Nộp nhầm thủ tục"})

    filed.refresh_from_db()
    assert "/rut/" in page and "phieu-hen.pdf" not in page
    assert response.status_code == 302
    assert filed.status == Status.WITHDRAWN


def test_withdrawing_an_accepted_dossier_shows_the_rule_in_vietnamese(citizen_client, accepted):
    response = citizen_client.post(f"/ca-nhan/ho-so/{accepted.code}/rut/", {"reason": "x"})

    assert response.status_code == 422
    assert "Không thể" in response.content.decode()


def test_the_citizen_may_ask_to_stop_while_no_result_exists(citizen_client, accepted):
    response = citizen_client.post(f"/ca-nhan/ho-so/{accepted.code}/dung/", {"reason": "Không còn nhu cầu"})

    accepted.refresh_from_db()
    assert response.status_code == 302
    assert accepted.status == Status.STOPPED
    assert not accepted.steps.filter(status=StepStatus.ACTIVE).exists()
    assert "Không còn nhu cầu" in citizen_client.get(f"/ca-nhan/ho-so/{accepted.code}/").content.decode()


def test_answering_the_desks_request_sends_the_dossier_back_for_checking(citizen_client, filed, people):
    services.request_completion_of_submission(
        code=filed.code,
        actor=people["motcua.thanhsen"],
        items=[RequestItem(position=2, reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp.")],
        now=at("2025-11-03 10:00"),
    )
    page = citizen_client.get(f"/ca-nhan/ho-so/{filed.code}/").content.decode()

    response = citizen_client.post(f"/ca-nhan/ho-so/{filed.code}/bo-sung/", {"files-2": _pdf("cho-o.pdf")})

    filed.refresh_from_db()
    assert "Thiếu giấy tờ chứng minh chỗ ở hợp pháp." in page and 'name="files-2"' in page
    assert response.status_code == 302
    assert filed.status == Status.SUBMITTED
    assert filed.files.filter(kind=FileKind.SUPPLEMENT, document__position=2).exists()


def test_answering_a_supplement_request_during_processing_restarts_the_clock(
    citizen_client, accepted, people
):
    services.request_supplement(
        code=accepted.code,
        actor=people["cv.tuphap.thanhsen"],
        items=[RequestItem(position=2, reason="Cần giấy tờ chứng minh chỗ ở.")],
        now=at("2025-11-04 08:00"),
    )

    response = citizen_client.post(f"/ca-nhan/ho-so/{accepted.code}/bo-sung/", {"files-2": _pdf("cho-o.pdf")})

    accepted.refresh_from_db()
    assert response.status_code == 302
    assert accepted.status == Status.IN_PROGRESS
    assert accepted.documents.get(position=2).provided


def test_an_empty_answer_keeps_the_request_open_with_a_message(citizen_client, filed, people):
    services.request_completion_of_submission(
        code=filed.code,
        actor=people["motcua.thanhsen"],
        items=[RequestItem(position=2, reason="Thiếu giấy tờ.")],
        now=at("2025-11-03 10:00"),
    )

    response = citizen_client.post(f"/ca-nhan/ho-so/{filed.code}/bo-sung/", {})

    filed.refresh_from_db()
    assert response.status_code == 422
    assert (
        "Hãy tải lên ít nhất một tệp bổ sung hoặc chọn một giấy tờ đã số hóa của bạn."
        in response.content.decode()
    )
    assert filed.status == Status.NEEDS_COMPLETION


def test_the_receipt_pdf_is_there_once_received(citizen_client, filed, people):
    assert citizen_client.get(f"/ca-nhan/ho-so/{filed.code}/phieu-hen.pdf").status_code == 404
    services.accept_submission(code=filed.code, actor=people["motcua.thanhsen"], now=at("2025-11-03 09:30"))

    response = citizen_client.get(f"/ca-nhan/ho-so/{filed.code}/phieu-hen.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_results_are_downloaded_only_by_their_citizen(citizen_client, stranger_client, accepted, people):
    signed = PDF + b"% signed result\n"
    result = store_upload(
        dossier=accepted,
        upload=Upload(name="giay-khai-sinh.pdf", content=signed),
        kind=FileKind.RESULT,
        actor=people["motcua.thanhsen"],
    )
    scan = accepted.files.filter(kind=FileKind.SCAN).first()
    url = f"/ca-nhan/ho-so/{accepted.code}/ket-qua/{result.sha256}/"

    page = citizen_client.get(f"/ca-nhan/ho-so/{accepted.code}/").content.decode()
    response = citizen_client.get(url)

    assert url in page and "giay-khai-sinh.pdf" in page
    assert response.status_code == 200 and b"".join(response.streaming_content) == signed
    assert 'filename="giay-khai-sinh.pdf"' in response["Content-Disposition"]
    assert stranger_client.get(url).status_code == 404
    # The applicant's own scans are not offered through the results address.
    assert scan is not None
    assert citizen_client.get(f"/ca-nhan/ho-so/{accepted.code}/ket-qua/{scan.sha256}/").status_code == 404


def test_my_dossiers_needs_a_signed_in_citizen(client, db):
    assert client.get("/ca-nhan/ho-so/")["Location"] == "/tai-khoan/dang-nhap/?next=/ca-nhan/ho-so/"
