"""The shipped wording of the payment messages, Vietnamese and English (merged into defaults.py).

They see the dossier's variables (kinds.COMMON) and the payment's (amount, receipt, transaction id).
"""

from __future__ import annotations

from motcua.notify.kinds import MessageKind as K

# (kind, language) → SMS body
PAYMENT_SMS: dict[tuple[str, str], str] = {
    (K.FEE_PAID, "vi"): (
        "Đã nhận {{ amount }} phí, lệ phí hồ sơ {{ code }} qua thanh toán trực tuyến. "
        "Biên lai điện tử {{ receipt }}."
    ),
    (K.FEE_PAID, "en"): (
        "We received {{ amount }} in fees for dossier {{ code }} online. E-receipt {{ receipt }}."
    ),
}

PAYMENT_EMAIL: dict[tuple[str, str], tuple[str, str]] = {
    (K.FEE_PAID, "vi"): (
        "Đã nhận phí, lệ phí hồ sơ {{ code }} – biên lai {{ receipt }}",
        "Kính gửi ông/bà {{ applicant_name }},\n\nChúng tôi đã nhận {{ amount }} phí, lệ phí của hồ sơ "
        "{{ code }} qua thanh toán trực tuyến lúc {{ at }}.\n\nBiên lai điện tử: {{ receipt }}\n"
        "Mã giao dịch: {{ transaction_id }}\nThủ tục: {{ procedure }}\nNơi tiếp nhận: {{ point }}\n\n"
        "Tra cứu hồ sơ: {{ lookup_url }}",
    ),
    (K.FEE_PAID, "en"): (
        "Fees for dossier {{ code }} received – e-receipt {{ receipt }}",
        "Dear {{ applicant_name }},\n\nWe received {{ amount }} in fees for dossier {{ code }} online at "
        "{{ at }}.\n\nE-receipt: {{ receipt }}\nTransaction: {{ transaction_id }}\n"
        "Procedure: {{ procedure }}\nReceived at: {{ point }}\n\nLook up your dossier: {{ lookup_url }}",
    ),
}
