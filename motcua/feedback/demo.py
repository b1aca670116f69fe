"""Demo feedback for `load_demo`: one answered and published, one open, one late. Safe to repeat.

Call `load_demo_feedback(report)` after the organisation and catalog are loaded (motcua/core/demo.py). Each
item goes through the real services, dated back from now, and is recognised on a repeat by its
submission key, so a second load adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from motcua.feedback import services
from motcua.feedback.models import Feedback

if TYPE_CHECKING:
    from motcua.core.demo import DemoReport

DEMO_ITEMS: list[dict[str, object]] = [
    {
        "key": "demo:birth-bundle-question",
        "days_ago": 12,
        "data": {
            "topic": "regulation",
            "subject": "Có phải nộp bản sao giấy chứng sinh khi đăng ký khai sinh liên thông?",
            "content": (
                "Tôi là Hoàng Thị Mai, điện thoại 0912000555. Khi làm thủ tục liên thông đăng ký khai "
                "sinh, đăng ký thường trú và cấp thẻ bảo hiểm y tế cho con, tôi có phải nộp bản sao giấy "
                "chứng sinh không, hay chỉ cần bản chính?"
            ),
            "sender_name": "Hoàng Thị Mai",
            "sender_phone": "0912000555",
            "procedure_code": "2.002621",
            "agency_code": "H42.50.01",
        },
        "answer_by": "cv.tuphap.thanhsen",
        "answer": (
            "Chào chị Mai. Theo Luật Hộ tịch, người đi đăng ký khai sinh nộp bản chính giấy chứng sinh; "
            "không cần bản sao. Hồ sơ liên thông có thể nộp trực tuyến trên Cổng dịch vụ công, kết quả trả "
            "trong 03 ngày làm việc."
        ),
        "publish_by": "ct.thanhsen",
    },
    {
        "key": "demo:centre-waiting-time",
        "days_ago": 3,
        "data": {
            "topic": "conduct",
            "subject": "Thời gian chờ tại quầy đất đai quá lâu",
            "content": (
                "Sáng thứ Hai tôi phải chờ gần 2 giờ tại quầy số 3 mà không có ai hướng dẫn lấy số thứ tự."
            ),
            "sender_name": "Lê Văn Hùng",
            "sender_email": "hung.le@example.vn",
            "agency_code": "H42.02",
        },
    },
    {
        "key": "demo:land-registration-fee",
        "days_ago": 20,
        "data": {
            "topic": "regulation",
            "subject": "Lệ phí đăng ký đất đai lần đầu",
            "content": (
                "Đề nghị công khai rõ mức lệ phí đo đạc, trích lục khi đăng ký đất đai lần đầu tại Văn phòng "
                "Đăng ký đất đai."
            ),
            "sender_name": "Phan Thị Thủy",
            "sender_phone": "0983111222",
            "procedure_code": "1.013978",
        },
    },
]


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def load_demo_feedback(report: DemoReport | None = None, *, now: dt.datetime | None = None) -> list[str]:
    """Create the demo feedback that is missing; return one line per item (also added to `report`)."""
    now = now or timezone.now()
    users = get_user_model().objects
    lines = []
    for item in DEMO_ITEMS:
        key = _key(str(item["key"]))
        found = Feedback.objects.filter(submission_key=key).first()
        if found is not None:
            lines.append(f"feedback {found.code}: already there")
            continue
        received = now - dt.timedelta(days=int(item["days_ago"]))  # type: ignore[call-overload]
        data = services.FeedbackIn(**item["data"])  # type: ignore[arg-type]
        feedback = services.submit_feedback(data=data, submission_key=key, now=received)
        if "answer" in item:
            answered = received + dt.timedelta(days=5)
            feedback = services.answer_feedback(
                code=feedback.code,
                actor=users.get(username=item["answer_by"]),
                answer=str(item["answer"]),
                now=answered,
            )
            question, answer = services.publish_draft(feedback)
            leader = users.get(username=item["publish_by"])
            services.publish_feedback(
                code=feedback.code, actor=leader, question=question, answer=answer, now=answered
            )
        lines.append(f"feedback {feedback.code}: {item['data']['subject']}")  # type: ignore[index]
        if report is not None:
            report.changed = True
    if report is not None:
        report.lines += lines
    return lines
