"""Each official form renders with Vietnamese data, and its text reads back from the PDF."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from motcua.dossiers.pdf import (
    Apology,
    BookRow,
    ControlRow,
    ControlSheet,
    FormCodes,
    Issuer,
    Outcome,
    Party,
    ReceiptSlip,
    ReceivedDocument,
    Refusal,
    Signer,
    StopNotice,
    SupplementItem,
    SupplementRequest,
    TrackingBook,
    render,
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_stop_notice,
    render_supplement_request,
    render_tracking_book,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CENTRE = Issuer(
    name="Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh",
    parent_name="Ủy ban nhân dân tỉnh Hà Tĩnh",
    place="Hà Tĩnh",
)
DEPARTMENT = Issuer(
    name="Sở Nông nghiệp và Môi trường", parent_name="Ủy ban nhân dân tỉnh Hà Tĩnh", place="Hà Tĩnh"
)
CODE = "H29.12.05-250425-010001"
PROCEDURE = (
    "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp "
    "chuyển đổi, chuyển nhượng, thừa kế, tặng cho, góp vốn bằng quyền sử dụng đất"
)
APPLICANT = Party(
    name="Nguyễn Thị Thùy Dương",
    id_number="042190001234",
    address="Số 12 đường Phan Đình Phùng, phường Thành Sen, tỉnh Hà Tĩnh",
    phone="0912 345 678",
    email="duong.ntt@example.vn",
)
# Received 08:30 on 25 April 2025 in Vietnam, given in UTC as the database stores it.
RECEIVED = datetime(2025, 4, 25, 1, 30, tzinfo=UTC)
DUE = datetime(2025, 5, 9, 16, 0, tzinfo=VN)
LOOKUP = "https://dichvucong.hatinh.gov.vn/tra-cuu/H29.12.05-250425-010001?s=q7Xv2mB9kLr4TzW8"


def receipt_slip(**changes: object) -> ReceiptSlip:
    """Build a full receipt slip; keyword arguments replace fields."""
    values: dict[str, object] = {
        "issuer": CENTRE,
        "dossier_code": CODE,
        "procedure_name": PROCEDURE,
        "applicant": APPLICANT,
        "representative": Party(name="Trần Văn Quý", id_number="042088005678", phone="0987 654 321"),
        "received_at": RECEIVED,
        "due_at": DUE,
        "documents": (
            ReceivedDocument("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất", "Bản chính", 1),
            ReceivedDocument("Hợp đồng chuyển nhượng quyền sử dụng đất đã công chứng", "Bản chính", 2),
            ReceivedDocument("Giấy chứng nhận quyền sử dụng đất đã cấp", "Bản gốc", 1),
            ReceivedDocument("Tờ khai lệ phí trước bạ nhà, đất", "Bản chính", 1),
        ),
        "sets": 1,
        "time_limit": "10 ngày làm việc",
        "return_place": "Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh",
        "book_number": "Quyển 04, số thứ tự 125",
        "officer_name": "Lê Thị Ngọc Ánh",
        "lookup_url": LOOKUP,
    }
    values.update(changes)
    return ReceiptSlip(**values)  # type: ignore[arg-type]


def supplement_request() -> SupplementRequest:
    """Build a request listing two items to supplement."""
    return SupplementRequest(
        issuer=CENTRE,
        dossier_code=CODE,
        procedure_name=PROCEDURE,
        applicant=APPLICANT,
        received_at=RECEIVED,
        requested_at=RECEIVED + timedelta(hours=3),
        deadline=datetime(2025, 5, 19, 17, 0, tzinfo=VN),
        items=(
            SupplementItem("Sơ đồ thửa đất", "Bản sao chưa được chứng thực theo quy định"),
            SupplementItem("Văn bản thỏa thuận phân chia di sản thừa kế", "Thiếu chữ ký của đồng thừa kế"),
        ),
        contact_name="bà Lê Thị Ngọc Ánh",
        contact_phone="0239 3855 666",
        officer_name="Lê Thị Ngọc Ánh",
    )


def refusal() -> Refusal:
    """Build a refusal with two reasons."""
    return Refusal(
        issuer=CENTRE,
        procedure_name=PROCEDURE,
        applicant=APPLICANT,
        issued_at=RECEIVED,
        reasons=(
            "Thửa đất đang có tranh chấp, đã được Tòa án nhân dân thụ lý giải quyết.",
            "Quyền sử dụng đất đang bị kê biên để bảo đảm thi hành án.",
        ),
        officer_name="Lê Thị Ngọc Ánh",
    )


def apology() -> Apology:
    """Build an apology moving the appointment by a week."""
    return Apology(
        issuer=DEPARTMENT,
        applicant=APPLICANT,
        dossier_code=CODE,
        procedure_name=PROCEDURE,
        received_at=RECEIVED,
        previous_due_at=DUE,
        new_due_at=datetime(2025, 5, 16, 16, 0, tzinfo=VN),
        reason="Cần xác minh thêm nguồn gốc sử dụng đất tại Ủy ban nhân dân xã Thạch Hạ",
        issued_at=datetime(2025, 5, 8, 9, 0, tzinfo=VN),
        signer=Signer(title="Phó Giám đốc", name="Võ Trọng Hữu", authority="KT. Giám đốc"),
        number="125/PXL-SNNMT",
        recipients=("Bà Nguyễn Thị Thùy Dương", "Trung tâm Phục vụ hành chính công tỉnh", "Lưu: VT"),
    )


def stop_notice() -> StopNotice:
    """Build a stop notice asked for by the applicant."""
    return StopNotice(
        issuer=DEPARTMENT,
        applicant=APPLICANT,
        dossier_code=CODE,
        procedure_name=PROCEDURE,
        received_at=RECEIVED,
        requested_at=datetime(2025, 5, 2, 10, 0, tzinfo=VN),
        issued_at=datetime(2025, 5, 5, 8, 0, tzinfo=VN),
        reason="Gia đình thỏa thuận lại việc phân chia thửa đất",
        return_place="Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh",
        signer=Signer(title="Giám đốc", name="Đặng Văn Ỹ"),
        number="18/TB-SNNMT",
        recipients=("Bà Nguyễn Thị Thùy Dương", "Lưu: VT"),
    )


def control_sheet(rows: int = 4) -> ControlSheet:
    """Build a control sheet with `rows` hand-overs, cycling through the outcomes."""
    outcomes = [Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE, None]
    hand_overs = tuple(
        ControlRow(
            from_unit="Bộ phận Một cửa" if n == 0 else "Phòng Quản lý đất đai",
            from_person="Lê Thị Ngọc Ánh" if n == 0 else "Phạm Quốc Bảo",
            to_unit="Văn phòng Đăng ký đất đai",
            to_person="Hoàng Thị Mỹ Lệ",
            handed_at=RECEIVED + timedelta(days=n, hours=1),
            outcome=outcomes[n % 4],
            note="Chuyển hồ sơ giấy kèm theo" if n == 0 else "",
        )
        for n in range(rows)
    )
    return ControlSheet(
        issuer=CENTRE,
        dossier_code=CODE,
        procedure_name=PROCEDURE,
        applicant=APPLICANT,
        received_at=RECEIVED,
        due_at=DUE,
        rows=hand_overs,
    )


def tracking_book(rows: int = 12) -> TrackingBook:
    """Build a month's book of `rows` dossiers; every third one still open."""
    entries = tuple(
        BookRow(
            dossier_code=f"H29.12.05-2511{n % 28 + 1:02d}-01{n + 1:04d}",
            procedure_name=PROCEDURE if n % 5 == 0 else "Cấp bản sao trích lục khai tử",
            applicant_name="Nguyễn Thị Thùy Dương" if n % 2 else "Công ty TNHH Hưng Thịnh",
            lead_agency="Sở Nông nghiệp và Môi trường",
            received_at=datetime(2025, 11, n % 28 + 1, 8, 30, tzinfo=VN),
            due_at=datetime(2025, 11, n % 28 + 1, 16, 0, tzinfo=VN) + timedelta(days=3),
            returned_at=None if n % 3 == 2 else datetime(2025, 11, n % 28 + 1, 15, 0, tzinfo=VN),
            delivery="Trực tiếp" if n % 2 else "Bưu chính công ích",
            outcome=None if n % 3 == 2 else Outcome.EARLY,
            status="Đang giải quyết" if n % 3 == 2 else "",
        )
        for n in range(rows)
    )
    return TrackingBook(
        issuer=CENTRE,
        period_from=date(2025, 11, 1),
        period_to=date(2025, 11, 30),
        field_name="Đất đai",
        rows=entries,
    )


def pages(pdf: bytes) -> list[str]:
    """Read the text of every page, with line breaks turned into spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    """Read the text of the whole document."""
    return " ".join(pages(pdf))


def test_receipt_shows_code_people_documents_and_moments() -> None:
    content = text_of(render_receipt(receipt_slip()))
    assert "Mẫu số 01" in content
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in content
    assert f"Mã hồ sơ: {CODE}" in content
    assert "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" in content
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH HÀ TĨNH" in content
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in content
    assert "Độc lập - Tự do - Hạnh phúc" in content
    assert "Hà Tĩnh, ngày 25 tháng 4 năm 2025" in content
    assert "Nguyễn Thị Thùy Dương" in content
    assert "042190001234" in content
    assert "Người được ủy quyền: Trần Văn Quý" in content
    assert "Hợp đồng chuyển nhượng quyền sử dụng đất đã công chứng Bản chính 02" in content
    assert "Số lượng hồ sơ: 01 bộ" in content
    assert "10 ngày làm việc" in content
    assert "Thời gian nhận hồ sơ: 08:30, ngày 25/04/2025" in content
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16:00, ngày 09/05/2025" in content
    assert "Quyển 04, số thứ tự 125" in content
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in content
    assert "Lê Thị Ngọc Ánh" in content


def test_receipt_wraps_the_long_procedure_name_without_losing_words() -> None:
    content = text_of(render_receipt(receipt_slip()))
    assert f"Nội dung yêu cầu giải quyết: {PROCEDURE}" in content


def test_receipt_prints_a_second_appointment_when_there_is_one() -> None:
    later = datetime(2025, 5, 20, 10, 15, tzinfo=VN)
    content = text_of(render_receipt(receipt_slip(second_due_at=later)))
    assert "Thời gian hẹn trả kết quả lần 2: 10:15, ngày 20/05/2025" in content


def test_receipt_with_only_the_required_data_renders() -> None:
    slip = ReceiptSlip(
        issuer=Issuer(name="Bộ phận Một cửa xã Thạch Hạ"),
        dossier_code=CODE,
        procedure_name="Chứng thực bản sao từ bản chính",
        applicant=Party(name="Đỗ Ỵ"),
        received_at=RECEIVED,
        due_at=RECEIVED,
    )
    content = text_of(render_receipt(slip))
    assert "Ngày 25 tháng 4 năm 2025" in content
    assert "Không có giấy tờ kèm theo" in content
    assert "Đỗ Ỵ" in content
    assert "Tra cứu" not in content


def test_supplement_request_lists_items_reasons_and_contact() -> None:
    content = text_of(render_supplement_request(supplement_request()))
    assert "Mẫu số 02" in content
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in content
    assert f"Mã hồ sơ: {CODE}" in content
    assert "1 Sơ đồ thửa đất Bản sao chưa được chứng thực theo quy định" in content
    assert "Thiếu chữ ký của đồng thừa kế" in content
    assert "liên hệ bà Lê Thị Ngọc Ánh, số điện thoại 0239 3855 666" in content
    assert "trước 17:00, ngày 19/05/2025" in content
    assert "NGƯỜI HƯỚNG DẪN" in content


def test_supplement_request_without_code_or_contact_renders() -> None:
    request = SupplementRequest(
        issuer=CENTRE, procedure_name=PROCEDURE, applicant=Party(name="Phạm Ữ"), requested_at=RECEIVED
    )
    content = text_of(render_supplement_request(request))
    assert "Mã hồ sơ" not in content
    assert "liên hệ" not in content


def test_refusal_numbers_its_reasons() -> None:
    content = text_of(render_refusal(refusal()))
    assert "Mẫu số 03" in content
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in content
    assert "1. Thửa đất đang có tranh chấp" in content
    assert "2. Quyền sử dụng đất đang bị kê biên" in content
    assert "Mã hồ sơ" not in content


def test_apology_gives_both_appointments_reason_and_the_head_who_signs() -> None:
    content = text_of(render_apology(apology()))
    assert "Mẫu số 04" in content
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in content
    assert "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in content
    assert "Số: 125/PXL-SNNMT" in content
    assert "Kính gửi: Nguyễn Thị Thùy Dương" in content
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16:00, ngày 09/05/2025" in content
    assert "hẹn trả kết quả giải quyết hồ sơ vào lúc 16:00, ngày 16/05/2025" in content
    assert "Lý do: Cần xác minh thêm nguồn gốc sử dụng đất" in content
    assert "KT. GIÁM ĐỐC" in content
    assert "PHÓ GIÁM ĐỐC" in content
    assert "Võ Trọng Hữu" in content
    assert "Nơi nhận:" in content
    assert "- Lưu: VT." in content
    assert "Hà Tĩnh, ngày 08 tháng 5 năm 2025" in content


def test_stop_notice_names_the_dossier_request_date_and_reason() -> None:
    content = text_of(render_stop_notice(stop_notice()))
    assert "Mẫu số 05" in content
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in content
    assert "(Theo yêu cầu của tổ chức, cá nhân)" in content
    assert f"Mã hồ sơ: {CODE}" in content
    assert "Ngày 02/05/2025" in content
    assert "Lý do đề nghị dừng: Gia đình thỏa thuận lại việc phân chia thửa đất" in content
    assert "kể từ ngày 05/05/2025" in content
    assert "Đặng Văn Ỹ" in content


def test_control_sheet_has_one_row_per_hand_over_with_its_outcome() -> None:
    content = text_of(render_control_sheet(control_sheet()))
    assert "Mẫu số 06" in content
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in content
    assert "Bộ phận Một cửa Lê Thị Ngọc Ánh" in content
    assert "Văn phòng Đăng ký đất đai Hoàng Thị Mỹ Lệ" in content
    assert "09:30 25/04/2025" in content
    for label in ("Trước hạn", "Đúng hạn", "Quá hạn"):
        assert label in content
    assert "Thời gian hẹn trả kết quả: 16:00, ngày 09/05/2025" in content


def test_long_control_sheet_repeats_its_header_row_on_every_page() -> None:
    texts = pages(render_control_sheet(control_sheet(rows=40)))
    assert len(texts) > 1
    for number, page in enumerate(texts, start=1):
        assert "Bên giao Bên nhận Thời gian giao, nhận" in page
        assert f"Trang {number}/{len(texts)}" in page


def test_tracking_book_lists_dossiers_with_totals() -> None:
    texts = pages(render_tracking_book(tracking_book()))
    content = " ".join(texts)
    assert "Mẫu số 07" in content
    assert "SỔ THEO DÕI HỒ SƠ" in content
    assert "Lĩnh vực: Đất đai" in content
    assert "Từ ngày 01/11/2025 đến ngày 30/11/2025" in content
    assert "H29.12.05-251101-010001" in content
    assert "Công ty TNHH Hưng Thịnh" in content
    assert "Bưu chính công ích" in content
    assert "Tổng số hồ sơ: 12; đã trả kết quả: 8; chưa trả kết quả: 4." in content
    assert "Trong đó: Trước hạn: 8." in content
    assert f"Trang 1/{len(texts)}" in texts[0]


def test_tracking_book_of_500_rows_paginates_with_headers_and_page_numbers() -> None:
    texts = pages(render_tracking_book(tracking_book(rows=500)))
    total = len(texts)
    assert total > 10
    assert f"Trang 1/{total}" in texts[0]
    for number, page in enumerate(texts, start=1):
        assert "Mã hồ sơ Thủ tục hành chính" in page
        assert f"Trang {number}/{total}" in page
    assert "Tổng số hồ sơ: 500;" in texts[-1]


def test_empty_tracking_book_says_so_and_still_numbers_its_page() -> None:
    book = TrackingBook(issuer=CENTRE, period_from=date(2025, 11, 1), period_to=date(2025, 11, 30))
    content = text_of(render_tracking_book(book))
    assert "Không có hồ sơ trong kỳ" in content
    assert "Tổng số hồ sơ: 0;" in content
    assert "Trang 1/1" in content


def test_form_codes_come_from_the_caller() -> None:
    codes = FormCodes(receipt="Mẫu số 01/TN", tracking_book="Mẫu số 06")
    assert "Mẫu số 01/TN" in text_of(render_receipt(receipt_slip(), codes=codes))
    assert "Mẫu số 06" in text_of(render_tracking_book(tracking_book(1), codes=codes))


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("receipt", receipt_slip),
        ("supplement_request", supplement_request),
        ("refusal", refusal),
        ("apology", apology),
        ("stop_notice", stop_notice),
        ("control_sheet", control_sheet),
        ("tracking_book", tracking_book),
    ],
)
def test_render_dispatches_by_form_name(name: str, build: object) -> None:
    assert callable(build)
    assert render(name, build()).startswith(b"%PDF-")


def test_render_refuses_an_unknown_form_or_the_wrong_data() -> None:
    with pytest.raises(ValueError, match="Unknown form"):
        render("invoice", refusal())
    with pytest.raises(TypeError, match="renders a ReceiptSlip"):
        render("receipt", refusal())
