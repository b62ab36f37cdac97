"""Health and readiness bodies, and the process measurements behind them.

Memory is the process RSS from /proc/self/statm against the configured limit
(`--memory-limit-mb`), CPU is the process CPU time over wall time between two
health calls (os.times deltas): both cheap enough to compute on every call.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from synthcheck.reference.applog import utc_now_iso

MEMORY_WARN_PERCENT = 80.0  # the runbook's "memory usage > 80 %" line
MEMORY_FAIL_PERCENT = 95.0
# Checks whose failure makes the whole service unhealthy; any other failing or
# warning check only degrades it (the service can still answer from cache).
CRITICAL_CHECKS = frozenset({"memory"})

try:
    _PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
except (ValueError, OSError, AttributeError):  # non-Linux fallback
    _PAGE_SIZE = 4096


def read_rss_bytes() -> int:
    """Resident set size of this process, in bytes."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):
        import resource  # only where /proc is missing; peak RSS is the best we have

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


class CpuSampler:
    """CPU percent of this process between successive calls."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_wall = clock()
        self._last_cpu = _cpu_seconds()
        self._percent = 0.0

    def percent(self) -> float:
        now, cpu = self._clock(), _cpu_seconds()
        wall = now - self._last_wall
        # Very short intervals give noisy numbers: keep the previous value.
        if wall >= 0.05:
            self._percent = max(0.0, (cpu - self._last_cpu) / wall * 100.0)
            self._last_wall, self._last_cpu = now, cpu
        return round(self._percent, 1)


def memory_check(used: int, total: int) -> dict[str, Any]:
    percent = round(used / total * 100.0, 1) if total > 0 else 0.0
    if percent >= MEMORY_FAIL_PERCENT:
        status = "fail"
    elif percent >= MEMORY_WARN_PERCENT:
        status = "warn"
    else:
        status = "pass"
    return {"status": status, "usage_percent": percent}


def overall_status(checks: Mapping[str, Mapping[str, Any]]) -> str:
    statuses = {name: str(check.get("status")) for name, check in checks.items()}
    if any(statuses[name] == "fail" for name in CRITICAL_CHECKS if name in statuses):
        return "unhealthy"
    if any(s in ("fail", "warn") for s in statuses.values()):
        return "degraded"
    return "healthy"


@dataclass(frozen=True)
class UpstreamView:
    """What health needs to know about the last upstream call."""

    ok: bool | None
    latency_ms: float
    limit: int
    remaining: int
    error: str | None = None


def fred_api_check(view: UpstreamView) -> dict[str, Any]:
    check: dict[str, Any] = {
        "status": "pass" if view.ok is not False else "fail",
        "latency_ms": round(view.latency_ms, 1),
        "rate_limit": {"limit": view.limit, "remaining": view.remaining},
    }
    if view.ok is False and view.error:
        check["error"] = view.error  # a short reason, never the URL or key
    return check


def build_health_body(
    *,
    version: str,
    uptime_s: float,
    used: int,
    total: int,
    cpu_percent: float,
    upstream: UpstreamView,
    cache_entries: int,
) -> dict[str, Any]:
    checks: dict[str, Any] = {
        "fred_api": fred_api_check(upstream),
        "cache": {"status": "pass", "entries": cache_entries},
        "memory": memory_check(used, total),
    }
    return {
        "status": overall_status(checks),
        "timestamp": utc_now_iso(),
        "version": version,
        "uptime": round(uptime_s, 3),
        # RSS against the configured limit: `limit` says that this IS a utilization.
        "memory": {"used": used, "total": total, "limit": total},
        "cpu": {"percent": cpu_percent},
        "checks": checks,
    }


def health_http_status(body: Mapping[str, Any]) -> int:
    return 503 if body.get("status") == "unhealthy" else 200


def build_ready_body(*, started: bool, upstream_ok: bool | None) -> tuple[int, dict[str, Any]]:
    """Ready once startup finished; a failing upstream is reported but does not unready.

    Taking every instance out of rotation because a shared upstream is down
    would turn a degraded service into an outage, so only startup gates it.
    """
    if not started:
        return 503, {"ready": False, "checks": {"upstream": "pending", "cache": "ok"}}
    upstream = "ok" if upstream_ok is not False else "degraded"
    return 200, {"ready": True, "checks": {"upstream": upstream, "cache": "ok"}}
