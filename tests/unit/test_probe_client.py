"""The recording client: caps, timeouts, redirects and failures recorded as data."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from synthcheck.config import HttpSettings
from synthcheck.probe import Exchange, RecordingClient, TransportErrorKind
from tests.support.sockets import free_port, tcp_server

FAST = HttpSettings(
    connect_timeout_s=1.0, read_timeout_s=0.5, total_timeout_s=1.0, max_body_bytes=2048
)


def _record(url: str, handler=None, settings: HttpSettings = FAST, method: str = "GET") -> Exchange:
    transport = httpx.MockTransport(handler) if handler else None

    async def go() -> Exchange:
        client = RecordingClient(settings, transport=transport)
        try:
            return await client.record(target_id="t", method=method, url=url, seq=1)
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_records_status_headers_body_and_timings() -> None:
    exchange = _record(
        "http://svc/api/health",
        lambda r: httpx.Response(200, json={"status": "healthy"}, headers={"X-Id": "1"}),
    )
    assert exchange.ok
    assert exchange.status == 200
    assert exchange.header("x-id") == "1"
    assert exchange.json() == {"status": "healthy"}
    assert exchange.content_type == "application/json"
    assert exchange.ttfb_ms is not None
    assert exchange.total_ms is not None
    assert exchange.total_ms >= exchange.ttfb_ms >= 0


def test_body_is_capped_and_marked_truncated() -> None:
    exchange = _record("http://svc/big", lambda r: httpx.Response(200, content=b"x" * 100_000))
    assert exchange.body_truncated
    assert len(exchange.body) == 2048
    assert exchange.size == 100_000  # from Content-Length
    parsed, _, why = exchange.json_result
    assert not parsed
    assert "cut off" in why


def test_same_origin_redirects_are_followed_and_recorded() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(302, headers={"Location": "/new"})
        return httpx.Response(200, text="here")

    exchange = _record("http://svc/old", handler)
    assert exchange.status == 200
    assert exchange.text == "here"
    assert [(h.status, h.location) for h in exchange.redirects] == [(302, "/new")]


def test_cross_origin_redirect_is_recorded_not_followed() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(
            302, headers={"Location": "https://api.stlouisfed.org/fred?api_key=k"}
        )

    exchange = _record("http://svc/api/fred-data", handler)
    assert seen == ["http://svc/api/fred-data"]
    assert exchange.status == 302
    assert exchange.redirects[0].location.startswith("https://api.stlouisfed.org")


def test_redirect_loop_ends_as_too_many_redirects() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        other = "/b" if request.url.path == "/a" else "/a"
        return httpx.Response(302, headers={"Location": other})

    exchange = _record("http://svc/a", handler)
    assert exchange.error is not None
    assert exchange.error.kind == TransportErrorKind.TOO_MANY_REDIRECTS
    assert exchange.answered
    assert not exchange.ok
    assert len(exchange.redirects) == FAST.max_redirects + 1


def test_refused_connection_is_data_not_exception() -> None:
    exchange = _record(f"http://127.0.0.1:{free_port()}/api/live")
    assert exchange.error is not None
    assert exchange.error.kind == TransportErrorKind.CONNECT_REFUSED
    assert not exchange.answered


def test_hanging_server_costs_one_read_timeout() -> None:
    with tcp_server("hang") as url:
        started = time.monotonic()
        exchange = _record(url + "/api/live")
        elapsed = time.monotonic() - started
    assert exchange.error is not None
    assert exchange.error.kind in {
        TransportErrorKind.READ_TIMEOUT,
        TransportErrorKind.TOTAL_TIMEOUT,
    }
    assert elapsed < 3.0


def test_garbage_bytes_are_a_protocol_error() -> None:
    with tcp_server("garbage") as url:
        exchange = _record(url + "/api/live")
    assert exchange.error is not None
    assert exchange.error.kind == TransportErrorKind.PROTOCOL_ERROR


@pytest.mark.parametrize("method", ["HEAD", "GET"])
def test_methods_are_sent_as_given(method: str) -> None:
    exchange = _record(
        "http://svc/api/health", lambda r: httpx.Response(200, text=r.method), method=method
    )
    assert exchange.method == method
    assert exchange.status == 200
