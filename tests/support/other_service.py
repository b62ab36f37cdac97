"""A backend that speaks the runbook's contract differently from the reference service.

Spring-Boot-style health (``{"status": "UP", "components": {...}}``), a plain-text
liveness answer, readiness as a status string, and its own data shape: the suite
must verify it with an environment file alone, without code changes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

SERIES = {"UNRATE": [["2025-06-01", 4.1], ["2025-07-01", 4.2]]}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: object) -> None:
        self._send(
            status, json.dumps(value).encode(), "application/vnd.spring-boot.actuator.v3+json"
        )

    def do_HEAD(self) -> None:
        self.do_GET()

    token: ClassVar[str | None] = None  # set: every request needs "Authorization: Bearer <token>"
    echo_auth: ClassVar[bool] = False  # the data answer echoes the Authorization header (a leak)
    seen: ClassVar[list[dict[str, str]]] = []  # per server: other_service() sets its own

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.seen.append(dict(self.headers.items()))
        if self.token and self.headers.get("Authorization") != f"Bearer {self.token}":
            self._send(401, b'{"error":"unauthorized"}', "application/json")
        elif url.path == "/api/health":
            self._json(
                200,
                {"status": "UP", "components": {"db": {"status": "UP"}, "fred": {"status": "UP"}}},
            )
        elif url.path == "/api/ready":
            self._json(200, {"status": "UP"})
        elif url.path == "/api/live":
            self._send(200, b"OK", "text/plain")
        elif url.path == "/api/fred-data":
            series = parse_qs(url.query).get("series", [""])[0]
            if series in SERIES:
                answer: dict[str, object] = {"id": series, "points": SERIES[series]}
                if self.echo_auth:
                    answer["debug"] = {"authorization": self.headers.get("Authorization")}
                self._send(200, json.dumps(answer).encode(), "application/json")
            else:
                self._send(404, b'{"error":"unknown series"}', "application/json")
        else:
            self._send(404, b'{"error":"not found"}', "application/json")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def other_service(
    *,
    token: str | None = None,
    echo_auth: bool = False,
    seen: list[dict[str, str]] | None = None,
) -> Iterator[str]:
    """The service on a free loopback port; ``token`` puts it behind bearer auth,
    ``seen`` collects the request headers it received."""
    attributes = {"token": token, "echo_auth": echo_auth, "seen": [] if seen is None else seen}
    handler = type("Handler", (_Handler,), attributes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
