"""A recording HTTP client on httpx: every request becomes an :class:`Exchange`.

Guarantees the harness depends on:
- connect, read and total timeouts on every request (a hanging target costs at most
  ``total_timeout_s``);
- bodies capped at ``max_body_bytes`` without reading the rest into memory;
- redirects followed by hand, same origin only and at most ``max_redirects`` times,
  each hop recorded (a ``Location`` can leak a key; another origin is never contacted);
- failures recorded as data, never raised.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from synthcheck import __version__
from synthcheck.config import HttpSettings
from synthcheck.probe.errors import Timeouts, classify_error, seconds
from synthcheck.probe.exchange import Exchange, RedirectHop, TransportError, TransportErrorKind
from synthcheck.probe.proxies import ProxyRouting
from synthcheck.probe.tls_context import client_ssl_context

__all__ = ["RecordingClient", "classify_error"]

_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# One TLS context per TLS configuration, shared by the run's clients: building one
# (certifi's ~150 roots) takes ~30 ms, and a run opens five or more clients.
_TLS_CONTEXTS: dict[tuple[object, ...], ssl.SSLContext] = {}


def _shared_tls_context(settings: HttpSettings) -> ssl.SSLContext:
    key = (settings.verify_tls, settings.ca_bundle, settings.client_cert, settings.client_key)
    context = _TLS_CONTEXTS.get(key)
    if context is None:  # two threads at once build two, one is kept: harmless
        context = _TLS_CONTEXTS[key] = client_ssl_context(settings)
    return context


def _same_origin(a: str, b: str) -> bool:
    sa, sb = urlsplit(a), urlsplit(b)
    return (sa.scheme, sa.hostname, sa.port) == (sb.scheme, sb.hostname, sb.port)


class _Trace:
    """Collects httpx trace events (``extensions={"trace": ...}``) with monotonic times."""

    def __init__(self) -> None:
        self.events: dict[str, float] = {}

    async def __call__(self, name: str, info: Mapping[str, Any]) -> None:
        self.events.setdefault(name, time.perf_counter())

    def span_ms(self, start_suffix: str, end_suffix: str) -> float | None:
        start = next((t for n, t in self.events.items() if n.endswith(start_suffix)), None)
        end = next((t for n, t in self.events.items() if n.endswith(end_suffix)), None)
        if start is None or end is None:
            return None
        return (end - start) * 1000.0


class RecordingClient:
    def __init__(
        self, settings: HttpSettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        timeout = httpx.Timeout(
            connect=settings.connect_timeout_s,
            read=settings.read_timeout_s,
            write=settings.read_timeout_s,
            pool=settings.total_timeout_s,
        )
        # A configured User-Agent (any spelling) replaces the harness's own.
        headers = httpx.Headers({"User-Agent": settings.user_agent or f"synthcheck/{__version__}"})
        headers.update(dict(settings.headers))
        limits = httpx.Limits(max_connections=max(settings.concurrency, 1) * 2)
        verify = _shared_tls_context(settings)
        self._client = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            verify=verify,
            headers=headers,
            limits=limits,
            # Proxies come from HTTP(S)_PROXY/NO_PROXY, chosen per request (loopback never
            # proxied: probe/proxies.py); httpx's own trust_env would also read .netrc.
            trust_env=False,
            transport=transport or ProxyRouting(verify=verify, limits=limits),
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def timeouts(self) -> Timeouts:
        s = self.settings
        return Timeouts(s.connect_timeout_s, s.read_timeout_s, s.total_timeout_s)

    async def record(
        self,
        *,
        target_id: str,
        method: str,
        url: str,
        seq: int,
        warmup: bool = False,
        json_body: object = None,
        headers: Sequence[tuple[str, str]] = (),
    ) -> Exchange:
        """One request (and its same-origin redirects); ``headers`` over the client's."""
        exchange = Exchange(
            target_id=target_id,
            method=method,
            url=url,
            seq=seq,
            started_at=time.time(),
            started_mono=time.monotonic(),
            warmup=warmup,
        )
        start = time.perf_counter()
        try:
            async with asyncio.timeout(self.settings.total_timeout_s):
                await self._follow(exchange, method, url, start, json_body, headers)
        except TimeoutError:
            exchange.error = TransportError(
                TransportErrorKind.TOTAL_TIMEOUT,
                f"timed out after {seconds(self.settings.total_timeout_s)} (no complete response)",
            )
        except Exception as exc:  # recorded as data: a check decides what it means
            exchange.error = classify_error(exc, self.timeouts)
        exchange.total_ms = (time.perf_counter() - start) * 1000.0
        return exchange

    async def _follow(
        self,
        exchange: Exchange,
        method: str,
        url: str,
        start: float,
        json_body: object,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        hops: list[RedirectHop] = []
        current = url
        while True:
            trace = _Trace()
            request = self._client.build_request(
                method,
                current,
                headers=list(headers),  # redirects stay on this origin: the same headers
                extensions={"trace": trace},
                json=json_body if not hops else None,  # a body goes with the first hop only
            )
            response = await self._client.send(request, stream=True)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECT_STATUSES and location:
                    hop = RedirectHop(
                        response.status_code,
                        current,
                        location,
                        tuple(response.headers.multi_items()),
                    )
                    hops.append(hop)
                    exchange.redirects = tuple(hops)
                    following = urljoin(current, location)
                    if not _same_origin(url, following):
                        # Record it, never follow it: the target may redirect to a real
                        # upstream (with a key in the URL) that a probe must not contact.
                        await self._capture(exchange, response, trace, start)
                        return
                    if len(hops) > self.settings.max_redirects:
                        raise httpx.TooManyRedirects(
                            f"more than {self.settings.max_redirects} redirects", request=request
                        )
                    current = following
                    continue
                await self._capture(exchange, response, trace, start)
                return
            finally:
                await response.aclose()

    async def _capture(
        self, exchange: Exchange, response: httpx.Response, trace: _Trace, start: float
    ) -> None:
        exchange.status = response.status_code
        exchange.reason = response.reason_phrase
        exchange.http_version = response.http_version
        exchange.headers = tuple(response.headers.multi_items())
        exchange.ttfb_ms = (time.perf_counter() - start) * 1000.0
        # From the moment the request is out: the trace events around the write itself
        # are awaited callbacks, so starting earlier would count our own event loop.
        exchange.server_ms = trace.span_ms(
            "send_request_body.complete", "receive_response_headers.complete"
        ) or trace.span_ms("send_request_headers.started", "receive_response_headers.complete")
        exchange.connect_ms = trace.span_ms("connect_tcp.started", "connect_tcp.complete")
        cap = self.settings.max_body_bytes
        chunks: list[bytes] = []
        read = 0
        async for chunk in response.aiter_bytes():
            room = cap - read
            chunks.append(chunk[:room])
            read += len(chunk)
            if read > cap:
                exchange.body_truncated = True
                break
        exchange.body = b"".join(chunks)
        length = response.headers.get("content-length")
        declared = int(length) if length and length.isdigit() else None
        exchange.size = max(read, declared or 0) if exchange.body_truncated else read
        # Body transfer as httpx saw it, without our own per-chunk handling: the latency
        # checks add it to server_ms (None when the body was cut off mid-stream).
        exchange.extra["body_ms"] = trace.span_ms(
            "receive_response_body.started", "receive_response_body.complete"
        )
