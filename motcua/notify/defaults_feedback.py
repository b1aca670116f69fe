"""The shipped wording of the feedback messages, Vietnamese and English (merged into defaults.py).

They see the feedback's variables (kinds.FEEDBACK_COMMON). SMS texts fit three Unicode parts with a
typical code, date and follow-up address.
"""

from __future__ import annotations

from motcua.notify.kinds import MessageKind as K

# (kind, language) → SMS body
FEEDBACK_SMS: dict[tuple[str, str], str] = {
    (K.FEEDBACK_RECEIVED, "vi"): (
        "Phản ánh, kiến nghị {{ feedback_code }} đã được tiếp nhận, hạn trả lời {{ feedback_due_at }}. "
        "Theo dõi: {{ feedback_url }}"
    ),
    (K.FEEDBACK_ANSWERED, "vi"): (
        "{{ agency }} đã trả lời phản ánh, kiến nghị {{ feedback_code }}. Xem trả lời: {{ feedback_url }}"
    ),
    (K.FEEDBACK_DECLINED, "vi"): (
        "Phản ánh, kiến nghị {{ feedback_code }} không được xử lý. Lý do: {{ reason }}"
    ),
    (K.FEEDBACK_CORRECTED, "vi"): (
        "{{ agency }} đã đính chính trả lời phản ánh, kiến nghị {{ feedback_code }}. "
        "Xem nội dung đính chính: {{ feedback_url }}"
    ),
    (K.FEEDBACK_ASSIGNED, "vi"): (
        "MotCua: {{ agency }} nhận phản ánh, kiến nghị {{ feedback_code }}, "
        "hạn trả lời {{ feedback_due_at }}."
    ),
    (K.FEEDBACK_DUE_SOON, "vi"): (
        "MotCua: phản ánh, kiến nghị {{ feedback_code }} còn không quá {{ threshold }}, "
        "hạn trả lời {{ feedback_due_at }}."
    ),
    (K.FEEDBACK_LATE, "vi"): (
        "MotCua: phản ánh, kiến nghị {{ feedback_code }} ({{ agency }}) đã quá hạn trả lời "
        "{{ feedback_due_at }}."
    ),
    (K.FEEDBACK_RECEIVED, "en"): (
        "Your feedback {{ feedback_code }} was received; answer due by {{ feedback_due_at }}. "
        "Follow it: {{ feedback_url }}"
    ),
    (
        K.FEEDBACK_ANSWERED,
        "en",
    ): "{{ agency }} answered your feedback {{ feedback_code }}: {{ feedback_url }}",
    (K.FEEDBACK_DECLINED, "en"): "Your feedback {{ feedback_code }} was declined. Reason: {{ reason }}",
    (K.FEEDBACK_CORRECTED, "en"): (
        "{{ agency }} corrected its answer to your feedback {{ feedback_code }}: {{ feedback_url }}"
    ),
    (K.FEEDBACK_ASSIGNED, "en"): (
        "MotCua: {{ agency }} has feedback {{ feedback_code }} to answer by {{ feedback_due_at }}."
    ),
    (K.FEEDBACK_DUE_SOON, "en"): (
        "MotCua: feedback {{ feedback_code }} is due within {{ threshold }}, at {{ feedback_due_at }}."
    ),
    (K.FEEDBACK_LATE, "en"): (
        "MotCua: feedback {{ feedback_code }} ({{ agency }}) is late since {{ feedback_due_at }}."
    ),
}

_FEEDBACK_VI = (
    "\n\nMã phản ánh, kiến nghị: {{ feedback_code }}\nNội dung: {{ feedback_subject }}\n"
    "Về: {{ topic }}\nCơ quan trả lời: {{ agency }}\nTiếp nhận lúc: {{ received_at }}\n"
    "Hạn trả lời: {{ feedback_due_at }}"
)
_FEEDBACK_EN = (
    "\n\nFeedback code: {{ feedback_code }}\nSubject: {{ feedback_subject }}\n"
    "About: {{ topic }}\nAnswered by: {{ agency }}\nReceived at: {{ received_at }}\n"
    "Answer due: {{ feedback_due_at }}"
)
_FOLLOW_VI = "\n\nTheo dõi phản ánh, kiến nghị: {{ feedback_url }}"
_FOLLOW_EN = "\n\nFollow your feedback: {{ feedback_url }}"

FEEDBACK_EMAIL: dict[tuple[str, str], tuple[str, str]] = {
    (K.FEEDBACK_RECEIVED, "vi"): (
        "Phản ánh, kiến nghị {{ feedback_code }} đã được tiếp nhận",
        "Kính gửi ông/bà {{ sender_name }},\n\nPhản ánh, kiến nghị của ông/bà đã được tiếp nhận lúc "
        "{{ received_at }} và chuyển đến {{ agency }}. Ông/bà sẽ nhận được trả lời chậm nhất lúc "
        "{{ feedback_due_at }}." + _FEEDBACK_VI + _FOLLOW_VI,
    ),
    (K.FEEDBACK_ANSWERED, "vi"): (
        "Trả lời phản ánh, kiến nghị {{ feedback_code }}",
        "Kính gửi ông/bà {{ sender_name }},\n\n{{ agency }} trả lời phản ánh, kiến nghị của ông/bà như "
        "sau:\n\n{{ answer }}\n\nMời ông/bà cho biết ông/bà có hài lòng với trả lời này tại địa chỉ "
        "theo dõi bên dưới." + _FEEDBACK_VI + _FOLLOW_VI,
    ),
    (K.FEEDBACK_DECLINED, "vi"): (
        "Phản ánh, kiến nghị {{ feedback_code }} không được xử lý",
        "Kính gửi ông/bà {{ sender_name }},\n\n{{ agency }} không xử lý phản ánh, kiến nghị của ông/bà."
        "\n\nLý do: {{ reason }}" + _FEEDBACK_VI + _FOLLOW_VI,
    ),
    (K.FEEDBACK_CORRECTED, "vi"): (
        "Đính chính trả lời phản ánh, kiến nghị {{ feedback_code }}",
        "Kính gửi ông/bà {{ sender_name }},\n\n{{ agency }} đã đính chính nội dung trả lời phản ánh, kiến "
        "nghị của ông/bà đã được công khai. Nội dung trả lời sau khi đính chính như sau:\n\n{{ answer }}"
        + _FEEDBACK_VI
        + _FOLLOW_VI,
    ),
    (K.FEEDBACK_ASSIGNED, "vi"): (
        "[MotCua] Phản ánh, kiến nghị {{ feedback_code }} cần trả lời",
        "Kính gửi {{ recipient_name }},\n\n{{ agency }} có phản ánh, kiến nghị cần trả lời trước "
        "{{ feedback_due_at }}.{% if by %}\n\n{{ by }} đã chuyển đến{% if reason %}, lý do: {{ reason }}"
        "{% endif %}.{% endif %}" + _FEEDBACK_VI,
    ),
    (K.FEEDBACK_DUE_SOON, "vi"): (
        "[MotCua] Phản ánh, kiến nghị {{ feedback_code }} sắp đến hạn trả lời",
        "Kính gửi {{ recipient_name }},\n\nPhản ánh, kiến nghị {{ feedback_code }} còn không quá "
        "{{ threshold }} là đến hạn trả lời ({{ feedback_due_at }})." + _FEEDBACK_VI,
    ),
    (K.FEEDBACK_LATE, "vi"): (
        "[MotCua] Phản ánh, kiến nghị {{ feedback_code }} đã quá hạn trả lời",
        "Kính gửi {{ recipient_name }},\n\nPhản ánh, kiến nghị {{ feedback_code }} gửi {{ agency }} đã "
        "quá hạn trả lời từ {{ feedback_due_at }}. Đề nghị đồng chí chỉ đạo trả lời." + _FEEDBACK_VI,
    ),
    (K.FEEDBACK_RECEIVED, "en"): (
        "Feedback {{ feedback_code }} received",
        "Dear {{ sender_name }},\n\nYour feedback was received at {{ received_at }} and sent to "
        "{{ agency }}. You will have an answer by {{ feedback_due_at }}." + _FEEDBACK_EN + _FOLLOW_EN,
    ),
    (K.FEEDBACK_ANSWERED, "en"): (
        "Answer to your feedback {{ feedback_code }}",
        "Dear {{ sender_name }},\n\n{{ agency }} answers your feedback:\n\n{{ answer }}\n\n"
        "Please tell us whether the answer satisfies you at the address below." + _FEEDBACK_EN + _FOLLOW_EN,
    ),
    (K.FEEDBACK_DECLINED, "en"): (
        "Feedback {{ feedback_code }} declined",
        "Dear {{ sender_name }},\n\n{{ agency }} declined your feedback.\n\nReason: {{ reason }}"
        + _FEEDBACK_EN
        + _FOLLOW_EN,
    ),
    (K.FEEDBACK_CORRECTED, "en"): (
        "Correction to the answer to your feedback {{ feedback_code }}",
        "Dear {{ sender_name }},\n\n{{ agency }} corrected its published answer to your feedback. The "
        "corrected answer reads:\n\n{{ answer }}" + _FEEDBACK_EN + _FOLLOW_EN,
    ),
    (K.FEEDBACK_ASSIGNED, "en"): (
        "[MotCua] Feedback {{ feedback_code }} to answer",
        "Dear {{ recipient_name }},\n\n{{ agency }} has feedback to answer by {{ feedback_due_at }}."
        "{% if by %}\n\n{{ by }} forwarded it{% if reason %}: {{ reason }}{% endif %}.{% endif %}"
        + _FEEDBACK_EN,
    ),
    (K.FEEDBACK_DUE_SOON, "en"): (
        "[MotCua] Feedback {{ feedback_code }} due soon",
        "Dear {{ recipient_name }},\n\nFeedback {{ feedback_code }} is due within {{ threshold }} "
        "({{ feedback_due_at }})." + _FEEDBACK_EN,
    ),
    (K.FEEDBACK_LATE, "en"): (
        "[MotCua] Feedback {{ feedback_code }} is late",
        "Dear {{ recipient_name }},\n\nFeedback {{ feedback_code }} to {{ agency }} is late since "
        "{{ feedback_due_at }}. Please see that it is answered." + _FEEDBACK_EN,
    ),
}
