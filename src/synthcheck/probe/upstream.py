"""A handful of direct requests to the FRED upstream, next to the app's own.

``GET <fred_base_url>/series/observations?series_id=UNRATE&api_key=...&limit=1``: when
it fails or is slow, the app's failing data endpoints are the upstream's doing. Every
probe counts against the key's 120 requests a minute that the app itself lives on,
so a run sends only ``samples`` of them (3 by default, at most 10), spaced apart.

The URL carries the key: it lives in memory only. Reports show ``display`` (no key)
and reproduce the probe with ``api_key=${FRED_API_KEY}``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import httpx

from synthcheck.config import Environment, HttpSettings
from synthcheck.probe.client import RecordingClient
from synthcheck.probe.exchange import Exchange
from synthcheck.probe.pacing import Pacer
from synthcheck.secrets import KnownSecrets

__all__ = ["PROBE_SPACING_S", "UpstreamProbe", "probe_fred"]

FRED_KEY = "FRED_API_KEY"
PROBE_SPACING_S = 0.25  # starts this far apart: never a burst against the key's limit


@dataclass(frozen=True)
class UpstreamProbe:
    display: str  # method and URL without the key, for reports
    url: str  # with the key: never print it
    exchanges: tuple[Exchange, ...] = ()
    skipped: str = ""  # why nothing was sent

    @property
    def sent(self) -> bool:
        return bool(self.exchanges)


def _url(base: str, series: str, key: str | None) -> str:
    query = {"series_id": series, "file_type": "json", "limit": "1"}
    if key is not None:
        query["api_key"] = key
    return f"{base.rstrip('/')}/series/observations?{urlencode(query)}"


async def _send(
    http: HttpSettings,
    url: str,
    display: str,
    count: int,
    transport: httpx.AsyncBaseTransport | None,
) -> list[Exchange]:
    client = RecordingClient(http, transport=transport)
    pacer = Pacer(concurrency=count, max_rps=1.0 / PROBE_SPACING_S)

    async def one(seq: int) -> Exchange:
        async with pacer:
            return await client.record(target_id=display, method="GET", url=url, seq=seq)

    try:
        return list(await asyncio.gather(*(one(i + 1) for i in range(count))))
    finally:
        await client.aclose()


def probe_fred(
    env: Environment,
    secrets: KnownSecrets,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> UpstreamProbe:
    """Probe the environment's FRED base URL directly, when enabled and the key is set."""
    settings = env.upstream_probe
    display = f"GET {_url(env.fred_base_url, settings.series, None)}"
    if not settings.enabled:
        return UpstreamProbe(display, "", skipped="the upstream probe is off ([upstreams] probe)")
    key = next((s for s in secrets if s.name == FRED_KEY), None)
    if key is None:
        return UpstreamProbe(display, "", skipped=f"{FRED_KEY} is not set in the verifier")
    url = _url(env.fred_base_url, settings.series, key.reveal())
    # The app's own headers (auth for *its* API) must never travel to FRED.
    http = replace(env.http, headers={}, concurrency=settings.samples)
    exchanges = asyncio.run(_send(http, url, display, settings.samples, transport))
    return UpstreamProbe(display, url, tuple(exchanges))
