"""The channels: SMS via an HTTP gateway, e-mail over SMTP, signed webhooks; console and file for make run."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import smtplib
import time
from email.utils import parseaddr
from pathlib import Path

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from motcua.notify.channels.base import Outgoing, PermanentFailure, TemporaryFailure
from motcua.notify.channels.http import HttpClient, check_status
from motcua.notify.conf import NotifyConf
from motcua.notify.signing import signature

console_log = logging.getLogger("motcua.notify.console")


class HttpSmsSender:
    """POST {to, text, brandname, unicode, idempotency_key} as JSON with `Authorization: Bearer <key>`."""

    def __init__(self, settings: NotifyConf) -> None:
        self.settings = settings
        self.client = HttpClient(settings.http_timeout)

    def send(self, message: Outgoing) -> str:
        if not self.settings.sms_url:
            raise TemporaryFailure("NOTIFY_SMS_URL is not set")
        payload = {
            "to": message.recipient,
            "text": message.body,
            "brandname": self.settings.sms_brandname,
            "unicode": message.unicode,
            "idempotency_key": message.key,
        }
        headers = {
            "Authorization": f"Bearer {self.settings.sms_api_key}",
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Idempotency-Key": message.key,
        }
        body = json.dumps(payload, ensure_ascii=False).encode()
        status, data = self.client.post(self.settings.sms_url, body, headers)
        check_status(status, data, "SMS gateway")
        try:
            answer = json.loads(data or b"{}")
        except ValueError:
            return ""
        return str(answer.get("id") or answer.get("message_id") or "") if isinstance(answer, dict) else ""

    def close(self) -> None:
        self.client.close()


class SmtpSender:
    """Send multipart e-mail (text + HTML) over one SMTP connection kept open for the batch."""

    def __init__(self, settings: NotifyConf) -> None:
        self.settings = settings
        self.connection: BaseEmailBackend | None = None
        domain = parseaddr(settings.email_from)[1].rpartition("@")[2]
        self.domain = domain or "motcua.localhost"

    def _open(self) -> BaseEmailBackend:
        if self.connection is None:
            s = self.settings
            self.connection = get_connection(
                "django.core.mail.backends.smtp.EmailBackend",
                host=s.email_host,
                port=s.email_port,
                username=s.email_user or None,
                password=s.email_password or None,
                use_tls=s.email_use_tls,
                use_ssl=s.email_use_ssl,
                timeout=s.http_timeout,
                fail_silently=False,
            )
            self.connection.open()
        return self.connection

    def send(self, message: Outgoing) -> str:
        # The same key gives the same Message-ID, so a copy resent after a crash is recognisably the same
        # (128 bits of the key are plenty, and keep the header on one line).
        message_id = f"<{message.key[:32]}@{self.domain}>"
        try:
            mail = EmailMultiAlternatives(
                subject=message.subject,
                body=message.body,
                from_email=self.settings.email_from,
                to=[message.recipient],
                headers={"Message-ID": message_id, "X-MotCua-Idempotency-Key": message.key},
                connection=self._open(),
            )
            if message.html:
                mail.attach_alternative(message.html, "text/html")
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentFailure(f"mail server refused {message.recipient}: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            text = (
                exc.smtp_error.decode("utf-8", "replace")
                if isinstance(exc.smtp_error, bytes)
                else exc.smtp_error
            )
            failure = PermanentFailure if exc.smtp_code >= 500 else TemporaryFailure
            raise failure(f"mail server answered {exc.smtp_code}: {text}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TemporaryFailure(f"cannot reach the mail server: {exc}") from exc
        return message_id

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


class HttpWebhookSender:
    """POST the stored JSON body, signed: X-MotCua-Timestamp, X-MotCua-Signature, Idempotency-Key."""

    def __init__(self, settings: NotifyConf) -> None:
        self.client = HttpClient(settings.http_timeout)

    def send(self, message: Outgoing) -> str:
        if not message.secret:
            raise PermanentFailure("the webhook endpoint was removed")
        body = message.body.encode()
        # Signed at each attempt: a retry carries a fresh timestamp, so receivers may keep a short window.
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "MotCua-Webhook/1",
            "X-MotCua-Event": message.event_type,
            "X-MotCua-Timestamp": timestamp,
            "X-MotCua-Signature": signature(message.secret, timestamp, body),
            "Idempotency-Key": message.key,
        }
        status, data = self.client.post(message.recipient, body, headers)
        check_status(status, data, "webhook receiver")
        return f"HTTP {status}"

    def close(self) -> None:
        self.client.close()


def _describe(message: Outgoing) -> str:
    if message.channel == "sms":
        encoding = "Unicode" if message.unicode else "GSM-7"
        head = f"SMS → {message.recipient} [{message.kind}, {message.segments} part(s), {encoding}]"
        return f"{head}\n{message.body}"
    if message.channel == "email":
        return f"E-MAIL → {message.recipient} [{message.kind}]\nSubject: {message.subject}\n\n{message.body}"
    return f"WEBHOOK → {message.recipient} [{message.event_type}]\n{message.body}"


class ConsoleSender:
    """Write each message, readably, to the log (the terminal of `make run`)."""

    def send(self, message: Outgoing) -> str:
        console_log.info("\n%s\n%s\n%s", "─" * 72, _describe(message), "─" * 72)
        return f"console:{message.key[:12]}"

    def close(self) -> None:
        pass


class FileSender:
    """Append each message to a file (var/outbox.log): one write per message, so workers never interleave."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, message: Outgoing) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        block = f"{'=' * 72}\nkey: {message.key}\n{_describe(message)}\n".encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        try:
            os.write(fd, block)
        finally:
            os.close(fd)
        return f"file:{message.key[:12]}"

    def close(self) -> None:
        pass
