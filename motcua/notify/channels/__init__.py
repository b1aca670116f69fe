"""Pick the sender for each channel from the settings; one pool per batch keeps connections open."""

from __future__ import annotations

from motcua.notify.channels.base import (
    DeliveryError,
    Outgoing,
    PermanentFailure,
    Sender,
    TemporaryFailure,
)
from motcua.notify.channels.senders import (
    ConsoleSender,
    FileSender,
    HttpSmsSender,
    HttpWebhookSender,
    SmtpSender,
)
from motcua.notify.conf import NotifyConf

__all__ = [
    "DeliveryError",
    "Outgoing",
    "PermanentFailure",
    "Sender",
    "Senders",
    "TemporaryFailure",
]


class Senders:
    def __init__(self, settings: NotifyConf) -> None:
        self.settings = settings
        self._open: dict[str, Sender] = {}

    def _make(self, channel: str) -> Sender:
        s = self.settings
        backend = {"sms": s.sms_backend, "email": s.email_backend, "webhook": s.webhook_backend}.get(channel)
        if backend == "console":
            return ConsoleSender()
        if backend == "file":
            return FileSender(s.file_path)
        if channel == "sms" and backend == "http":
            return HttpSmsSender(s)
        if channel == "email" and backend == "smtp":
            return SmtpSender(s)
        if channel == "webhook" and backend == "http":
            return HttpWebhookSender(s)
        raise PermanentFailure(f"no sender for channel {channel!r} with backend {backend!r}")

    def get(self, channel: str) -> Sender:
        if channel not in self._open:
            self._open[channel] = self._make(channel)
        return self._open[channel]

    def close(self) -> None:
        for sender in self._open.values():
            sender.close()
        self._open.clear()
