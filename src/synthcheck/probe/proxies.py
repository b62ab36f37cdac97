"""Proxies from the standard environment variables, with NO_PROXY, for the probe client.

``HTTPS_PROXY``/``https_proxy`` for https targets, ``HTTP_PROXY``/``http_proxy`` for http
ones, ``ALL_PROXY`` for both (lower case wins, as in curl). ``NO_PROXY`` lists hosts
that go direct: ``*``, host names (``example.com`` also matches its subdomains, a
leading dot is optional), IP addresses and CIDR ranges, each optionally ``:port``.
A loopback target (``localhost``, 127.0.0.0/8, ``::1``) never goes through a proxy:
a verifier on a laptop with a corporate proxy set must still reach its local service.

The choice is made per request (:class:`ProxyRouting`), so one client serves a target
behind a proxy and a direct one alike.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx

__all__ = ["ProxyRouting", "is_loopback", "proxy_for"]


def _variable(environ: Mapping[str, str], name: str) -> str:
    return (environ.get(name.lower()) or environ.get(name.upper()) or "").strip()


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _matches(entry: str, host: str, port: int) -> bool:
    entry = entry.strip().lower()
    if not entry:
        return False
    if entry == "*":
        return True
    name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
    if entry_port and (not entry_port.isdigit() or int(entry_port) != port):
        return False
    name = (name or entry).strip("[]")
    try:
        network = ipaddress.ip_network(name, strict=False)
    except ValueError:
        name = name.lstrip(".").lstrip("*").lstrip(".")
        return host == name or host.endswith("." + name)
    try:
        return ipaddress.ip_address(host) in network
    except ValueError:
        return False


def proxy_for(url: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The proxy URL a request to ``url`` goes through, or None for a direct connection."""
    env = os.environ if environ is None else environ
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port or (443 if scheme == "https" else 80)
    proxy = _variable(env, f"{scheme}_proxy") or _variable(env, "all_proxy")
    if not proxy or is_loopback(host):
        return None
    if any(_matches(entry, host, port) for entry in _variable(env, "no_proxy").split(",")):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


class ProxyRouting(httpx.AsyncBaseTransport):
    """Sends each request direct or through its proxy, as :func:`proxy_for` decides."""

    def __init__(
        self,
        *,
        verify: ssl.SSLContext,
        limits: httpx.Limits,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._environ = dict(os.environ if environ is None else environ)
        self._verify = verify
        self._limits = limits
        self._direct = httpx.AsyncHTTPTransport(verify=verify, limits=limits)
        self._proxied: dict[str, httpx.AsyncHTTPTransport] = {}

    def _transport(self, url: str) -> httpx.AsyncHTTPTransport:
        proxy = proxy_for(url, self._environ)
        if proxy is None:
            return self._direct
        if proxy not in self._proxied:
            self._proxied[proxy] = httpx.AsyncHTTPTransport(
                proxy=proxy, verify=self._verify, limits=self._limits
            )
        return self._proxied[proxy]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._transport(str(request.url)).handle_async_request(request)

    async def aclose(self) -> None:
        for transport in (self._direct, *self._proxied.values()):
            await transport.aclose()
