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
    (K.FEE_OVERPAID, "vi"): (
        "Hồ sơ {{ code }}: khoản {{ amount }} thanh toán trực tuyến sau khi phí, lệ phí đã nộp đủ "
        "đang được hoàn trả qua cổng thanh toán."
    ),
    (K.FEE_OVERPAID, "en"): (
        "Dossier {{ code }}: {{ amount }} paid online after its fees were settled is being refunded "
        "through the payment gateway."
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
    (K.FEE_OVERPAID, "vi"): (
        "Hồ sơ {{ code }}: hoàn trả khoản thanh toán trực tuyến nộp thừa",
        "Kính gửi ông/bà {{ applicant_name }},\n\nLúc {{ at }}, cổng thanh toán xác nhận khoản "
        "{{ amount }} nộp cho hồ sơ {{ code }} (mã giao dịch {{ transaction_id }}), sau khi phí, lệ phí "
        "của hồ sơ đã được nộp đủ. Khoản tiền này không bị thu: cơ quan đang hoàn trả về thẻ hoặc tài "
        "khoản đã thanh toán, qua cổng thanh toán.\n\nThủ tục: {{ procedure }}\nNơi tiếp nhận: {{ point }}"
        "\n\nTra cứu hồ sơ: {{ lookup_url }}",
    ),
    (K.FEE_OVERPAID, "en"): (
        "Dossier {{ code }}: an online payment made after the fees were settled is refunded",
        "Dear {{ applicant_name }},\n\nAt {{ at }} the payment gateway confirmed {{ amount }} for dossier "
        "{{ code }} (transaction {{ transaction_id }}), after the dossier's fees and charges had already "
        "been paid. This money is not kept: it is being refunded to the card or account it came from, "
        "through the payment gateway.\n\nProcedure: {{ procedure }}\nReceived at: {{ point }}\n\n"
        "Look up your dossier: {{ lookup_url }}",
    ),
}
