"""Sign-up and sign-in with a one-time code: sent, wrong, expired, too many tries, throttled, accepted."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.notify.models import OutboxMessage
from motcua.portal import otp
from motcua.portal.accounts import normalise_identifier
from motcua.portal.identity import ChallengeProvider, OtpProvider, providers
from motcua.portal.models import CitizenIdentity, OneTimeCode

EMAIL = "lan.nguyen@example.vn"


def _sent_code() -> str:
    match = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _start(client, identifier: str = EMAIL, **extra: str):
    return client.post(
        "/tai-khoan/dang-ky/", {"identifier": identifier, "full_name": "Nguyễn Thị Lan", **extra}
    )


def test_signing_up_sends_a_code_by_e_mail_and_stores_only_its_hash(client, db):
    response = _start(client)

    assert response.status_code == 302 and response["Location"] == "/tai-khoan/xac-thuc/"
    assert mail.outbox[-1].to == [EMAIL]
    code = _sent_code()
    stored = OneTimeCode.objects.get(identifier=EMAIL)
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.expires_at - stored.created_at == dt.timedelta(minutes=10)


def test_the_right_code_creates_the_account_and_signs_in(client, db):
    _start(client, next="/ca-nhan/ho-so/")

    response = client.post("/tai-khoan/xac-thuc/", {"code": _sent_code()})

    user = User.objects.get(username=EMAIL)
    assert response.status_code == 302 and response["Location"] == "/ca-nhan/ho-so/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.full_name == "Nguyễn Thị Lan" and user.email == EMAIL and not user.has_usable_password()
    assert CitizenIdentity.objects.filter(user=user, provider="otp", subject=EMAIL).exists()


def test_a_wrong_code_says_how_many_tries_are_left(client, db):
    _start(client)

    response = client.post("/tai-khoan/xac-thuc/", {"code": _wrong(_sent_code())})

    assert response.status_code == 200
    assert "Bạn còn 4 lần thử." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert OneTimeCode.objects.get(identifier=EMAIL).attempts == 1


def test_an_expired_code_is_refused(client, db):
    _start(client)
    code = _sent_code()
    past = timezone.now() - dt.timedelta(minutes=11)
    OneTimeCode.objects.filter(identifier=EMAIL).update(created_at=past, expires_at=past + otp.CODE_TTL)

    response = client.post("/tai-khoan/xac-thuc/", {"code": code})

    assert "Mã xác thực đã hết hạn." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_after_five_wrong_tries_even_the_right_code_is_refused(client, db):
    _start(client)
    code = _sent_code()
    for _ in range(otp.MAX_ATTEMPTS):
        client.post("/tai-khoan/xac-thuc/", {"code": _wrong(code)})

    response = client.post("/tai-khoan/xac-thuc/", {"code": code})

    assert "Bạn đã nhập sai quá 5 lần." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_resend_is_throttled_then_replaces_the_old_code(client, db):
    _start(client)
    first = _sent_code()

    too_soon = client.post("/tai-khoan/gui-lai-ma/", follow=True)
    OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    client.post("/tai-khoan/gui-lai-ma/")
    second = _sent_code()

    assert "Vui lòng đợi" in too_soon.content.decode()
    assert len(mail.outbox) == 2
    if first != second:
        assert "không đúng" in client.post("/tai-khoan/xac-thuc/", {"code": first}).content.decode()
    assert client.post("/tai-khoan/xac-thuc/", {"code": second}).status_code == 302


def test_codes_per_address_and_hour_are_capped(db):
    start = timezone.now()
    for n in range(otp.MAX_CODES_PER_IDENTIFIER_PER_HOUR):
        otp.request_code(identifier=EMAIL, now=start + dt.timedelta(minutes=2 * n))

    with pytest.raises(otp.Throttled) as refused:
        otp.request_code(identifier=EMAIL, now=start + dt.timedelta(minutes=11))

    assert refused.value.retry_after > 0


def _sms_code(phone: str) -> str:
    body = OutboxMessage.objects.filter(channel="sms", recipient=phone, kind="sign_in_code").latest("id").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_a_phone_code_goes_out_as_an_sms_through_the_outbox(client, db):
    response = client.post("/tai-khoan/dang-nhap/", {"identifier": "+84 912 345 678"})

    assert response.status_code == 302
    code = _sms_code("+84912345678")
    assert client.post("/tai-khoan/xac-thuc/", {"code": code}).status_code == 302
    assert User.objects.get(username="0912345678").phone == "0912345678"


def test_an_account_made_elsewhere_is_found_by_its_phone(client, citizen):
    citizen.username = "congdan"
    citizen.phone = "0987000111"
    citizen.save()
    client.post("/tai-khoan/dang-nhap/", {"identifier": "0987 000 111"})

    client.post("/tai-khoan/xac-thuc/", {"code": _sms_code("+84987000111")})

    assert int(client.session["_auth_user_id"]) == citizen.pk


def test_a_one_time_code_never_opens_a_staff_account(client, people):
    officer = people["motcua.thanhsen"]
    officer.email = "motcua.thanhsen@example.vn"
    officer.save()
    client.post("/tai-khoan/dang-nhap/", {"identifier": officer.email})

    response = client.post("/tai-khoan/xac-thuc/", {"code": _sent_code()})

    assert "_auth_user_id" not in client.session
    assert "Tài khoản này không đăng nhập bằng mã xác thực." in response.content.decode()


def test_a_bad_identifier_is_refused_and_kept_on_the_form(client, db):
    response = client.post("/tai-khoan/dang-nhap/", {"identifier": "12ab"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="12ab"' in html
    assert "Hãy nhập số điện thoại" in html
    assert not mail.outbox


def test_the_verify_page_needs_a_pending_sign_in(client, db):
    assert client.get("/tai-khoan/xac-thuc/")["Location"] == "/tai-khoan/dang-nhap/"


def test_an_outside_next_address_is_ignored(client, db):
    _start(client, next="https://evil.example/")

    response = client.post("/tai-khoan/xac-thuc/", {"code": _sent_code()})

    assert response["Location"] == "/ca-nhan/ho-so/"


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("0912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("02393855555", "02393855555"),
        (" Lan.Nguyen@Example.VN ", "lan.nguyen@example.vn"),
    ],
)
def test_phone_numbers_and_e_mails_are_normalised(typed, normalised):
    assert normalise_identifier(typed) == normalised


@pytest.mark.parametrize("typed", ["12345", "0912", "lan@", "abc"])
def test_other_identifiers_are_refused(typed):
    with pytest.raises(ValidationFailed):
        normalise_identifier(typed)


def test_the_one_time_code_is_the_configured_challenge_provider(settings):
    settings.MOTCUA = {**settings.MOTCUA, "IDENTITY_PROVIDERS": ["motcua.portal.identity.OtpProvider"]}

    found = providers()

    assert list(found) == ["otp"]
    assert isinstance(found["otp"], ChallengeProvider) and isinstance(found["otp"], OtpProvider)


def test_a_code_that_could_not_be_e_mailed_is_not_counted(client, db, settings):
    settings.EMAIL_BACKEND = "motcua.portal.tests.test_account.BrokenMail"

    response = _start(client)

    assert response.status_code == 200
    assert "Chưa gửi được thư điện tử" in response.content.decode()
    assert not OneTimeCode.objects.exists()


class BrokenMail:
    """An e-mail backend whose SMTP server is down."""

    def __init__(self, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionRefusedError("no SMTP server")
