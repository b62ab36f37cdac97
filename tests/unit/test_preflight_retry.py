"""Preflight retries: a refused connection is retried briefly, a restarting port is caught."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from synthcheck.config import Endpoint, Environment, HttpSettings, SuiteSettings
from synthcheck.plan import build_plan
from synthcheck.probe import Recorder, TransportErrorKind
from synthcheck.probe import recorder as recorder_module
from synthcheck.probe.admission import PREFLIGHT_RETRY_S
from synthcheck.probe.deadline import Deadline
from tests.support.sockets import free_port


def _recorder(port: int, attempts: int, deadline: Deadline | None = None) -> Recorder:
    env = Environment(
        name="t",
        source=Path("t.toml"),
        base_url=f"http://127.0.0.1:{port}",
        endpoints=(Endpoint(name="live", role="live", method="GET", path="/live"),),
        suites={"postdeploy": SuiteSettings(samples=1, warmup=0)},
        http=HttpSettings(preflight_attempts=attempts, connect_timeout_s=1.0),
    )
    return Recorder(build_plan(env, "postdeploy"), env.http, deadline=deadline)


def _pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The preflight's sleeps, recorded instead of slept."""
    pauses: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        pauses.append(seconds)

    monkeypatch.setattr(recorder_module.asyncio, "sleep", fake_sleep)
    return pauses


def test_refused_is_retried_at_short_fixed_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    pauses = _pauses(monkeypatch)
    recorder = _recorder(free_port(), attempts=3)
    try:
        result = recorder.preflight()
    finally:
        recorder.close()
    assert not result.reachable
    assert [e.error.kind for e in result.exchanges if e.error] == [
        TransportErrorKind.CONNECT_REFUSED
    ] * 3
    assert pauses == [PREFLIGHT_RETRY_S, PREFLIGHT_RETRY_S]  # 0.4 s in all, not 1.5 s
    assert "3 attempt(s), last: connection refused" in result.reason


def test_one_attempt_never_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    pauses = _pauses(monkeypatch)
    recorder = _recorder(free_port(), attempts=1)
    try:
        assert not recorder.preflight().reachable
    finally:
        recorder.close()
    assert pauses == []


def test_the_pause_never_outlasts_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    pauses = _pauses(monkeypatch)
    recorder = _recorder(free_port(), attempts=2, deadline=Deadline(0.05))
    try:
        recorder.preflight()
    finally:
        recorder.close()
    assert len(pauses) <= 1
    assert all(p <= 0.05 for p in pauses)


def test_a_port_that_comes_back_within_the_retry_is_reachable() -> None:
    """A process swap on a fixed port: refused first, listening after a moment."""
    port = free_port()
    recorder = _recorder(port, attempts=3)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def come_back() -> None:
        listener.bind(("127.0.0.1", port))
        listener.listen(4)
        conn, _ = listener.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        conn.close()

    timer = threading.Timer(PREFLIGHT_RETRY_S / 4, come_back)
    try:
        # The first attempt is refused (nothing listens yet); the timer binds the port
        # during the pause, so a later attempt answers.
        timer.start()
        result = recorder.preflight()
    finally:
        timer.join(timeout=5)
        recorder.close()
        listener.close()
    assert result.reachable
    assert result.exchanges[-1].status == 200
