"""A tiny loopback forward proxy for proxy tests: plain HTTP requests and CONNECT tunnels.

Every request it receives is counted; whatever host a request names, it connects to
the one loopback ``origin`` port it was given (so test host names never need DNS).
"""

from __future__ import annotations

import http.client
import select
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class ProxyLog:
    requests: list[str] = field(default_factory=list)  # "GET http://host/path", "CONNECT h:p"


def _handler(origin_port: int, log: ProxyLog) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            log.requests.append(f"GET {self.path}")
            target = urlsplit(self.path)
            upstream = http.client.HTTPConnection("127.0.0.1", origin_port, timeout=5)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
            upstream.request("GET", target.path + (f"?{target.query}" if target.query else ""),
                             headers=headers)  # fmt: skip
            answer = upstream.getresponse()
            body = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Via", "1.1 test-proxy")
            self.end_headers()
            self.wfile.write(body)
            upstream.close()

        def do_CONNECT(self) -> None:
            log.requests.append(f"CONNECT {self.path}")
            with socket.create_connection(("127.0.0.1", origin_port), timeout=5) as upstream:
                self.send_response(200, "Connection established")
                self.end_headers()
                self._pipe(self.connection, upstream)
            self.close_connection = True

        @staticmethod
        def _pipe(a: socket.socket, b: socket.socket) -> None:
            while True:
                ready, _, _ = select.select([a, b], [], [], 5)
                if not ready:
                    return
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def forward_proxy(origin_port: int) -> Iterator[tuple[str, ProxyLog]]:
    """``(proxy URL, log)``: a proxy on a free loopback port that sends all to ``origin_port``."""
    log = ProxyLog()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(origin_port, log))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
