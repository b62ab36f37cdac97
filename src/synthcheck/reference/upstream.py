"""The app's client for the FRED-compatible upstream, and the last-call status.

Every call records its outcome (ok, latency, rate-limit headers) in
`UpstreamClient.status`, which is what /api/health reports: health itself
never waits for the upstream once a first result exists.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from synthcheck.reference.applog import AppLog
from synthcheck.reference.health import UpstreamView
from synthcheck.reference.settings import Settings

DEFAULT_RATE_LIMIT = 120
_NOT_FOUND_TEXT = "series does not exist"


class UpstreamError(Exception):
    """The upstream could not give an answer (timeout, refused, 5xx, 429, bad key...)."""


class SeriesNotFound(Exception):
    """The upstream answered that the series does not exist."""


@dataclass
class UpstreamStatus:
    ok: bool | None = None  # None until the first call
    latency_ms: float = 0.0
    error: str | None = None
    limit: int = DEFAULT_RATE_LIMIT
    remaining: int = DEFAULT_RATE_LIMIT
    reset: int | None = None
    checked_at: float = 0.0

    def view(self) -> UpstreamView:
        return UpstreamView(self.ok, self.latency_ms, self.limit, self.remaining, self.error)

    def rate_limit_headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
        }
        if self.reset is not None:
            headers["X-RateLimit-Reset"] = str(self.reset)
        return headers


def _int_header(response: httpx.Response, name: str) -> int | None:
    try:
        return int(response.headers[name])
    except (KeyError, ValueError):
        return None


def _fred_error(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("error_message", "")) if isinstance(body, dict) else ""


class UpstreamClient:
    def __init__(
        self,
        settings: Settings,
        log: AppLog,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.log = log
        self.status = UpstreamStatus()
        # trust_env=False: a proxy from the environment must never see loopback traffic.
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(settings.upstream_timeout),
            transport=transport,
            trust_env=False,
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    def _record(
        self, ok: bool, started: float, error: str | None, response: httpx.Response | None
    ) -> None:
        status = self.status
        status.ok = ok
        status.latency_ms = (time.monotonic() - started) * 1000.0
        status.error = error
        status.checked_at = time.monotonic()
        if response is not None:
            limit = _int_header(response, "X-RateLimit-Limit")
            remaining = _int_header(response, "X-RateLimit-Remaining")
            status.limit = limit if limit is not None else status.limit
            status.remaining = remaining if remaining is not None else status.remaining
            status.reset = _int_header(response, "X-RateLimit-Reset")

    async def get_json(self, url: str) -> dict[str, Any]:
        """GET a FRED URL; raise SeriesNotFound / UpstreamError; record the outcome."""
        started = time.monotonic()
        try:
            response = await self._client.get(url)
        except (httpx.HTTPError, OSError) as exc:
            reason = type(exc).__name__
            self._record(False, started, reason, None)
            self.log.event("WARNING", "upstream_error", url=self.settings.mask(url), error=reason)
            raise UpstreamError(reason) from None
        if response.status_code == 200:
            try:
                body = response.json()
            except ValueError:
                body = None
            if isinstance(body, dict):
                self._record(True, started, None, response)
                return body
            self._record(False, started, "invalid JSON", response)
            self.log.event(
                "WARNING",
                "upstream_error",
                url=self.settings.mask(url),
                error="invalid JSON",
                status=200,
            )
            raise UpstreamError("invalid JSON")
        message = _fred_error(response)
        if response.status_code == 400 and _NOT_FOUND_TEXT in message.lower():
            self._record(True, started, None, response)  # the upstream works; the id is wrong
            raise SeriesNotFound(message)
        reason = f"HTTP {response.status_code}"
        self._record(False, started, reason, response)
        self.log.event(
            "WARNING",
            "upstream_error",
            url=self.settings.mask(url),
            status=response.status_code,
            error=self.settings.mask(message) or reason,
        )
        raise UpstreamError(reason)

    async def fetch_series(self, series_id: str) -> dict[str, Any]:
        """Metadata plus all observations of one series, in the app's own shape.

        The upstream timeout is a deadline for the whole fetch (two sequential
        calls), so an upstream that is merely slow on each call still fails it.
        """
        url = self.settings.fred_url("series/observations", series_id)
        async with self._deadline(url):
            meta = await self.get_json(self.settings.fred_url("series", series_id))
            data = await self.get_json(url)
        seriess = meta.get("seriess") or [{}]
        info = seriess[0] if isinstance(seriess[0], dict) else {}
        observations = [
            {"date": o.get("date"), "value": _to_float(o.get("value"))}
            for o in data.get("observations", [])
            if isinstance(o, dict)
        ]
        return {
            "series": series_id,
            "title": info.get("title", series_id),
            "units": info.get("units", data.get("units", "")),
            "frequency": info.get("frequency", ""),
            "observations": observations,
        }

    async def probe(self) -> None:
        """A cheap call that refreshes `status`; errors are already recorded and logged."""
        url = self.settings.fred_url("series/observations", "UNRATE", limit=1, sort_order="desc")
        with contextlib.suppress(UpstreamError, SeriesNotFound):
            async with self._deadline(url):
                await self.get_json(url)

    @contextlib.asynccontextmanager
    async def _deadline(self, url: str) -> AsyncIterator[None]:
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.settings.upstream_timeout):
                yield
        except TimeoutError:
            self._record(False, started, "timeout", None)
            masked = self.settings.mask(url)
            self.log.event("WARNING", "upstream_error", url=masked, error="timeout")
            raise UpstreamError("timeout") from None


def _to_float(value: Any) -> float | None:
    # FRED marks a missing observation with "."; JSON null is the honest equivalent.
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
