"""What MotCua tells people, as data: message kinds, who receives them, the variables templates may use."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    # To the applicant.
    SUBMITTED = "submitted", _("Online dossier submitted")
    RECEIVED = "received", _("Dossier received: code and appointment")
    SUPPLEMENT_NEEDED = "supplement_needed", _("Supplement needed")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Supplement received: new appointment")
    APOLOGY = "apology", _("Apology and new appointment")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Dossier refused")
    STOPPED = "stopped", _("Handling stopped")
    ABANDONED = "abandoned", _("Dossier closed: supplement not received")
    LOOKUP_REPLY = "lookup_reply", _("Answer to an SMS look-up")
    SIGN_IN_CODE = "sign_in_code", _("Portal sign-in code")
    FEEDBACK_RECEIVED = "feedback_received", _("Feedback received: tracking code and due date")
    FEEDBACK_ANSWERED = "feedback_answered", _("Feedback answered")
    FEEDBACK_DECLINED = "feedback_declined", _("Feedback declined")
    FEEDBACK_CORRECTED = "feedback_corrected", _("Published answer to a feedback corrected")
    FEE_PAID = "fee_paid", _("Fees paid online: e-receipt")
    FEE_OVERPAID = "fee_overpaid", _("Paid online after the fees were settled: refunded")
    # To staff.
    STEP_ASSIGNED = "step_assigned", _("A step assigned to you")
    STEP_RETURNED = "step_returned", _("A step returned to you")
    STEP_DUE_SOON = "step_due_soon", _("A step is due soon")
    STEP_LATE = "step_late", _("A step is late (escalation)")
    APOLOGY_DUE = "apology_due", _("An apology is due")
    DOSSIER_OVERDUE = "dossier_overdue", _("A dossier is overdue")
    FEEDBACK_ASSIGNED = "feedback_assigned", _("Feedback for your agency to answer")
    FEEDBACK_DUE_SOON = "feedback_due_soon", _("A feedback is due soon")
    FEEDBACK_LATE = "feedback_late", _("A feedback is late")
    RATING_UNSATISFIED = "rating_unsatisfied", _("An applicant is not satisfied")
    CERTIFICATE_EXPIRING = "certificate_expiring", _("A signing certificate expires soon")
    CERTIFICATE_EXPIRED = "certificate_expired", _("A signing certificate has expired")
    CERTIFICATE_REVOKED = "certificate_revoked", _("A signing certificate was revoked")
    # To agencies' software.
    WEBHOOK = "webhook", _("Dossier event (webhook)")


CITIZEN_KINDS = frozenset(
    {
        MessageKind.SUBMITTED,
        MessageKind.RECEIVED,
        MessageKind.SUPPLEMENT_NEEDED,
        MessageKind.SUPPLEMENT_RECEIVED,
        MessageKind.APOLOGY,
        MessageKind.RESULT_READY,
        MessageKind.RETURNED,
        MessageKind.REFUSED,
        MessageKind.STOPPED,
        MessageKind.ABANDONED,
        MessageKind.LOOKUP_REPLY,
        MessageKind.FEEDBACK_RECEIVED,
        MessageKind.FEEDBACK_ANSWERED,
        MessageKind.FEEDBACK_DECLINED,
        MessageKind.FEEDBACK_CORRECTED,
        MessageKind.FEE_PAID,
        MessageKind.FEE_OVERPAID,
    }
)
# Sent as written by the caller (no template): a sign-in code is not a dossier's news.
DIRECT_KINDS = frozenset({MessageKind.SIGN_IN_CODE})
STAFF_KINDS = frozenset(
    {
        MessageKind.STEP_ASSIGNED,
        MessageKind.STEP_RETURNED,
        MessageKind.STEP_DUE_SOON,
        MessageKind.STEP_LATE,
        MessageKind.APOLOGY_DUE,
        MessageKind.DOSSIER_OVERDUE,
        MessageKind.FEEDBACK_ASSIGNED,
        MessageKind.FEEDBACK_DUE_SOON,
        MessageKind.FEEDBACK_LATE,
        MessageKind.RATING_UNSATISFIED,
        MessageKind.CERTIFICATE_EXPIRING,
        MessageKind.CERTIFICATE_EXPIRED,
        MessageKind.CERTIFICATE_REVOKED,
    }
)
# About a signing certificate (the certificate watch), not a dossier: they see CERTIFICATE_COMMON.
CERTIFICATE_KINDS = frozenset(
    {MessageKind.CERTIFICATE_EXPIRING, MessageKind.CERTIFICATE_EXPIRED, MessageKind.CERTIFICATE_REVOKED}
)
# About a feedback, not a dossier: their templates see the feedback's variables, not the dossier's.
FEEDBACK_KINDS = frozenset(
    {
        MessageKind.FEEDBACK_RECEIVED,
        MessageKind.FEEDBACK_ANSWERED,
        MessageKind.FEEDBACK_DECLINED,
        MessageKind.FEEDBACK_CORRECTED,
        MessageKind.FEEDBACK_ASSIGNED,
        MessageKind.FEEDBACK_DUE_SOON,
        MessageKind.FEEDBACK_LATE,
    }
)

# name → (meaning, sample value for the admin's preview). Every value is a plain string (or a list of
# strings), already formatted in the recipient's language: templates cannot reach the database.
COMMON: dict[str, tuple[str, str | list[str]]] = {
    "code": ("dossier code", "H42.50.01-251103-010001"),
    "procedure": ("procedure name", "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT"),
    "status": ("status of the dossier, in words", "Đang giải quyết"),
    "applicant_name": ("applicant's name as filed", "Trần Văn Bình"),
    "point": ("receiving service point", "Trung tâm Phục vụ hành chính công phường Thành Sen"),
    "point_phone": ("phone of the receiving point", "0239 3898 555"),
    "agency": ("handling agency", "UBND phường Thành Sen"),
    "due_at": ("appointment for the result (hh:mm dd/mm/yyyy)", "09:00 06/11/2025"),
    "lookup_url": ("public look-up address with the secret", "https://dichvucong.example.vn/tra-cuu/…"),
    "lookup_hint": ("how to look up by SMS, empty if not offered", "Tra cứu: soạn MC <mã> gửi 8077"),
    "at": ("moment of the action (hh:mm dd/mm/yyyy)", "09:00 03/11/2025"),
}
STAFF_COMMON: dict[str, tuple[str, str | list[str]]] = {
    "recipient_name": ("name of the staff member written to", "Lương Thị Xuân"),
    "step": ("name of the step", "Thẩm định hồ sơ"),
    "step_agency": ("agency holding the step", "UBND phường Thành Sen"),
    "step_due_at": ("due moment of the step", "14:00 04/11/2025"),
    "holder": ("who holds the step, or “chưa phân công”", "Lương Thị Xuân"),
}

FEEDBACK_COMMON: dict[str, tuple[str, str | list[str]]] = {
    "feedback_code": ("tracking code of the feedback", "PAKN-251103-0001"),
    "feedback_subject": ("subject the sender wrote", "Thời gian giải quyết đăng ký khai sinh"),
    "topic": ("what it is about, in words", "quy định của thủ tục hành chính"),
    "sender_name": ("sender's name", "Trần Văn Bình"),
    "agency": ("agency answering it", "UBND phường Thành Sen"),
    "received_at": ("when it was received (hh:mm dd/mm/yyyy)", "09:00 03/11/2025"),
    "feedback_due_at": ("when the answer is due (hh:mm dd/mm/yyyy)", "09:00 17/11/2025"),
    "feedback_url": (
        "address where the sender follows it, with its secret",
        "https://dichvucong.example.vn/phan-anh-kien-nghi/theo-doi/…",
    ),
    "at": ("moment of the action (hh:mm dd/mm/yyyy)", "09:00 03/11/2025"),
}

CERTIFICATE_COMMON: dict[str, tuple[str, str | list[str]]] = {
    "recipient_name": ("name of the staff member written to", "Tạ Văn Nam"),
    "certificate_kind": ("agency seal or personal certificate, in words", "chứng thư số cơ quan"),
    "holder": ("whose certificate: the agency or the officer", "UBND phường Thành Sen"),
    "agency": ("agency of the seal, or of the officer", "UBND phường Thành Sen"),
    "serial": ("serial number of the certificate (hex)", "54:2a:0f:91:7c:3e:11:d2"),
    "issuer": ("certificate authority that issued it", "CA chuyên dùng Chính phủ"),
    "valid_to": ("when it expires (hh:mm dd/mm/yyyy)", "23:59 30/11/2025"),
    "admin_url": (
        "the certificate's page in the administration",
        "https://motcua.example.vn/admin/signing/certificate/12/change/",
    ),
    "at": ("moment of the check (hh:mm dd/mm/yyyy)", "02:15 03/11/2025"),
}

EXTRA: dict[str, dict[str, tuple[str, str | list[str]]]] = {
    MessageKind.SUBMITTED: {},
    MessageKind.RECEIVED: {"received_at": ("receipt moment", "09:00 03/11/2025")},
    MessageKind.SUPPLEMENT_NEEDED: {
        "items": ("documents needed with reasons (a list; may be empty)", ["Giấy tờ chỗ ở: bản sao mờ"]),
        "deadline": ("last day to supplement", "17:00 24/11/2025"),
        "contact": ("who asked", "Kiều Văn Phúc – Công an phường Thành Sen"),
    },
    MessageKind.SUPPLEMENT_RECEIVED: {},
    MessageKind.APOLOGY: {
        "reason": ("reason for the delay", "Cần xác minh thêm thông tin cư trú."),
        "previous_due_at": ("the appointment missed", "09:00 06/11/2025"),
        "new_due_at": ("the new appointment", "09:00 10/11/2025"),
        "apologising_agency": ("the agency that apologises", "Công an phường Thành Sen"),
    },
    MessageKind.RESULT_READY: {"delivery": ("how the result is delivered", "tại quầy")},
    MessageKind.RETURNED: {
        "method": ("how it was returned", "qua bưu chính"),
        "tracking_number": ("postal tracking number, if any", "EP123456789VN"),
    },
    MessageKind.REFUSED: {"reason": ("reasons for the refusal", "Không thuộc thẩm quyền giải quyết.")},
    MessageKind.STOPPED: {"reason": ("reason given", "Theo đề nghị của người nộp hồ sơ.")},
    MessageKind.ABANDONED: {"reason": ("why it was closed", "Quá 15 ngày làm việc không bổ sung hồ sơ.")},
    MessageKind.LOOKUP_REPLY: {},
    MessageKind.FEE_PAID: {
        "amount": ("amount paid, with its unit", "150.000 đồng"),
        "receipt": ("e-receipt symbol and number", "BL-26E 0000001"),
        "transaction_id": ("the payment gateway's transaction id", "GW20251103090512"),
    },
    MessageKind.FEE_OVERPAID: {
        "amount": ("amount paid twice, with its unit", "150.000 đồng"),
        "at": ("when the gateway confirmed it", "09:05 03/11/2025"),
        "transaction_id": ("the payment gateway's transaction id", "GW20251103090512"),
    },
    MessageKind.STEP_ASSIGNED: {**STAFF_COMMON, "by": ("who assigned it", "Tạ Văn Nam")},
    MessageKind.STEP_RETURNED: {
        **STAFF_COMMON,
        "by": ("who returned it", "Tạ Văn Nam"),
        "reason": ("why", "Thiếu chữ ký của người khai."),
    },
    MessageKind.STEP_DUE_SOON: {
        **STAFF_COMMON,
        "threshold": ("time left at most, in words", "2 giờ làm việc"),
    },
    MessageKind.STEP_LATE: {**STAFF_COMMON},
    MessageKind.APOLOGY_DUE: {
        "threshold": ("time left at most, in words", "2 ngày làm việc"),
        "recipient_name": ("name of the staff member written to", "Tạ Văn Nam"),
    },
    MessageKind.DOSSIER_OVERDUE: {
        "recipient_name": ("name of the staff member written to", "Tạ Văn Nam"),
    },
    MessageKind.WEBHOOK: {},
    MessageKind.FEEDBACK_RECEIVED: {},
    MessageKind.FEEDBACK_ANSWERED: {
        "answer": ("the agency's answer", "Thời hạn giải quyết là 03 ngày làm việc.")
    },
    MessageKind.FEEDBACK_DECLINED: {
        "reason": ("why it was declined", "Nội dung không thuộc thẩm quyền giải quyết.")
    },
    MessageKind.FEEDBACK_CORRECTED: {
        "answer": (
            "the corrected answer, as published",
            "Thời hạn giải quyết là 03 ngày làm việc theo Quyết định số 222/QĐ-UBND.",
        )
    },
    MessageKind.FEEDBACK_ASSIGNED: {
        "recipient_name": ("name of the staff member written to", "Tạ Văn Nam"),
        "by": ("who forwarded it, or empty for a new one", "Lương Thị Xuân"),
        "reason": ("why it was forwarded, or empty", "Thuộc thẩm quyền của Công an phường."),
    },
    MessageKind.FEEDBACK_DUE_SOON: {
        "recipient_name": ("name of the staff member written to", "Tạ Văn Nam"),
        "threshold": ("time left at most, in words", "2 ngày làm việc"),
    },
    MessageKind.FEEDBACK_LATE: {"recipient_name": ("name of the staff member written to", "Tạ Văn Nam")},
    MessageKind.RATING_UNSATISFIED: {
        "recipient_name": ("name of the staff member written to", "Bùi Văn Sơn"),
        "level": ("the level chosen, in words", "Không hài lòng"),
        "total": ("points of the evaluation, e.g. 9/18", "9/18"),
        "comment": ("the applicant's comment, if any", "Phải đi lại nhiều lần."),
    },
    MessageKind.CERTIFICATE_EXPIRING: {
        "threshold": ("the warning threshold crossed, in words", "7 ngày làm việc"),
        "days_left": ("whole days left before it expires", "6"),
    },
    MessageKind.CERTIFICATE_EXPIRED: {},
    MessageKind.CERTIFICATE_REVOKED: {
        "revoked_at": ("when the CA revoked it (dd/mm/yyyy), if it says", "01/11/2025"),
    },
}


def variables_for(kind: str) -> dict[str, tuple[str, str | list[str]]]:
    """Return every variable a template of `kind` may use, with its meaning and a sample."""
    base = FEEDBACK_COMMON if kind in FEEDBACK_KINDS else COMMON
    if kind in CERTIFICATE_KINDS:
        base = CERTIFICATE_COMMON
    return {**base, **EXTRA.get(kind, {})}


# Vietnamese / English words for statuses and delivery methods, written for short messages.
STATUS_TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "submitted": "Đã nộp trực tuyến, chờ kiểm tra",
        "needs_completion": "Cần bổ sung trước khi tiếp nhận",
        "received": "Đã tiếp nhận",
        "in_progress": "Đang giải quyết",
        "waiting_supplement": "Chờ bổ sung hồ sơ",
        "result_ready": "Đã có kết quả",
        "returned": "Đã trả kết quả",
        "refused": "Bị từ chối",
        "stopped": "Đã dừng xử lý",
        "withdrawn": "Đã rút hồ sơ",
        "abandoned": "Đã đóng do không bổ sung",
    },
    "en": {
        "submitted": "Submitted online, awaiting check",
        "needs_completion": "Completion needed before acceptance",
        "received": "Received",
        "in_progress": "In processing",
        "waiting_supplement": "Waiting for your supplement",
        "result_ready": "Result ready",
        "returned": "Result returned",
        "refused": "Refused",
        "stopped": "Stopped",
        "withdrawn": "Withdrawn",
        "abandoned": "Closed: supplement not received",
    },
}
TOPIC_TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "regulation": "quy định của thủ tục hành chính",
        "handling": "việc giải quyết hồ sơ",
        "conduct": "thái độ, hành vi của cán bộ",
        "other": "nội dung khác",
    },
    "en": {
        "regulation": "the rules of a procedure",
        "handling": "the handling of a dossier",
        "conduct": "the conduct of staff",
        "other": "something else",
    },
}
DELIVERY_TEXT: dict[str, dict[str, str]] = {
    "vi": {"counter": "tại quầy", "post": "qua bưu chính", "online": "trực tuyến"},
    "en": {"counter": "at the counter", "post": "by post", "online": "online"},
}
