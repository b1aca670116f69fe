"""The one small interface every channel implements: send one message, say how it went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """What a channel needs to send one outbox row; built from the row, never from live dossier data."""

    key: str
    kind: str
    channel: str
    recipient: str
    body: str
    subject: str = ""
    html: str = ""
    unicode: bool = False
    segments: int | None = None
    language: str = "vi"
    # Webhooks only: the endpoint's secret and the event type.
    secret: str = ""
    event_type: str = ""


class DeliveryError(Exception):
    """The channel could not hand the message over; `permanent` says whether trying again can help."""

    permanent = False


class TemporaryFailure(DeliveryError):
    """Timeouts, refused connections, 5xx and 429 answers: worth another try later."""


class PermanentFailure(DeliveryError):
    """The receiver refused the message itself (4xx, bad address): trying again cannot help."""

    permanent = True


class Sender(Protocol):
    def send(self, message: Outgoing) -> str:
        """Deliver `message` and return the provider's id for it (may be empty); raise DeliveryError."""
        ...

    def close(self) -> None: ...
