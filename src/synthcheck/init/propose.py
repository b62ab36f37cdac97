"""Proposals from what ``init`` observed: timeouts, and the environment document.

Timeouts: the read timeout is at least 10x the slowest endpoint's observed P95 and
at least twice the runbook's critical latency (a slow answer is then measured as
slow, not cut off as an error), within 2-30 s; connect is a third of it within
2-10 s; the total adds both and 2 s. The budgets stay the runbook's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from synthcheck.config import DEFAULT_SECRET_ENV, Budgets

__all__ = ["Timeouts", "nearest_rank", "propose_environment", "propose_timeouts"]

RUNBOOK_BUDGETS: dict[str, float | int] = {
    "p95_ms": 500,
    "p95_critical_ms": 1000,
    "error_rate": 0.05,
    "memory_percent": 80,
    "liveness_ms": 250,
}
LIVE_BUDGETS = {"p95_ms": 100, "p95_critical_ms": 250}  # as the shipped files


@dataclass(frozen=True)
class Timeouts:
    connect_s: float
    read_s: float
    total_s: float


def nearest_rank(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile by nearest rank (no interpolation: a handful of samples)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def _half_up(seconds: float) -> float:
    return math.ceil(seconds * 2) / 2


def propose_timeouts(
    p95_ms: float | None, critical_ms: float = Budgets().p95_critical_ms
) -> Timeouts:
    observed_s = (p95_ms or 0.0) / 1000.0
    read = min(30.0, max(2.0, 2 * critical_ms / 1000.0, _half_up(10 * observed_s)))
    connect = min(10.0, max(2.0, _half_up(read / 3)))
    return Timeouts(connect, read, read + connect + 2.0)


def is_loopback(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def _endpoint(role: str, path: str, **fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": role if role != "data" else "data", "role": role}
    entry["path"] = path
    entry.update({k: v for k, v in fields.items() if v not in (None, "", {}, ())})
    return entry


@dataclass(frozen=True)
class EndpointProposal:
    role: str
    path: str
    params: tuple[tuple[str, tuple[str, ...]], ...] = ()
    schema: str = ""
    content_type: str = ""
    budgets: dict[str, int] | None = None


def propose_environment(
    *,
    name: str,
    base_url: str,
    endpoints: Sequence[EndpointProposal],
    timeouts: Timeouts,
    health_format: str = "",
    secret_env: Sequence[str] = DEFAULT_SECRET_ENV,
) -> dict[str, Any]:
    """The environment file as a plain document (write.py renders it as TOML)."""
    loopback = is_loopback(base_url)
    doc: dict[str, Any] = {
        "schema_version": 1,
        "name": name,
        "description": f"written by synthcheck init from {base_url}",
        "base_url": base_url.rstrip("/"),
        "production": False,
        "runbook_url": "docs/runbook.md",
        "upstreams": {"probe": False},
        "secrets": {"env": list(dict.fromkeys(secret_env))},
        "http": {
            "connect_timeout_s": timeouts.connect_s,
            "read_timeout_s": timeouts.read_s,
            "total_timeout_s": timeouts.total_s,
            "max_body_bytes": 1_048_576,
            "max_redirects": 3,
            "concurrency": 8 if loopback else 4,
            "max_rps": 100 if loopback else 10,
            "preflight_attempts": 3,
        },
        "budgets": dict(RUNBOOK_BUDGETS),
    }
    if health_format:
        doc["health"] = {"format": health_format}
    entries = []
    for ep in endpoints:
        params = {k: list(v) for k, v in ep.params}
        entries.append(
            _endpoint(
                ep.role,
                ep.path,
                params=params,
                content_type=ep.content_type,
                schema=ep.schema,
                budgets=ep.budgets,
            )
        )
    doc["endpoints"] = entries
    return doc
