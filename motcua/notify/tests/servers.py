"""Real local servers for the tests and the benchmark: an SMS gateway, a webhook receiver, an SMTP server.

They speak the protocols of docs/notifications.md and check them independently of MotCua's code (their
own GSM-7 table, their own HMAC), so a test passes only if what goes over the wire is right.
"""

from __future__ import annotations

import email
import hashlib
import hmac
import json
import math
import re
import socket
import threading
import time
from email import policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXT = set("^{}\\[~]|€\f")
E164 = re.compile(r"^\+\d{8,15}$")
SMS_FIELDS = {"to", "text", "brandname", "unicode", "idempotency_key"}


def gateway_segments(text: str, unicode: bool) -> int:
    """Count parts as a gateway bills them: 70/67 UTF-16 units, or 160/153 septets."""
    if unicode:
        units, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    else:
        units, single, part = sum(2 if c in GSM7_EXT else 1 for c in text), 160, 153
    return 1 if units <= single else math.ceil(units / part)


class _Server:
    """A threaded HTTP server on 127.0.0.1 with a free port, run in the background."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        # A client killed mid-request (the crash test) is expected: no traceback on stderr.
        self.httpd.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> _Server:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _JsonHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real gateway
    # Headers and body go out in two writes; without TCP_NODELAY each answer waits for a delayed ACK.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))


class SmsGatewayHandler(_JsonHandler):
    def do_POST(self) -> None:
        gateway: SmsGateway = self.server.owner  # type: ignore[attr-defined]
        raw = self.read_body()
        problem = gateway.check(self.path, dict(self.headers.items()), raw)
        if problem:
            with gateway.lock:
                gateway.errors.append(problem)
            self.reply(401 if "Authorization" in problem else 400, {"error": problem})
            return
        status, body = gateway.accept(json.loads(raw))
        self.reply(status, body)


class SmsGateway(_Server):
    """A brand-name SMS gateway: checks auth and the JSON shape, dedupes by idempotency key."""

    def __init__(
        self,
        *,
        api_key: str = "gw-secret",
        max_segments: int = 3,
        delay: float = 0.0,
        record_times: bool = False,
    ) -> None:
        super().__init__(SmsGatewayHandler)
        self.record_times = record_times
        self.times: list[float] = []  # perf_counter() of each accepted message, for the benchmark
        self.api_key = api_key
        self.max_segments = max_segments
        self.delay = delay
        self.fail_next = 0  # answer 500 to this many requests
        self.hang_next = 0  # wait `hang_seconds` before answering this many requests
        self.hang_seconds = 2.0
        self.posts = 0
        self.duplicates = 0
        self.errors: list[str] = []
        self.accepted: dict[str, dict[str, Any]] = {}

    @property
    def url(self) -> str:
        return f"{self.base_url}/sms"

    @property
    def last_at(self) -> float:
        return self.times[-1]

    def first_since(self, index: int) -> float:
        return self.times[index]

    def check(self, path: str, headers: dict[str, str], raw: bytes) -> str:
        if path != "/sms":
            return f"wrong path {path}"
        if headers.get("Authorization") != f"Bearer {self.api_key}":
            return "bad Authorization header"
        if not headers.get("Content-Type", "").startswith("application/json"):
            return "not JSON"
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            return "body is not UTF-8 JSON"
        if not isinstance(body, dict) or set(body) != SMS_FIELDS:
            return f"fields {sorted(body) if isinstance(body, dict) else body} != {sorted(SMS_FIELDS)}"
        if not E164.match(str(body["to"])) or not isinstance(body["unicode"], bool):
            return "bad to/unicode"
        if headers.get("Idempotency-Key") != body["idempotency_key"] or len(body["idempotency_key"]) < 16:
            return "idempotency key missing or different from the header"
        if not body["unicode"] and not all(c in GSM7 or c in GSM7_EXT for c in body["text"]):
            return "unicode=false but the text is not GSM-7"
        if gateway_segments(body["text"], body["unicode"]) > self.max_segments:
            return "too many segments"
        return ""

    def accept(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.posts += 1
            failing = self.fail_next > 0
            self.fail_next -= 1 if failing else 0
            hanging = not failing and self.hang_next > 0
            self.hang_next -= 1 if hanging else 0
        if failing:
            return 500, {"error": "gateway is down"}
        if hanging:
            time.sleep(self.hang_seconds)
        if self.delay:
            time.sleep(self.delay)
        key = body["idempotency_key"]
        with self.lock:
            if key in self.accepted:
                self.duplicates += 1
                return 200, {"id": self.accepted[key]["id"], "duplicate": True}
            message = {**body, "id": f"gw-{len(self.accepted) + 1}"}
            message["segments"] = gateway_segments(body["text"], body["unicode"])
            self.accepted[key] = message
            if self.record_times:
                self.times.append(time.perf_counter())
        return 200, {"id": message["id"], "segments": message["segments"]}


class WebhookHandler(_JsonHandler):
    def do_POST(self) -> None:
        receiver: WebhookReceiver = self.server.owner  # type: ignore[attr-defined]
        raw = self.read_body()
        timestamp = self.headers.get("X-MotCua-Timestamp", "")
        expected = (
            "sha256="
            + hmac.new(receiver.secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
        )
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
        if not fresh or not hmac.compare_digest(expected, self.headers.get("X-MotCua-Signature", "")):
            with receiver.lock:
                receiver.rejected += 1
            self.reply(401, {"error": "bad signature"})
            return
        key = self.headers.get("Idempotency-Key", "")
        with receiver.lock:
            receiver.posts += 1
            if receiver.fail_next > 0:
                receiver.fail_next -= 1
                self.reply(503, {"error": "busy"})
                return
            if key not in receiver.events:
                receiver.events[key] = {"event": self.headers.get("X-MotCua-Event"), **json.loads(raw)}
        self.reply(200, {"ok": True})


class WebhookReceiver(_Server):
    """An agency's software: accepts only correctly signed, fresh requests; dedupes by Idempotency-Key."""

    def __init__(self, secret: str = "agency-secret") -> None:
        super().__init__(WebhookHandler)
        self.secret = secret
        self.posts = 0
        self.rejected = 0
        self.fail_next = 0
        self.events: dict[str, dict[str, Any]] = {}

    @property
    def url(self) -> str:
        return f"{self.base_url}/hooks/motcua"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

    def __init__(self) -> None:
        self.inbox = _Inbox()
        # aiosmtpd checks readiness by connecting to its port, so it needs a real one up front.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            free = probe.getsockname()[1]
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=free)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    @property
    def port(self) -> int:
        return int(self.controller.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages

    def stop(self) -> None:
        self.controller.stop()
