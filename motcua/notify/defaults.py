"""The shipped wording of every message, Vietnamese and English; the administrator may override each one.

Loaded into MessageTemplate by a data migration so they can be edited in the admin; when a row is
missing (deleted, or a test database flushed) the text here is used, so a message is never lost for
want of a template. SMS texts are written to fit three Unicode parts with a typical code and dates.
"""

from __future__ import annotations

from motcua.notify.defaults_certificates import CERTIFICATE_EMAIL, CERTIFICATE_SMS
from motcua.notify.defaults_feedback import FEEDBACK_EMAIL, FEEDBACK_SMS
from motcua.notify.defaults_payments import PAYMENT_EMAIL, PAYMENT_SMS
from motcua.notify.kinds import MessageKind as K

# (kind, language) → SMS body
SMS: dict[tuple[str, str], str] = {
    (
        K.SUBMITTED,
        "vi",
    ): "Hồ sơ {{ code }} đã được nộp trực tuyến, đang chờ cán bộ kiểm tra. {{ lookup_hint }}",
    (K.RECEIVED, "vi"): (
        "Hồ sơ {{ code }} đã được tiếp nhận lúc {{ received_at }}. Hẹn trả kết quả: {{ due_at }}. "
        "{{ lookup_hint }}"
    ),
    (K.SUPPLEMENT_NEEDED, "vi"): (
        "Hồ sơ {{ code }} cần bổ sung giấy tờ{% if deadline %}, hạn {{ deadline }}{% endif %}. "
        "Vui lòng xem thư điện tử hoặc liên hệ nơi nộp hồ sơ{% if point_phone %} "
        "({{ point_phone }}){% endif %}."
    ),
    (K.SUPPLEMENT_RECEIVED, "vi"): "Hồ sơ {{ code }} đã được bổ sung. Hẹn trả kết quả mới: {{ due_at }}.",
    (K.APOLOGY, "vi"): (
        "{{ apologising_agency }} xin lỗi vì hồ sơ {{ code }} chưa có kết quả đúng hẹn "
        "{{ previous_due_at }}. "
        "Hẹn trả kết quả mới: {{ new_due_at }}."
    ),
    (K.RESULT_READY, "vi"): (
        "Hồ sơ {{ code }} đã có kết quả (nhận {{ delivery }}). "
        "Khi nhận tại quầy, vui lòng mang theo phiếu tiếp nhận."
    ),
    (K.RETURNED, "vi"): (
        "Hồ sơ {{ code }} đã được trả kết quả {{ method }}"
        "{% if tracking_number %}, mã bưu gửi {{ tracking_number }}{% endif %}. "
        "Mời ông/bà đánh giá mức độ hài lòng: {{ lookup_url }}"
    ),
    (K.REFUSED, "vi"): "Hồ sơ {{ code }} không được giải quyết. Lý do: {{ reason }}",
    (K.STOPPED, "vi"): "Hồ sơ {{ code }} đã dừng xử lý theo đề nghị của ông/bà lúc {{ at }}.",
    (K.ABANDONED, "vi"): "Hồ sơ {{ code }} đã đóng do không được bổ sung đúng hạn.",
    (
        K.LOOKUP_REPLY,
        "vi",
    ): "Hồ sơ {{ code }}: {{ status }}. Hẹn trả kết quả: {{ due_at|default:'chưa có' }}.",
    (
        K.STEP_ASSIGNED,
        "vi",
    ): "MotCua: {{ by }} giao xử lý hồ sơ {{ code }}, bước “{{ step }}”, hạn {{ step_due_at }}.",
    (K.STEP_RETURNED, "vi"): "MotCua: hồ sơ {{ code }} được trả lại bước “{{ step }}”. Lý do: {{ reason }}",
    (K.STEP_DUE_SOON, "vi"): (
        "MotCua: hồ sơ {{ code }}, bước “{{ step }}” còn không quá {{ threshold }}, hạn {{ step_due_at }}."
    ),
    (K.STEP_LATE, "vi"): (
        "MotCua: hồ sơ {{ code }}, bước “{{ step }}” ({{ step_agency }}) đã quá hạn {{ step_due_at }}."
    ),
    (K.APOLOGY_DUE, "vi"): (
        "MotCua: hồ sơ {{ code }} còn không quá {{ threshold }} đến hẹn {{ due_at }}. Nếu có thể trễ hẹn, "
        "cần văn bản xin lỗi chậm nhất 1 ngày làm việc trước hẹn."
    ),
    (K.DOSSIER_OVERDUE, "vi"): "MotCua: hồ sơ {{ code }} đã quá hẹn trả kết quả {{ due_at }}.",
    (K.SUBMITTED, "en"): "Dossier {{ code }} was filed online and awaits checking. {{ lookup_hint }}",
    (K.RECEIVED, "en"): (
        "Dossier {{ code }} was received at {{ received_at }}. Result expected: {{ due_at }}. "
        "{{ lookup_hint }}"
    ),
    (K.SUPPLEMENT_NEEDED, "en"): (
        "Dossier {{ code }} needs more documents{% if deadline %} by {{ deadline }}{% endif %}. "
        "See your e-mail or call the office{% if point_phone %} ({{ point_phone }}){% endif %}."
    ),
    (K.SUPPLEMENT_RECEIVED, "en"): "Dossier {{ code }} is complete. New date for the result: {{ due_at }}.",
    (K.APOLOGY, "en"): (
        "{{ apologising_agency }} apologises: dossier {{ code }} missed {{ previous_due_at }}. "
        "New date for the result: {{ new_due_at }}."
    ),
    (K.RESULT_READY, "en"): "The result of dossier {{ code }} is ready ({{ delivery }}). Bring your receipt.",
    (K.RETURNED, "en"): (
        "The result of dossier {{ code }} was delivered {{ method }}"
        "{% if tracking_number %}, tracking number {{ tracking_number }}{% endif %}. "
        "Please rate our service: {{ lookup_url }}"
    ),
    (K.REFUSED, "en"): "Dossier {{ code }} was refused. Reason: {{ reason }}",
    (K.STOPPED, "en"): "Dossier {{ code }} was stopped at your request at {{ at }}.",
    (K.ABANDONED, "en"): "Dossier {{ code }} was closed: the supplement did not arrive in time.",
    (
        K.LOOKUP_REPLY,
        "en",
    ): "Dossier {{ code }}: {{ status }}. Result expected: {{ due_at|default:'not set' }}.",
    (
        K.STEP_ASSIGNED,
        "en",
    ): "MotCua: {{ by }} assigned you dossier {{ code }}, step “{{ step }}”, due {{ step_due_at }}.",
    (
        K.STEP_RETURNED,
        "en",
    ): "MotCua: dossier {{ code }}, step “{{ step }}” came back to you. Reason: {{ reason }}",
    (K.STEP_DUE_SOON, "en"): (
        "MotCua: dossier {{ code }}, step “{{ step }}” is due within {{ threshold }}, at {{ step_due_at }}."
    ),
    (
        K.STEP_LATE,
        "en",
    ): "MotCua: dossier {{ code }}, step “{{ step }}” ({{ step_agency }}) is late since {{ step_due_at }}.",
    (K.APOLOGY_DUE, "en"): (
        "MotCua: dossier {{ code }} is due within {{ threshold }} ({{ due_at }}). If it may be late, an "
        "apology "
        "is due at least 1 working day before."
    ),
    (K.DOSSIER_OVERDUE, "en"): "MotCua: dossier {{ code }} is overdue since {{ due_at }}.",
    (K.RATING_UNSATISFIED, "vi"): (
        "MotCua: người nộp hồ sơ {{ code }} đánh giá “{{ level }}” ({{ total }} điểm)."
    ),
    (
        K.RATING_UNSATISFIED,
        "en",
    ): "MotCua: the applicant of dossier {{ code }} rated it “{{ level }}” ({{ total }}).",
}

_DETAILS_VI = (
    "\n\nMã hồ sơ: {{ code }}\nThủ tục: {{ procedure }}\nTình trạng: {{ status }}\n"
    "Hẹn trả kết quả: {{ due_at|default:'chưa có' }}\nNơi tiếp nhận: {{ point }}"
    "{% if point_phone %} – điện thoại {{ point_phone }}{% endif %}\n\nTra cứu hồ sơ: {{ lookup_url }}"
)
_DETAILS_EN = (
    "\n\nDossier code: {{ code }}\nProcedure: {{ procedure }}\nStatus: {{ status }}\n"
    "Result expected: {{ due_at|default:'not set' }}\nReceived at: {{ point }}"
    "{% if point_phone %} – phone {{ point_phone }}{% endif %}\n\nLook up your dossier: {{ lookup_url }}"
)
_STAFF_VI = (
    "\n\nMã hồ sơ: {{ code }}\nThủ tục: {{ procedure }}\nBước: {{ step }} ({{ step_agency }})\n"
    "Hạn của bước: {{ step_due_at }}\nNgười xử lý: {{ holder }}\nHẹn trả kết quả hồ sơ: {{ due_at }}"
)
_STAFF_EN = (
    "\n\nDossier code: {{ code }}\nProcedure: {{ procedure }}\nStep: {{ step }} ({{ step_agency }})\n"
    "Step due: {{ step_due_at }}\nHeld by: {{ holder }}\nDossier due: {{ due_at }}"
)
_DOSSIER_STAFF_VI = (
    "\n\nMã hồ sơ: {{ code }}\nThủ tục: {{ procedure }}\nHẹn trả kết quả: {{ due_at }}\nCơ quan giải "
    "quyết: {{ agency }}"
)
_DOSSIER_STAFF_EN = (
    "\n\nDossier code: {{ code }}\nProcedure: {{ procedure }}\nDue: {{ due_at }}\nHandling agency: "
    "{{ agency }}"
)

# (kind, language) → (subject, body) of the e-mail; the body is plain text, the HTML part is built from it.
EMAIL: dict[tuple[str, str], tuple[str, str]] = {
    (K.SUBMITTED, "vi"): (
        "Hồ sơ {{ code }} đã được nộp trực tuyến",
        "Kính gửi ông/bà {{ applicant_name }},\n\nHồ sơ của ông/bà đã được nộp trực tuyến lúc {{ at }} và "
        "đang chờ cán bộ một cửa kiểm tra." + _DETAILS_VI,
    ),
    (K.RECEIVED, "vi"): (
        "Hồ sơ {{ code }} đã được tiếp nhận – hẹn trả {{ due_at }}",
        "Kính gửi ông/bà {{ applicant_name }},\n\n{{ point }} đã tiếp nhận hồ sơ của ông/bà lúc "
        "{{ received_at }}. "
        "Kết quả được hẹn trả lúc {{ due_at }}." + _DETAILS_VI,
    ),
    (K.SUPPLEMENT_NEEDED, "vi"): (
        "Hồ sơ {{ code }} cần bổ sung",
        "Kính gửi ông/bà {{ applicant_name }},\n\nHồ sơ của ông/bà cần bổ sung, hoàn thiện"
        "{% if deadline %} trước {{ deadline }}{% endif %}."
        "{% if items %}\n\nGiấy tờ cần bổ sung:{% for item in items %}\n- {{ item }}{% endfor %}{% endif %}"
        "{% if contact %}\n\nNgười hướng dẫn: {{ contact }}{% endif %}" + _DETAILS_VI,
    ),
    (K.SUPPLEMENT_RECEIVED, "vi"): (
        "Hồ sơ {{ code }} đã được bổ sung – hẹn trả mới {{ due_at }}",
        "Kính gửi ông/bà {{ applicant_name }},\n\nHồ sơ của ông/bà đã được bổ sung lúc {{ at }}. "
        "Thời hạn giải quyết được tính lại; kết quả được hẹn trả lúc {{ due_at }}." + _DETAILS_VI,
    ),
    (K.APOLOGY, "vi"): (
        "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ code }}",
        "Kính gửi ông/bà {{ applicant_name }},\n\n{{ apologising_agency }} thành thật xin lỗi ông/bà vì "
        "hồ sơ "
        "chưa có kết quả đúng hẹn {{ previous_due_at }}.\n\nLý do: {{ reason }}\n\n"
        "Ngày hẹn trả kết quả mới: {{ new_due_at }}." + _DETAILS_VI,
    ),
    (K.RESULT_READY, "vi"): (
        "Hồ sơ {{ code }} đã có kết quả",
        "Kính gửi ông/bà {{ applicant_name }},\n\nHồ sơ của ông/bà đã có kết quả, trả {{ delivery }}. "
        "Khi nhận tại quầy, vui lòng mang theo phiếu tiếp nhận và giấy tờ tùy thân." + _DETAILS_VI,
    ),
    (K.RETURNED, "vi"): (
        "Hồ sơ {{ code }} đã được trả kết quả",
        "Kính gửi ông/bà {{ applicant_name }},\n\nKết quả hồ sơ của ông/bà đã được trả {{ method }} lúc "
        "{{ at }}"
        "{% if tracking_number %}, mã bưu gửi {{ tracking_number }}{% endif %}.\n\n"
        "Mời ông/bà đánh giá mức độ hài lòng tại địa chỉ tra cứu bên dưới." + _DETAILS_VI,
    ),
    (K.REFUSED, "vi"): (
        "Hồ sơ {{ code }} không được giải quyết",
        "Kính gửi ông/bà {{ applicant_name }},\n\nHồ sơ của ông/bà không được giải quyết.\n\nLý do: "
        "{{ reason }}" + _DETAILS_VI,
    ),
    (K.STOPPED, "vi"): (
        "Hồ sơ {{ code }} đã dừng xử lý",
        "Kính gửi ông/bà {{ applicant_name }},\n\nTheo đề nghị của ông/bà, hồ sơ đã dừng xử lý lúc {{ at }}."
        "{% if reason %}\n\nGhi chú: {{ reason }}{% endif %}" + _DETAILS_VI,
    ),
    (K.ABANDONED, "vi"): (
        "Hồ sơ {{ code }} đã đóng",
        "Kính gửi ông/bà {{ applicant_name }},\n\nHồ sơ đã đóng lúc {{ at }}: {{ reason }}" + _DETAILS_VI,
    ),
    (K.LOOKUP_REPLY, "vi"): ("Tình trạng hồ sơ {{ code }}", "Hồ sơ {{ code }}: {{ status }}." + _DETAILS_VI),
    (K.STEP_ASSIGNED, "vi"): (
        "[MotCua] Giao xử lý hồ sơ {{ code }}",
        "Kính gửi {{ recipient_name }},\n\n{{ by }} đã giao đồng chí xử lý bước “{{ step }}” của hồ sơ "
        "{{ code }}." + _STAFF_VI,
    ),
    (K.STEP_RETURNED, "vi"): (
        "[MotCua] Hồ sơ {{ code }} được trả lại",
        "Kính gửi {{ recipient_name }},\n\n{{ by }} đã trả lại bước “{{ step }}” của hồ sơ {{ code }} để "
        "xử lý lại."
        "\n\nLý do: {{ reason }}" + _STAFF_VI,
    ),
    (K.STEP_DUE_SOON, "vi"): (
        "[MotCua] Hồ sơ {{ code }} sắp đến hạn bước “{{ step }}”",
        "Kính gửi {{ recipient_name }},\n\nBước “{{ step }}” của hồ sơ {{ code }} còn không quá "
        "{{ threshold }} "
        "là đến hạn ({{ step_due_at }})." + _STAFF_VI,
    ),
    (K.STEP_LATE, "vi"): (
        "[MotCua] Hồ sơ {{ code }} quá hạn bước “{{ step }}”",
        "Kính gửi {{ recipient_name }},\n\nBước “{{ step }}” của hồ sơ {{ code }} do {{ step_agency }} xử lý "
        "đã quá hạn từ {{ step_due_at }}. Đề nghị đồng chí chỉ đạo xử lý." + _STAFF_VI,
    ),
    (K.APOLOGY_DUE, "vi"): (
        "[MotCua] Hồ sơ {{ code }} có thể trễ hẹn – cần văn bản xin lỗi",
        "Kính gửi {{ recipient_name }},\n\nHồ sơ {{ code }} còn không quá {{ threshold }} là đến hẹn trả "
        "kết quả "
        "({{ due_at }}). Nếu hồ sơ có thể trễ hẹn, cơ quan để trễ phải gửi văn bản xin lỗi, nêu lý do và "
        "hẹn lại "
        "ngày trả kết quả chậm nhất 01 ngày làm việc trước ngày hẹn (chỉ được hẹn lại một lần)."
        + _DOSSIER_STAFF_VI,
    ),
    (K.DOSSIER_OVERDUE, "vi"): (
        "[MotCua] Hồ sơ {{ code }} đã quá hẹn",
        "Kính gửi {{ recipient_name }},\n\nHồ sơ {{ code }} đã quá hẹn trả kết quả ({{ due_at }}) mà "
        "chưa có kết quả." + _DOSSIER_STAFF_VI,
    ),
    (K.SUBMITTED, "en"): (
        "Dossier {{ code }} filed online",
        "Dear {{ applicant_name }},\n\nYour dossier was filed online at {{ at }} and awaits checking by "
        "the desk." + _DETAILS_EN,
    ),
    (K.RECEIVED, "en"): (
        "Dossier {{ code }} received – result expected {{ due_at }}",
        "Dear {{ applicant_name }},\n\n{{ point }} received your dossier at {{ received_at }}. "
        "The result is expected at {{ due_at }}." + _DETAILS_EN,
    ),
    (K.SUPPLEMENT_NEEDED, "en"): (
        "Dossier {{ code }} needs more documents",
        "Dear {{ applicant_name }},\n\nYour dossier needs to be completed{% if deadline %} by "
        "{{ deadline }}{% endif %}."
        "{% if items %}\n\nDocuments needed:{% for item in items %}\n- {{ item }}{% endfor %}{% endif %}"
        "{% if contact %}\n\nContact: {{ contact }}{% endif %}" + _DETAILS_EN,
    ),
    (K.SUPPLEMENT_RECEIVED, "en"): (
        "Dossier {{ code }} completed – new date {{ due_at }}",
        "Dear {{ applicant_name }},\n\nYour supplement was received at {{ at }}. The time limit starts "
        "again; "
        "the result is expected at {{ due_at }}." + _DETAILS_EN,
    ),
    (K.APOLOGY, "en"): (
        "Apology and new date for dossier {{ code }}",
        "Dear {{ applicant_name }},\n\n{{ apologising_agency }} sincerely apologises: your dossier was not "
        "resolved by {{ previous_due_at }}.\n\nReason: {{ reason }}\n\nNew date for the result: "
        "{{ new_due_at }}." + _DETAILS_EN,
    ),
    (K.RESULT_READY, "en"): (
        "The result of dossier {{ code }} is ready",
        "Dear {{ applicant_name }},\n\nThe result of your dossier is ready and will be delivered "
        "{{ delivery }}. "
        "At the counter, please bring your receipt and an ID document." + _DETAILS_EN,
    ),
    (K.RETURNED, "en"): (
        "The result of dossier {{ code }} was delivered",
        "Dear {{ applicant_name }},\n\nThe result of your dossier was delivered {{ method }} at {{ at }}"
        "{% if tracking_number %}, tracking number {{ tracking_number }}{% endif %}.\n\n"
        "Please rate our service at the look-up address below." + _DETAILS_EN,
    ),
    (K.REFUSED, "en"): (
        "Dossier {{ code }} was refused",
        "Dear {{ applicant_name }},\n\nYour dossier was refused.\n\nReason: {{ reason }}" + _DETAILS_EN,
    ),
    (K.STOPPED, "en"): (
        "Dossier {{ code }} was stopped",
        "Dear {{ applicant_name }},\n\nAt your request, handling of your dossier stopped at {{ at }}."
        "{% if reason %}\n\nNote: {{ reason }}{% endif %}" + _DETAILS_EN,
    ),
    (K.ABANDONED, "en"): (
        "Dossier {{ code }} was closed",
        "Dear {{ applicant_name }},\n\nYour dossier was closed at {{ at }}: {{ reason }}" + _DETAILS_EN,
    ),
    (K.LOOKUP_REPLY, "en"): (
        "Status of dossier {{ code }}",
        "Dossier {{ code }}: {{ status }}." + _DETAILS_EN,
    ),
    (K.STEP_ASSIGNED, "en"): (
        "[MotCua] Dossier {{ code }} assigned to you",
        "Dear {{ recipient_name }},\n\n{{ by }} assigned you step “{{ step }}” of dossier {{ code }}."
        + _STAFF_EN,
    ),
    (K.STEP_RETURNED, "en"): (
        "[MotCua] Dossier {{ code }} returned to you",
        "Dear {{ recipient_name }},\n\n{{ by }} returned step “{{ step }}” of dossier {{ code }} to be "
        "done again."
        "\n\nReason: {{ reason }}" + _STAFF_EN,
    ),
    (K.STEP_DUE_SOON, "en"): (
        "[MotCua] Dossier {{ code }}: step “{{ step }}” due soon",
        "Dear {{ recipient_name }},\n\nStep “{{ step }}” of dossier {{ code }} is due within {{ threshold }} "
        "({{ step_due_at }})." + _STAFF_EN,
    ),
    (K.STEP_LATE, "en"): (
        "[MotCua] Dossier {{ code }}: step “{{ step }}” is late",
        "Dear {{ recipient_name }},\n\nStep “{{ step }}” of dossier {{ code }}, held by "
        "{{ step_agency }}, is late "
        "since {{ step_due_at }}. Please see that it is handled." + _STAFF_EN,
    ),
    (K.APOLOGY_DUE, "en"): (
        "[MotCua] Dossier {{ code }} may be late – an apology is due",
        "Dear {{ recipient_name }},\n\nDossier {{ code }} is due within {{ threshold }} ({{ due_at }}). "
        "If it may "
        "be late, the agency at fault must send an apology with the reason and a new date at least one "
        "working "
        "day before the due date (the date may be moved only once)." + _DOSSIER_STAFF_EN,
    ),
    (K.DOSSIER_OVERDUE, "en"): (
        "[MotCua] Dossier {{ code }} is overdue",
        "Dear {{ recipient_name }},\n\nDossier {{ code }} passed its due date ({{ due_at }}) without a "
        "result." + _DOSSIER_STAFF_EN,
    ),
    (K.RATING_UNSATISFIED, "vi"): (
        "[MotCua] Hồ sơ {{ code }} bị đánh giá “{{ level }}”",
        "Kính gửi {{ recipient_name }},\n\nNgười nộp hồ sơ {{ code }} đã đánh giá “{{ level }}”, "
        "tổng điểm {{ total }}.{% if comment %}\n\nÝ kiến: {{ comment }}{% endif %}" + _DOSSIER_STAFF_VI,
    ),
    (K.RATING_UNSATISFIED, "en"): (
        "[MotCua] Dossier {{ code }} rated “{{ level }}”",
        "Dear {{ recipient_name }},\n\nThe applicant of dossier {{ code }} rated it “{{ level }}”, "
        "{{ total }} points.{% if comment %}\n\nComment: {{ comment }}{% endif %}" + _DOSSIER_STAFF_EN,
    ),
}


# The feedback and rating messages (notify/defaults_feedback.py), in the same two tables.
SMS.update(FEEDBACK_SMS)
EMAIL.update(FEEDBACK_EMAIL)
SMS.update(PAYMENT_SMS)
EMAIL.update(PAYMENT_EMAIL)
SMS.update(CERTIFICATE_SMS)
EMAIL.update(CERTIFICATE_EMAIL)


def default_template(kind: str, channel: str, language: str) -> tuple[str, str] | None:
    """Return the shipped (subject, body) of a kind, or None if it has none on that channel."""
    if channel == "sms":
        body = SMS.get((kind, language)) or SMS.get((kind, "vi"))
        return ("", body) if body is not None else None
    if channel == "email":
        return EMAIL.get((kind, language)) or EMAIL.get((kind, "vi"))
    return None
