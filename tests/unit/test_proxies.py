"""Proxies from HTTP_PROXY/HTTPS_PROXY/NO_PROXY: which requests use one, and that they do.

The client tests use a loopback forward proxy (tests/support/forward_proxy.py) and a
test host name, ``service.test``, that only the proxy (mapping it to a local port) or
a patched resolver (for direct connections) knows: no DNS query leaves the machine.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from synthcheck.config import HttpSettings
from synthcheck.probe.client import RecordingClient
from synthcheck.probe.exchange import Exchange
from synthcheck.probe.proxies import is_loopback, proxy_for
from tests.support.forward_proxy import forward_proxy
from tests.support.other_service import other_service
from tests.support.tls_server import PrivateCA, https_server

PROXY = "http://proxy.corp:3128"


@pytest.mark.parametrize(
    ("url", "environ", "expected"),
    [
        ("http://svc.example.com/x", {"HTTP_PROXY": PROXY}, PROXY),
        ("https://svc.example.com/x", {"HTTP_PROXY": PROXY}, None),  # https needs HTTPS_PROXY
        ("https://svc.example.com/x", {"https_proxy": PROXY}, PROXY),
        ("https://svc.example.com/x", {"ALL_PROXY": PROXY}, PROXY),
        ("https://svc.example.com/x", {"HTTPS_PROXY": "proxy.corp:3128"}, PROXY),
        ("http://svc.example.com/x", {"http_proxy": PROXY, "HTTP_PROXY": "http://other:1"}, PROXY),
        ("http://svc.example.com/x", {}, None),
    ],
)
def test_the_proxy_comes_from_the_standard_variables(
    url: str, environ: dict[str, str], expected: str | None
) -> None:
    assert proxy_for(url, environ) == expected


@pytest.mark.parametrize(
    ("host", "no_proxy", "direct"),
    [
        ("svc.example.com", "example.com", True),  # subdomains of a listed domain
        ("svc.example.com", ".example.com", True),
        ("example.com", ".example.com", True),
        ("badexample.com", "example.com", False),  # a suffix is not a subdomain
        ("svc.example.com", "*", True),
        ("svc.example.com", "other.org, svc.example.com", True),
        ("10.1.2.3", "10.0.0.0/8", True),
        ("192.168.1.5", "10.0.0.0/8", False),
        ("svc.example.com", "svc.example.com:8443", True),  # the port matches
        ("svc.example.com", "svc.example.com:9999", False),
        ("svc.example.com", "", False),
    ],
)
def test_no_proxy_semantics(host: str, no_proxy: str, direct: bool) -> None:
    environ = {"HTTPS_PROXY": PROXY, "NO_PROXY": no_proxy}
    assert (proxy_for(f"https://{host}:8443/x", environ) is None) is direct


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/", "http://127.8.9.10/", "http://[::1]:80/", "http://localhost/"]
)
def test_loopback_targets_are_never_proxied(url: str) -> None:
    assert proxy_for(url, {"HTTP_PROXY": PROXY, "ALL_PROXY": PROXY}) is None


def test_loopback_names() -> None:
    assert is_loopback("app.localhost")
    assert is_loopback("LOCALHOST.")
    assert not is_loopback("localhost.example.com")
    assert not is_loopback("10.0.0.1")


# -- the real client through a real (loopback) proxy -----------------------------------


@pytest.fixture
def clean_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.fixture
def service_test_resolves_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    """``service.test`` resolves to 127.0.0.1 for direct connections (no DNS query)."""
    real = socket.getaddrinfo

    def fake(host: Any, *args: Any, **kwargs: Any) -> Any:
        local = host in ("service.test", b"service.test")  # anyio passes IDNA bytes
        return real("127.0.0.1" if local else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.fixture
def origin() -> Iterator[int]:
    with other_service() as url:
        yield int(url.rsplit(":", 1)[1])


def _get(url: str, http: HttpSettings | None = None) -> Exchange:
    async def go() -> Exchange:
        client = RecordingClient(http or HttpSettings())
        try:
            return await client.record(target_id="t", method="GET", url=url, seq=1)
        finally:
            await client.aclose()

    return asyncio.run(go())


def test_http_proxy_is_used_for_a_remote_target(
    clean_proxy_env: pytest.MonkeyPatch, origin: int
) -> None:
    with forward_proxy(origin) as (proxy, log):
        clean_proxy_env.setenv("HTTP_PROXY", proxy)
        exchange = _get(f"http://service.test:{origin}/api/health")
    assert exchange.status == 200, exchange.error
    assert dict(exchange.headers)["via"] == "1.1 test-proxy"
    assert log.requests == [f"GET http://service.test:{origin}/api/health"]


def test_no_proxy_sends_the_request_direct(
    clean_proxy_env: pytest.MonkeyPatch, origin: int, service_test_resolves_locally: None
) -> None:
    with forward_proxy(origin) as (proxy, log):
        clean_proxy_env.setenv("HTTP_PROXY", proxy)
        clean_proxy_env.setenv("NO_PROXY", "localhost,.test")
        exchange = _get(f"http://service.test:{origin}/api/health")
    assert exchange.status == 200, exchange.error
    assert "via" not in dict(exchange.headers)
    assert log.requests == []


def test_a_loopback_target_bypasses_the_proxy_without_no_proxy(
    clean_proxy_env: pytest.MonkeyPatch, origin: int
) -> None:
    with forward_proxy(origin) as (proxy, log):
        clean_proxy_env.setenv("HTTP_PROXY", proxy)
        exchange = _get(f"http://127.0.0.1:{origin}/api/health")
    assert exchange.status == 200
    assert log.requests == []


def test_https_proxy_tunnels_to_an_internal_tls_service(
    clean_proxy_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ca = PrivateCA.create(tmp_path / "ca")
    with https_server(tmp_path, ca=ca, server_name="service.test") as url:
        port = int(url.rsplit(":", 1)[1])
        with forward_proxy(port) as (proxy, log):
            clean_proxy_env.setenv("HTTPS_PROXY", proxy)
            clean_proxy_env.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # the wrong one
            exchange = _get(f"https://service.test:{port}/", HttpSettings(ca_bundle=ca.cert))
    assert exchange.status == 200, exchange.error
    assert log.requests == [f"CONNECT service.test:{port}"]
