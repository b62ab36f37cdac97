"""The FRED upstream, probed directly: is it answering, and fast enough?

Reported next to the app's own data endpoints, so "FRED is down" and "our app is
broken" read differently. The same assessment feeds the attribution of the app's
data-endpoint failures (see ``attribution.py``).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from synthcheck.catalog import Category
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.probe.measure import response_ms
from synthcheck.probe.upstream import UpstreamProbe
from synthcheck.verdicts.attribution import UPSTREAM_UNKNOWN, UpstreamHealth
from synthcheck.verdicts.result import CheckResult
from synthcheck.verdicts.samples import outcome_breakdown

__all__ = ["assess", "fred"]

UPSTREAM = Category.UPSTREAM


def _bad(exchange: Exchange) -> bool:
    return exchange.error is not None or exchange.status != 200


def _median_ms(exchanges: Sequence[Exchange]) -> float | None:
    times = [ms for ms in (response_ms(e) for e in exchanges) if ms is not None]
    return statistics.median(times) if times else None


def assess(probe: UpstreamProbe, budget_ms: float) -> UpstreamHealth:
    """Failing when half or more of the probes failed, or their median is over budget."""
    if not probe.sent:
        return UPSTREAM_UNKNOWN
    bad = [e for e in probe.exchanges if _bad(e)]
    if 2 * len(bad) >= len(probe.exchanges):
        return UpstreamHealth(True, f"FRED answered {outcome_breakdown(probe.exchanges)}")
    median = _median_ms([e for e in probe.exchanges if not _bad(e)])
    if median is not None and median > budget_ms:
        return UpstreamHealth(True, f"FRED is slow: median {median:.0f} ms > {budget_ms:g} ms")
    return UpstreamHealth(False, f"FRED answered {outcome_breakdown(probe.exchanges)}")


def _app_side(app: Mapping[ProbeTarget, Sequence[Exchange]]) -> str:
    parts = []
    for target, exchanges in app.items():
        median = _median_ms(exchanges)
        timing = f", median {median:.1f} ms" if median is not None else ""
        parts.append(f"{target.id}: {outcome_breakdown(exchanges) or 'no requests'}{timing}")
    return "; ".join(parts)


def fred(
    probe: UpstreamProbe, budget_ms: float, app: Mapping[ProbeTarget, Sequence[Exchange]]
) -> CheckResult:
    """The verdict on the upstream, with the app's data endpoints alongside."""
    if not probe.sent:
        return CheckResult.skipped(UPSTREAM, f"upstream not probed: {probe.skipped}")
    health = assess(probe, budget_ms)
    median = _median_ms([e for e in probe.exchanges if not _bad(e)])
    observed = f"{outcome_breakdown(probe.exchanges)}" + (
        f", median {median:.1f} ms" if median is not None else ""
    )
    bad = [e for e in probe.exchanges if _bad(e)]
    common = dict(
        endpoint=probe.display,
        budget=f"HTTP 200 from FRED, median ≤ {budget_ms:g} ms",
        observed=observed,
        sample_size=len(probe.exchanges),
        details=[f"app: {_app_side(app)}"] if app else [],
        metrics={
            "upstream_n": len(probe.exchanges),
            "upstream_failed": len(bad),
            "upstream_median_ms": round(median, 3) if median is not None else None,
            "upstream_status": probe.exchanges[-1].status,
        },
    )
    if health.failing:
        return CheckResult.failed(UPSTREAM, f"FRED upstream failing: {health.summary}", **common)
    if bad:
        return CheckResult.warned(
            UPSTREAM, f"FRED upstream: {len(bad)} of {len(probe.exchanges)} probes failed", **common
        )
    return CheckResult.passed(UPSTREAM, f"FRED upstream answers: {observed}", **common)
