"""Tiny misbehaving TCP servers for probe-client tests (loopback only, stop themselves)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def free_port() -> int:
    """A loopback port with nothing listening (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def tcp_server(behaviour: str, lifetime_s: float = 20.0) -> Iterator[str]:
    """``hang``: accept and never answer; ``garbage``: answer non-HTTP bytes."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if behaviour == "garbage":
                conn.sendall(b"\x00\x17\xfe\xffSSH-2.0-not-http\r\n\x01\x02" * 4)
                conn.close()
            else:
                held.append(conn)  # never answered, closed when the server stops

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    timer = threading.Timer(lifetime_s, stop.set)
    timer.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        timer.cancel()
        thread.join(2)
        listener.close()
        for conn in held:
            conn.close()
