"""A development CA's services over HTTP: an RFC 3161 timestamp authority and a CRL, on 127.0.0.1.

For the demo province and the tests, never for production: the timestamps are made by pyHanko's own
responder (DummyTimeStamper) with a TSA certificate issued by the development CA, so they are real
RFC 3161 answers that validate under that CA, with no legal value. The tests start it in a thread and
point MOTCUA_SIGNING_TSA_URL at it, as a province points it at its intranet TSA; `manage.py signing
serve-tsa` runs it for the demo.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps import DummyTimeStamper

from motcua.signing import certificates as certs

TSA_PATH = "/tsa"
CRL_PATH = "/crl"
MAX_REQUEST = 64 * 1024  # a time-stamp request is a few hundred bytes


def responder(tsa: certs.Credential) -> DummyTimeStamper:
    """pyHanko's RFC 3161 responder, signing with the development TSA's key (RSA)."""
    key = asn1_keys.PrivateKeyInfo.load(
        tsa.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return DummyTimeStamper(
        tsa_cert=certs.asn1_certificate(tsa.certificate),
        tsa_key=key,
        certs_to_embed=[certs.asn1_certificate(c) for c in tsa.chain],  # type: ignore[arg-type]
    )


class AuthorityServer:
    """Serve POST /tsa (application/timestamp-query) and GET /crl in a background thread.

    `revoked` may change while it runs: each GET /crl signs a fresh CRL listing what it holds then.
    """

    def __init__(
        self,
        authority: certs.Credential,
        *,
        tsa: certs.Credential | None = None,
        revoked: Sequence[tuple[x509.Certificate, dt.datetime]] = (),
        port: int = 0,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.authority = authority
        self.tsa = tsa or certs.issue_timestamp_certificate(
            authority, common_name="MotCua Dev TSA – không có giá trị pháp lý", now=clock()
        )
        self.revoked = list(revoked)
        self.requests: list[str] = []
        self._clock = clock
        self._stamper = responder(self.tsa)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def tsa_url(self) -> str:
        return self.base_url + TSA_PATH

    @property
    def crl_url(self) -> str:
        return self.base_url + CRL_PATH

    def crl(self) -> bytes:
        return certs.make_crl(self.authority, revoked=self.revoked, now=self._clock())

    def timestamp(self, query: bytes) -> bytes:
        return self._stamper.request_tsa_response(tsp.TimeStampReq.load(query)).dump()

    def start(self) -> AuthorityServer:
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (the demo's command), then close the socket."""
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> AuthorityServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(f"GET {self.path}")
                if self.path != CRL_PATH:
                    self._answer(404, "text/plain", b"not found")
                    return
                self._answer(200, "application/pkix-crl", server.crl())

            def do_POST(self) -> None:
                server.requests.append(f"POST {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                wanted = self.headers.get("Content-Type") == "application/timestamp-query"
                if self.path != TSA_PATH or not wanted or not 0 < length <= MAX_REQUEST:
                    self._answer(400, "text/plain", b"expected an RFC 3161 time-stamp query")
                    return
                try:
                    answer = server.timestamp(self.rfile.read(length))
                except ValueError:
                    self._answer(400, "text/plain", b"malformed time-stamp query")
                    return
                self._answer(200, "application/timestamp-reply", answer)

            def _answer(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the requests are kept in `server.requests`; no noise on stderr

        return Handler
