"""``latency.overall``: every endpoint pooled, each time divided by its own P95 budget."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from synthcheck.config import ErrorRateSettings, StatisticsSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.probe.measure import split
from synthcheck.stats import Decision, TailVerdict, judge_tail
from synthcheck.verdicts import latency_text as text
from synthcheck.verdicts.attribution import UPSTREAM_UNKNOWN, UpstreamHealth
from synthcheck.verdicts.availability import UNREACHABLE
from synthcheck.verdicts.latency import (
    DEADLINE_NOTE,
    LATENCY,
    NOTHING_POOLED,
    confidence,
    cut_off,
    tail_test_for,
)
from synthcheck.verdicts.result import CheckResult, Metric

__all__ = ["Pool", "overall", "pool"]


@dataclass(frozen=True)
class Pool:
    """Every judged endpoint's times, each divided by that endpoint's P95 budget."""

    ratios: tuple[float, ...]  # successful requests
    cut_ratios: tuple[float, ...]  # timed-out requests: "at least" their cut-off
    endpoints: int  # endpoints that gave at least one sample
    excused: tuple[str, ...]  # endpoints the failing upstream explains: not counted

    @property
    def n(self) -> int:
        return len(self.ratios) + len(self.cut_ratios)


def pool(
    recorded: Mapping[ProbeTarget, Sequence[Exchange]],
    errors: ErrorRateSettings,
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
) -> Pool:
    ratios: list[float] = []
    cut_ratios: list[float] = []
    endpoints = 0
    for target, exchanges in recorded.items():
        if upstream.explains(target):
            continue
        times, _ = split(target, exchanges, errors)
        floors = cut_off(exchanges)
        if times or floors:
            endpoints += 1
            budget = target.endpoint.budgets.p95_ms
            ratios += [ms / budget for ms in times]
            cut_ratios += [ms / budget for ms in floors]
    excused = tuple(t.id for t in recorded if upstream.explains(t))
    return Pool(tuple(ratios), tuple(cut_ratios), endpoints, excused)


def _observed(verdict: TailVerdict, pooled: Pool) -> str:
    b, over, n = verdict.bounds, verdict.over_budget, pooled.n
    return (
        f"{over} of {n} requests over their endpoint's P95 budget"
        f" ({over / n * 100:.1f} %{text.timed_out(verdict)}); pooled P95 at"
        f" {text.ratio(b.estimate, b.estimate_censored)} budget"
        f" ({text.pct(b.lower_confidence)} lower bound {text.ratio(b.lower, b.lower_censored)},"
        f" {text.pct(b.upper_confidence)} upper bound {text.ratio(b.upper)})"
        f" over {pooled.endpoints} endpoints"
    )


def _metrics(verdict: TailVerdict, pooled: Pool) -> dict[str, Metric]:
    b = verdict.bounds
    return {
        "n": pooled.n,
        "timed_out_n": len(pooled.cut_ratios),
        "over_budget": verdict.over_budget,
        "p95_ratio": None if b.estimate_censored else round(b.estimate or 0.0, 4),
        "p95_ratio_lower": round(b.lower, 4) if b.lower is not None else None,
        "p95_ratio_upper": round(b.upper, 4) if b.upper is not None else None,
        "endpoints": pooled.endpoints,
        "decision": verdict.decision.value,
    }


def overall(
    recorded: Mapping[ProbeTarget, Sequence[Exchange]],
    stats: StatisticsSettings,
    errors: ErrorRateSettings,
    *,
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
    reachable: bool = True,
    cut: bool = False,
) -> CheckResult:
    """Every endpoint pooled, each time divided by its own P95 budget.

    The pooled P95 of those ratios is within 1.0 exactly when at most 5 % of all
    requests were slower than their endpoint's budget, the service-level reading of
    the runbook's "P95 > 500 ms". Pooling gives a slow tail spread thinly over many
    endpoints (10 % of requests at 1.2 s) the samples it takes to show. Timed-out
    requests are in it, as their cut-off over the budget.
    """
    pooled = pool(recorded, errors, upstream)
    n = pooled.n
    if not n:
        answered = any(recorded.values())
        why = "no successful response to time (see error_rate)" if answered else NOTHING_POOLED
        return CheckResult.skipped(LATENCY, why if reachable else UNREACHABLE)
    verdict = judge_tail(
        list(pooled.ratios),
        0.95,
        1.0,
        tail_test_for(0.95, stats),
        confidence(stats),
        list(pooled.cut_ratios),
    )
    over = verdict.over_budget
    excused = pooled.excused
    common = dict(
        budget="at most 5 % of requests over their endpoint's P95 budget (pooled P95 ≤ 1.0x)",
        observed=_observed(verdict, pooled),
        sample_size=n,
        details=[f"not counted, {upstream.note()}: {', '.join(excused)}"] if excused else [],
        metrics=_metrics(verdict, pooled),
    )
    if verdict.decision == Decision.PASS:
        return CheckResult.passed(LATENCY, "pooled P95 within every endpoint's budget", **common)
    if verdict.decision == Decision.FAIL:
        return CheckResult.failed(
            LATENCY,
            f"slow tail: {over} of {n} requests ({over / n * 100:.1f} %{text.timed_out(verdict)})"
            " exceeded their endpoint's P95 budget; a P95 budget allows 5 %",
            **common,
        )
    return CheckResult.warned(
        LATENCY,
        f"pooled P95 inconclusive after {n} samples: {text.count(verdict.more_to_pass, 'within')}"
        f" budget would pass it, {text.count(verdict.more_to_fail, 'over')} budget would fail it"
        + (f" ({DEADLINE_NOTE})" if cut else ""),
        **common,
    )
