"""A small HTTP client for gateways and webhooks: kept-alive connections, a timeout, errors as DeliveryError.

The standard library's http.client is enough for JSON POSTs and keeps MotCua free of another dependency;
keeping the connection open between messages of a batch is what makes a worker fast.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from motcua.notify.channels.base import PermanentFailure, TemporaryFailure

# Answers worth another try: timeouts, "too early", rate limits and every server error.
RETRYABLE_STATUS = frozenset({408, 425, 429})

ConnectionKey = tuple[str, str, int]


class HttpClient:
    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._connections: dict[ConnectionKey, http.client.HTTPConnection] = {}

    def _connection(self, key: ConnectionKey) -> tuple[http.client.HTTPConnection, bool]:
        connection = self._connections.get(key)
        if connection is not None:
            return connection, True
        scheme, host, port = key
        factory = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        connection = factory(host, port, timeout=self.timeout)
        self._connections[key] = connection
        return connection, False

    def _drop(self, key: ConnectionKey) -> None:
        connection = self._connections.pop(key, None)
        if connection is not None:
            connection.close()

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST `body` and return (status, response body); raise TemporaryFailure if no answer came."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PermanentFailure(f"not an http(s) URL: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (parts.scheme, parts.hostname, port)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for _ in range(2):
            connection, reused = self._connection(key)
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except TimeoutError as exc:
                self._drop(key)
                raise TemporaryFailure(f"no answer from {parts.hostname} within {self.timeout:g} s") from exc
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._drop(key)
                if reused:
                    # The server closed a kept-alive connection between two messages: open a new one.
                    # Repeating the POST is safe because it carries the message's idempotency key.
                    continue
                raise TemporaryFailure(f"connection to {parts.hostname} lost: {exc}") from exc
            except (OSError, http.client.HTTPException) as exc:
                self._drop(key)
                raise TemporaryFailure(f"cannot reach {parts.hostname}: {exc}") from exc
            if response.will_close:
                self._drop(key)
            return response.status, data
        raise TemporaryFailure(f"connection to {parts.hostname} lost twice")

    def close(self) -> None:
        for key in list(self._connections):
            self._drop(key)


def check_status(status: int, data: bytes, who: str) -> None:
    """Accept 2xx; raise TemporaryFailure for 5xx/408/425/429, PermanentFailure for the other answers."""
    if 200 <= status < 300:
        return
    detail = data[:300].decode("utf-8", "replace").strip()
    message = f"{who} answered HTTP {status}" + (f": {detail}" if detail else "")
    if status >= 500 or status in RETRYABLE_STATUS:
        raise TemporaryFailure(message)
    raise PermanentFailure(message)
