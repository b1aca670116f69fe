"""The shipped wording of the certificate watch's messages, Vietnamese and English (merged into defaults.py).

They see the certificate's variables (kinds.CERTIFICATE_COMMON), not a dossier's. The SMS says what and
when; the e-mail adds what stops working and what to do.
"""

from __future__ import annotations

from motcua.notify.kinds import MessageKind as K

_CERTIFICATE_VI = (
    "\n\nChứng thư số: {{ certificate_kind }}\nCủa: {{ holder }}\nCơ quan: {{ agency }}\n"
    "Số hiệu (serial): {{ serial }}\nTổ chức cấp: {{ issuer }}\nHết hạn: {{ valid_to }}\n\n"
    "Xem trong trang quản trị: {{ admin_url }}"
)
_CERTIFICATE_EN = (
    "\n\nCertificate: {{ certificate_kind }}\nOf: {{ holder }}\nAgency: {{ agency }}\n"
    "Serial number: {{ serial }}\nIssued by: {{ issuer }}\nExpires: {{ valid_to }}\n\n"
    "See it in the administration: {{ admin_url }}"
)
_STOPS_VI = (
    "MotCua không ký số được bằng chứng thư số này: kết quả giải quyết và biên lai điện tử không được "
    "ký bằng chữ ký số của cơ quan, bản chụp và bản sao điện tử không được cán bộ ký; hồ sơ trả kết quả "
    "trực tuyến không bàn giao được vì kết quả điện tử phải có chữ ký số hợp lệ."
)
_STOPS_EN = (
    "MotCua cannot sign with this certificate: results and e-receipts are not sealed with the agency's "
    "seal, scans and electronic copies are not signed by the officer, and online hand-over stops, as an "
    "electronic result must carry a valid signature."
)
_RENEW_VI = (
    "Đề nghị liên hệ tổ chức cung cấp dịch vụ chứng thực chữ ký số ({{ issuer }}) để gia hạn hoặc cấp "
    "chứng thư số mới, rồi nhập chứng thư số mới trong trang quản trị MotCua (Chữ ký số › Chứng thư số ký › "
    "Nhập chứng thư số .p12, hoặc Đăng ký khóa trong token hoặc HSM), chọn thay thế chứng thư số đang dùng."
)
_RENEW_EN = (
    "Please ask the certificate authority ({{ issuer }}) to renew it or issue a new one, then import the "
    "new certificate in the MotCua administration (Digital signatures › Signing certificates › Import a "
    ".p12, or Register a key in a token or HSM), replacing the one in use."
)

# (kind, language) → SMS body
CERTIFICATE_SMS: dict[tuple[str, str], str] = {
    (K.CERTIFICATE_EXPIRING, "vi"): (
        "MotCua: {{ certificate_kind }} của {{ holder }} hết hạn lúc {{ valid_to }}. Sau đó không ký số "
        "được kết quả, biên lai. Đề nghị gia hạn với CA và nhập lại trong trang quản trị."
    ),
    (K.CERTIFICATE_EXPIRED, "vi"): (
        "MotCua: {{ certificate_kind }} của {{ holder }} đã hết hạn lúc {{ valid_to }}: không ký số được "
        "kết quả, biên lai. Đề nghị nhập chứng thư số mới trong trang quản trị."
    ),
    (K.CERTIFICATE_REVOKED, "vi"): (
        "MotCua: {{ certificate_kind }} của {{ holder }} đã bị CA thu hồi"
        "{% if revoked_at %} ngày {{ revoked_at }}{% endif %}: không ký số được. "
        "Đề nghị nhập chứng thư số mới trong trang quản trị."
    ),
    (K.CERTIFICATE_EXPIRING, "en"): (
        "MotCua: the {{ certificate_kind }} of {{ holder }} expires at {{ valid_to }}; then results and "
        "receipts cannot be signed. Renew it with the CA and import it in the admin."
    ),
    (K.CERTIFICATE_EXPIRED, "en"): (
        "MotCua: the {{ certificate_kind }} of {{ holder }} expired at {{ valid_to }}: results and "
        "receipts cannot be signed. Import a new certificate in the admin."
    ),
    (K.CERTIFICATE_REVOKED, "en"): (
        "MotCua: the CA revoked the {{ certificate_kind }} of {{ holder }}"
        "{% if revoked_at %} on {{ revoked_at }}{% endif %}: it cannot sign. "
        "Import a new certificate in the admin."
    ),
}

# (kind, language) → (subject, body) of the e-mail
CERTIFICATE_EMAIL: dict[tuple[str, str], tuple[str, str]] = {
    (K.CERTIFICATE_EXPIRING, "vi"): (
        "[MotCua] Chứng thư số của {{ holder }} sắp hết hạn ({{ valid_to }})",
        "Kính gửi {{ recipient_name }},\n\n{{ certificate_kind|capfirst }} của {{ holder }} hết hạn lúc "
        "{{ valid_to }} (còn {{ days_left }} ngày, ngưỡng cảnh báo {{ threshold }}).\n\nKhi hết hạn, "
        + _STOPS_VI
        + "\n\n"
        + _RENEW_VI
        + _CERTIFICATE_VI,
    ),
    (K.CERTIFICATE_EXPIRED, "vi"): (
        "[MotCua] Chứng thư số của {{ holder }} đã hết hạn",
        "Kính gửi {{ recipient_name }},\n\n{{ certificate_kind|capfirst }} của {{ holder }} đã hết hạn lúc "
        "{{ valid_to }}. Từ nay " + _STOPS_VI + "\n\n" + _RENEW_VI + _CERTIFICATE_VI,
    ),
    (K.CERTIFICATE_REVOKED, "vi"): (
        "[MotCua] Chứng thư số của {{ holder }} đã bị thu hồi",
        "Kính gửi {{ recipient_name }},\n\nTổ chức cấp ({{ issuer }}) đã thu hồi {{ certificate_kind }} "
        "của {{ holder }}{% if revoked_at %} từ ngày {{ revoked_at }}{% endif %} (MotCua kiểm tra lúc "
        "{{ at }}). Chứng thư số bị thu hồi không còn giá trị: " + _STOPS_VI + "\n\nTrạng thái các chữ ký "
        "đã ký trước đây không bị thay đổi; việc xử lý các kết quả đã ký bằng chứng thư số này do cơ quan có "
        "thẩm quyền quyết định.\n\nĐề nghị liên hệ tổ chức cấp để biết lý do và được cấp chứng thư số mới, "
        "nhập chứng thư số mới trong trang quản trị MotCua và ngừng sử dụng chứng thư số này."
        + _CERTIFICATE_VI,
    ),
    (K.CERTIFICATE_EXPIRING, "en"): (
        "[MotCua] The certificate of {{ holder }} expires soon ({{ valid_to }})",
        "Dear {{ recipient_name }},\n\nThe {{ certificate_kind }} of {{ holder }} expires at {{ valid_to }} "
        "({{ days_left }} days left, warning threshold {{ threshold }}).\n\nOnce it expires, "
        + _STOPS_EN
        + "\n\n"
        + _RENEW_EN
        + _CERTIFICATE_EN,
    ),
    (K.CERTIFICATE_EXPIRED, "en"): (
        "[MotCua] The certificate of {{ holder }} has expired",
        "Dear {{ recipient_name }},\n\nThe {{ certificate_kind }} of {{ holder }} expired at {{ valid_to }}. "
        "From now on " + _STOPS_EN + "\n\n" + _RENEW_EN + _CERTIFICATE_EN,
    ),
    (K.CERTIFICATE_REVOKED, "en"): (
        "[MotCua] The certificate of {{ holder }} was revoked",
        "Dear {{ recipient_name }},\n\nThe certificate authority ({{ issuer }}) revoked the "
        "{{ certificate_kind }} of {{ holder }}{% if revoked_at %} on {{ revoked_at }}{% endif %} (checked "
        "by MotCua at {{ at }}). A revoked certificate is no longer valid: " + _STOPS_EN + "\n\nThe status "
        "of signatures made before is not changed: what a revocation means for results already signed "
        "with it is for the competent authority to decide.\n\nPlease ask the certificate authority why, "
        "have a new certificate issued, import it in the MotCua administration and stop using this one."
        + _CERTIFICATE_EN,
    ),
}
