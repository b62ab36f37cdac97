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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

import httpx

from synthcheck.config import Environment, HttpSettings
from synthcheck.probe.client import RecordingClient
from synthcheck.probe.exchange import Exchange
from synthcheck.probe.pacing import Pacer
from synthcheck.secrets import KnownSecrets

__all__ = ["PROBE_SPACING_S", "SeriesReference", "UpstreamProbe", "probe_fred", "reference_series"]

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


def upstream_http(http: HttpSettings, concurrency: int) -> HttpSettings:
    """The app's [http] settings for requests to FRED: its CA bundle (a closed network's
    mirror), User-Agent and proxies, but never its credentials: no headers (auth for
    *its* API) and no client certificate."""
    return replace(http, headers={}, client_cert=None, client_key=None, concurrency=concurrency)


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
    http = upstream_http(env.http, settings.samples)
    exchanges = asyncio.run(_send(http, url, display, settings.samples, transport))
    return UpstreamProbe(display, url, tuple(exchanges))


# -- what FRED says about the app's series: frequency and newest observation ---------
MAX_REFERENCE_SERIES = 10  # two requests each: bounded against the key's 120 a minute
REFERENCE_SPACING_S = 0.1  # at most 20 requests a run: paced, but not a second per series


@dataclass(frozen=True)
class SeriesReference:
    """FRED's own answer for one series, to judge the app's data against."""

    series: str
    display: str  # the observations request, without the key
    frequency: str | None = None  # frequency_short: D W BW M Q SA A
    latest: tuple[date, str] | None = None  # newest observation (date, value as FRED prints)
    error: str = ""  # why frequency/latest are missing
    skipped: str = ""  # why nothing was sent


def _series_url(base: str, path: str, series: str, key: str | None, **extra: str) -> str:
    query = {"series_id": series, "file_type": "json", **extra}
    if key is not None:
        query["api_key"] = key
    return f"{base.rstrip('/')}/{path}?{urlencode(query)}"


def _first(body: Any, field: str) -> dict[str, Any] | None:
    rows = body.get(field) if isinstance(body, dict) else None
    first = rows[0] if isinstance(rows, list) and rows else None
    return first if isinstance(first, dict) else None


def _read_reference(series: str, display: str, meta: Exchange, obs: Exchange) -> SeriesReference:
    problems = [f"{e.target_id}: {e.describe()}" for e in (meta, obs) if e.status != 200]
    info, newest = _first(meta.json(), "seriess"), _first(obs.json(), "observations")
    frequency = str(info.get("frequency_short", "")).upper() or None if info else None
    latest = None
    if newest is not None:
        try:
            latest = (date.fromisoformat(str(newest.get("date"))), str(newest.get("value")))
        except ValueError:
            problems.append("FRED's newest observation has no valid date")
    error = "; ".join(problems) or ("" if latest else "FRED returned no observation")
    return SeriesReference(series, display, frequency, latest, error)


async def _fetch(
    http: HttpSettings, urls: Sequence[tuple[str, str]], transport: httpx.AsyncBaseTransport | None
) -> list[Exchange]:
    client = RecordingClient(http, transport=transport)
    pacer = Pacer(concurrency=4, max_rps=1.0 / REFERENCE_SPACING_S)

    async def one(seq: int, display: str, url: str) -> Exchange:
        async with pacer:
            return await client.record(target_id=display, method="GET", url=url, seq=seq)

    try:
        jobs = (one(i + 1, display, url) for i, (display, url) in enumerate(urls))
        return list(await asyncio.gather(*jobs))
    finally:
        await client.aclose()


def reference_series(
    env: Environment,
    secrets: KnownSecrets,
    series: Sequence[str],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> dict[str, SeriesReference]:
    """FRED's metadata and newest observation for each series (two requests each)."""
    base = env.fred_base_url
    wanted = list(dict.fromkeys(s.upper() for s in series))[:MAX_REFERENCE_SERIES]
    displays = {
        s: f"GET {_series_url(base, 'series/observations', s, None, sort_order='desc', limit='1')}"
        for s in wanted
    }
    key = next((s for s in secrets if s.name == FRED_KEY), None)
    skipped = ""
    if not env.upstream_probe.enabled:
        skipped = "the upstream probe is off ([upstreams] probe)"
    elif key is None:
        skipped = f"{FRED_KEY} is not set in the verifier"
    if skipped or key is None or not wanted:
        return {s: SeriesReference(s, displays[s], skipped=skipped) for s in wanted}
    secret = key.reveal()
    newest = {"sort_order": "desc", "limit": "1"}
    urls: list[tuple[str, str]] = []
    for s in wanted:
        meta_display = f"GET {_series_url(base, 'series', s, None)}"
        urls.append((meta_display, _series_url(base, "series", s, secret)))
        urls.append((displays[s], _series_url(base, "series/observations", s, secret, **newest)))
    http = upstream_http(env.http, 4)
    exchanges = asyncio.run(_fetch(http, urls, transport))
    return {
        s: _read_reference(s, displays[s], exchanges[2 * i], exchanges[2 * i + 1])
        for i, s in enumerate(wanted)
    }
