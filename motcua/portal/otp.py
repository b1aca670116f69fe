"""One-time sign-in codes: six digits, ten minutes, five tries, throttled resends, stored as keyed hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core.errors import DomainError, ValidationFailed
from motcua.portal.accounts import is_email
from motcua.portal.models import OneTimeCode

logger = logging.getLogger("motcua.portal.otp")

CODE_LENGTH = 6
CODE_TTL = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_AFTER = dt.timedelta(seconds=60)
# Sending costs money and can harass a stranger's phone: a few codes per number and per requester.
MAX_CODES_PER_IDENTIFIER_PER_HOUR = 5
MAX_CODES_PER_IP_PER_HOUR = 20


class Throttled(DomainError):
    code = "otp_throttled"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message, fields={"retry_after": retry_after})
        self.retry_after = retry_after


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    TOO_MANY = "too_many"
    MISSING = "missing"


@dataclass(frozen=True)
class Check:
    outcome: Outcome
    tries_left: int = 0


def hash_code(identifier: str, code: str) -> str:
    """Key the hash with SECRET_KEY: a leaked table does not give up the million possible codes."""
    return salted_hmac("motcua.portal.otp", f"{identifier}:{code}", algorithm="sha256").hexdigest()


def hash_ip(ip: str) -> str:
    return hashlib.sha256(f"otp:{ip}".encode()).hexdigest()[:32]


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


def _check_throttle(identifier: str, ip_hash: str, now: dt.datetime) -> None:
    hour_ago = now - dt.timedelta(hours=1)
    recent = list(
        OneTimeCode.objects.filter(identifier=identifier, created_at__gt=hour_ago)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    if recent and now - recent[0] < RESEND_AFTER:
        wait = int((recent[0] + RESEND_AFTER - now).total_seconds()) + 1
        raise Throttled(
            _("Please wait %(seconds)s seconds before asking for a new code.") % {"seconds": wait},
            retry_after=wait,
        )
    if len(recent) >= MAX_CODES_PER_IDENTIFIER_PER_HOUR:
        wait = int((recent[-1] + dt.timedelta(hours=1) - now).total_seconds()) + 1
        raise Throttled(
            _("Too many codes were sent to this address; please try again in a few minutes."),
            retry_after=wait,
        )
    if ip_hash and (
        OneTimeCode.objects.filter(ip_hash=ip_hash, created_at__gt=hour_ago).count()
        >= MAX_CODES_PER_IP_PER_HOUR
    ):
        raise Throttled(_("Too many codes were requested; please try again later."), retry_after=3600)


def deliver(identifier: str, code: str) -> None:
    """Send the code by e-mail, or by SMS through the notifications app when it offers direct messages."""
    text = _("Your MotCua verification code is %(code)s. It is valid for 10 minutes. Do not share it.") % {
        "code": code
    }
    if is_email(identifier):
        try:
            send_mail(_("MotCua verification code"), text, None, [identifier])
        except OSError:
            logger.exception("could not e-mail a sign-in code")
            raise ValidationFailed(
                _("The e-mail could not be sent; please try again later."), code="otp_not_sent"
            ) from None
        return
    send_sms = _sms_sender()
    if send_sms is not None:
        send_sms(phone=identifier, text=text)
        return
    # No SMS gateway yet: the code goes to the console log so that development and demos still work.
    logger.info("SMS to %s: %s", identifier, text)


def _sms_sender() -> Callable[..., object] | None:
    try:
        module = importlib.import_module("motcua.notify.services")
    except ImportError:
        return None
    return getattr(module, "send_direct_sms", None)


def request_code(*, identifier: str, ip: str = "", now: dt.datetime | None = None) -> None:
    """Create and send a new code for a normalised identifier; older codes stop working."""
    now = now or timezone.now()
    ip_hash = hash_ip(ip) if ip else ""
    code = new_code()
    with transaction.atomic():
        _check_throttle(identifier, ip_hash, now)
        OneTimeCode.objects.filter(identifier=identifier, used_at__isnull=True).update(used_at=now)
        row = OneTimeCode.objects.create(
            identifier=identifier,
            code_hash=hash_code(identifier, code),
            created_at=now,
            expires_at=now + CODE_TTL,
            ip_hash=ip_hash,
        )
    try:
        deliver(identifier, code)
    except Exception:
        row.delete()  # never sent: it must not count against the resend limits
        raise


@transaction.atomic
def check_code(*, identifier: str, code: str, now: dt.datetime | None = None) -> Check:
    """Check a typed code against the latest one; a wrong try is counted and kept even when it fails."""
    now = now or timezone.now()
    latest = (
        OneTimeCode.objects.select_for_update()
        .filter(identifier=identifier, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if latest is None:
        return Check(Outcome.MISSING)
    if latest.attempts >= MAX_ATTEMPTS:
        return Check(Outcome.TOO_MANY)
    if now >= latest.expires_at:
        return Check(Outcome.EXPIRED)
    typed = "".join(ch for ch in code if ch.isdigit())
    if constant_time_compare(latest.code_hash, hash_code(identifier, typed)):
        latest.used_at = now
        latest.save(update_fields=["used_at"])
        return Check(Outcome.OK)
    latest.attempts += 1
    latest.save(update_fields=["attempts"])
    left = MAX_ATTEMPTS - latest.attempts
    return Check(Outcome.TOO_MANY if left <= 0 else Outcome.WRONG, tries_left=left)


# Marked here, translated when raised: the language is the request's, not the one at import.
MESSAGES = {
    Outcome.WRONG: gettext_noop("The verification code is wrong. You have %(left)s tries left."),
    Outcome.EXPIRED: gettext_noop(
        "The verification code has expired. Press “Send the code again” for a new one."
    ),
    Outcome.TOO_MANY: gettext_noop(
        "You entered a wrong code more than 5 times. Press “Send the code again” for a new one."
    ),
    Outcome.MISSING: gettext_noop("There is no valid verification code. Press “Send the code again”."),
}


def verify_code(*, identifier: str, code: str, now: dt.datetime | None = None) -> None:
    """Accept a code or raise ValidationFailed with what to do next (the failed try stays counted)."""
    result = check_code(identifier=identifier, code=code, now=now)
    if result.outcome != Outcome.OK:
        raise ValidationFailed(
            _(MESSAGES[result.outcome]) % {"left": result.tries_left},
            code=f"otp_{result.outcome}",
            fields={"code": result.outcome},
        )


def purge_codes(*, older_than: dt.timedelta = dt.timedelta(days=1), now: dt.datetime | None = None) -> int:
    """Delete codes past any use; they only count resends within the last hour."""
    cutoff = (now or timezone.now()) - older_than
    deleted, _by_model = OneTimeCode.objects.filter(created_at__lt=cutoff).delete()
    return deleted
