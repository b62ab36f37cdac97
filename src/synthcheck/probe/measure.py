"""What one recorded exchange measured: its response time, and whether it failed.

Facts about exchanges, not verdicts: the latency and error-rate checks judge them,
and the pre-deploy baseline (``probe/baseline.py``) records the stable version's
response times with the same definitions.
"""

from __future__ import annotations

from collections.abc import Sequence

from synthcheck.config import ErrorRateSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe.exchange import Exchange

__all__ = ["failure", "response_ms", "split"]


def response_ms(exchange: Exchange) -> float | None:
    """Request sent → last body byte, from httpx's trace (no client-side set-up in it).

    Falls back to the client's own clock when there is no trace (a redirect chain:
    the whole exchange; no body span: the time from headers to the end of reading).
    """
    if exchange.total_ms is None:
        return None
    if exchange.redirects or exchange.server_ms is None or exchange.ttfb_ms is None:
        return exchange.total_ms
    body_ms = exchange.extra.get("body_ms")
    if not isinstance(body_ms, float):
        body_ms = max(exchange.total_ms - exchange.ttfb_ms, 0.0)
    return exchange.server_ms + body_ms


def failure(exchange: Exchange, expected: Sequence[int], expected_4xx: Sequence[int]) -> str | None:
    """Why this exchange counts as an error (``"503"``, ``"timeout (read)"``), or None."""
    if exchange.error is not None:
        return exchange.error.kind.words
    status = exchange.status
    if status is None:
        return "no response"
    if status in expected or (400 <= status < 500 and status in expected_4xx):
        return None
    return str(status)


def split(
    target: ProbeTarget, exchanges: Sequence[Exchange], settings: ErrorRateSettings
) -> tuple[list[float], list[float]]:
    """(times of successful requests, times of other failed ones): never judged together.

    Timed-out requests are in neither: they are censored latency samples
    (``verdicts.latency.cut_off``).
    """
    good: list[float] = []
    bad: list[float] = []
    for exchange in exchanges:
        ms = response_ms(exchange)
        if ms is None or exchange.censored_ms is not None:
            continue
        failed = failure(exchange, target.endpoint.expect_status, settings.expected_4xx)
        (bad if failed else good).append(ms)
    return good, bad
