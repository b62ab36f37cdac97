"""A local HTTP receiver for webhook and Pushgateway tests (loopback, stops with the block).

It records every request and answers each with the next status of ``statuses``
(then 200), after ``delay_s``: up, failing, or slow, as a test needs it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@contextmanager
def http_receiver(
    statuses: list[int] | None = None, delay_s: float = 0.0
) -> Iterator[tuple[str, list[Received]]]:
    """Yields the receiver's base URL and the list its requests are appended to."""
    received: list[Received] = []
    answers = list(statuses or [])

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            received.append(Received(self.command, self.path, body))
            time.sleep(delay_s)
            self.send_response(answers.pop(0) if answers else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PUT = _record

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
