"""Performance against a baseline: the candidate's latency vs the stable version's.

The comparison is the automated-canary-analysis one (Mann-Whitney U, allowed and
critical increase factors): pass, marginal (a warning) or fail, with the effect size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synthcheck.catalog import Category
from synthcheck.compare import ComparisonVerdict, compare_latency
from synthcheck.config import BaselineSettings
from synthcheck.plan import ProbeTarget
from synthcheck.verdicts.result import CheckResult, Metric

__all__ = ["MIN_SAMPLES", "against_baseline"]

MIN_SAMPLES = 8  # below this a rank test cannot reach any useful significance


def against_baseline(
    target: ProbeTarget,
    candidate_ms: Sequence[float],
    baseline_ms: Sequence[float],
    settings: BaselineSettings,
    source: str,
) -> CheckResult:
    budget = (
        f"candidate/baseline ≤ {settings.allowed_increase:g}x (fail above"
        f" {settings.critical_increase:g}x, one-sided Mann-Whitney U, alpha {settings.alpha:g})"
    )
    if len(candidate_ms) < MIN_SAMPLES or len(baseline_ms) < MIN_SAMPLES:
        return CheckResult.skipped(
            Category.LATENCY,
            f"too few samples to compare {target.id} with {source}"
            f" ({len(candidate_ms)} vs {len(baseline_ms)}, need {MIN_SAMPLES} each)",
            endpoint=target.id,
            budget=budget,
        )
    result = compare_latency(
        baseline_ms,
        candidate_ms,
        allowed_factor=settings.allowed_increase,
        critical_factor=settings.critical_increase,
        alpha=settings.alpha,
    )
    metrics: dict[str, Metric] = {
        "ratio": round(result.ratio, 4),
        "p_value": result.p_value,
        "probability_slower": round(result.probability_slower, 4),
        "n_candidate": result.n_candidate,
        "n_baseline": result.n_baseline,
    }
    common: dict[str, Any] = dict(
        endpoint=target.id,
        budget=budget,
        observed=result.describe(),
        sample_size=result.n_candidate,
        metrics=metrics,
    )
    if result.verdict == ComparisonVerdict.FAIL:
        return CheckResult.failed(
            Category.LATENCY,
            f"{target.id} is {result.ratio:.2f}x slower than {source}",
            **common,
        )
    if result.verdict == ComparisonVerdict.MARGINAL:
        return CheckResult.warned(
            Category.LATENCY,
            f"{target.id} is marginally slower than {source} ({result.ratio:.2f}x)",
            **common,
        )
    return CheckResult.passed(
        Category.LATENCY, f"{target.id} is as fast as {source} ({result.ratio:.2f}x)", **common
    )
