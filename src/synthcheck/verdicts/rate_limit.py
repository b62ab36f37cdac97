"""Runbook "API rate limit > 80 % usage": headroom read from headers and the health body.

Readings come from ``RateLimit-Limit``/``-Remaining`` (IETF drafts, also the
structured ``RateLimit: limit=..., remaining=...`` and ``RateLimit-Policy: ...;q=``
+ ``RateLimit: ...;r=`` forms), ``X-RateLimit-*``, and a configured field of the
health body (``checks.fred_api.rate_limit`` = ``{limit, remaining}``). The peak usage
of each source is judged: a warning above ``warn_usage``, a failure at ``fail_usage``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from synthcheck.catalog import Category
from synthcheck.config import RateLimitSettings
from synthcheck.probe import Exchange
from synthcheck.verdicts.availability import UNREACHABLE
from synthcheck.verdicts.jsonbody import lookup
from synthcheck.verdicts.result import CheckResult

__all__ = ["Reading", "from_body", "from_headers", "headroom", "peak_readings"]

RATE_LIMIT = Category.RATE_LIMIT
_FIRST_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Reading:
    source: str
    limit: float
    remaining: float

    @property
    def usage(self) -> float:
        if self.limit <= 0:
            return 1.0
        return min(1.0, max(0.0, 1.0 - self.remaining / self.limit))

    def describe(self) -> str:
        used = self.limit - self.remaining
        return f"{self.source}: {used:g} of {self.limit:g} used ({self.usage * 100:.0f} %)"


def _number(text: str | None) -> float | None:
    match = _FIRST_NUMBER.search(text or "")
    return float(match.group()) if match else None


def _param(text: str | None, *names: str) -> float | None:
    """``limit=100, remaining=5`` (draft 7) or ``"default";r=5;t=30`` (draft 8)."""
    for name in names:
        match = re.search(rf"(?:^|[;,\s]){name}=(\d+(?:\.\d+)?)", text or "")
        if match:
            return float(match.group(1))
    return None


def from_headers(exchange: Exchange) -> tuple[str, float, float] | None:
    """(header family, limit, remaining) from one response, or None."""
    for prefix in ("RateLimit", "X-RateLimit"):
        limit = _number(exchange.header(f"{prefix}-Limit"))
        remaining = _number(exchange.header(f"{prefix}-Remaining"))
        if limit is not None and remaining is not None:
            return f"{prefix}-*", limit, remaining
    combined = exchange.header("RateLimit")
    limit = _param(combined, "limit") or _param(exchange.header("RateLimit-Policy"), "q")
    remaining = _param(combined, "remaining", "r")
    if limit is not None and remaining is not None:
        return "RateLimit", limit, remaining
    return None


def from_body(exchange: Exchange, field: str) -> tuple[float, float] | None:
    node = lookup(exchange.json(), field) if field else None
    if not isinstance(node, dict):
        return None
    limit, remaining = node.get("limit"), node.get("remaining")
    if isinstance(limit, int | float) and isinstance(remaining, int | float):
        return float(limit), float(remaining)
    return None


def peak_readings(
    sources: Iterable[tuple[str, Sequence[Exchange]]], health_field: str
) -> list[Reading]:
    """The highest-usage reading of each (source name, its exchanges)."""
    peaks: dict[str, Reading] = {}
    for name, exchanges in sources:
        for exchange in exchanges:
            found: list[Reading] = []
            header = from_headers(exchange)
            if header is not None:
                family, limit, remaining = header
                found.append(Reading(f"{name} {family}", limit, remaining))
            body = from_body(exchange, health_field) if exchange.status is not None else None
            if body is not None:
                found.append(Reading(f"{name} body {health_field}", *body))
            for reading in found:
                best = peaks.get(reading.source)
                if best is None or reading.usage > best.usage:
                    peaks[reading.source] = reading
    return sorted(peaks.values(), key=lambda r: -r.usage)


def headroom(
    readings: Sequence[Reading], settings: RateLimitSettings, *, reachable: bool = True
) -> CheckResult:
    budget = (
        f"usage ≤ {settings.warn_usage * 100:g} % of the limit"
        f" (warning above, failure at {settings.fail_usage * 100:g} %)"
    )
    if not readings:
        why = "no RateLimit-*/X-RateLimit-* header or health rate-limit field seen"
        return CheckResult.skipped(RATE_LIMIT, why if reachable else UNREACHABLE)
    worst = readings[0]
    common = dict(
        budget=budget,
        observed="; ".join(r.describe() for r in readings),
        sample_size=len(readings),
        metrics={
            "usage": round(worst.usage, 4),
            "limit": worst.limit,
            "remaining": worst.remaining,
            "source": worst.source,
        },
    )
    usage = f"{worst.usage * 100:.0f} %"
    if worst.usage >= settings.fail_usage:
        return CheckResult.failed(
            RATE_LIMIT, f"rate limit exhausted: {usage} used ({worst.source})", **common
        )
    if worst.usage > settings.warn_usage:
        return CheckResult.warned(
            RATE_LIMIT,
            f"rate limit at {usage} used, over {settings.warn_usage * 100:g} % ({worst.source})",
            **common,
        )
    return CheckResult.passed(RATE_LIMIT, f"rate-limit headroom: peak usage {usage}", **common)
