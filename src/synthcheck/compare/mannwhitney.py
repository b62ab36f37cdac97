"""Mann-Whitney U comparison of two latency samples, as automated canary analysis does it.

The question is one-sided: is the candidate slower than the baseline? The test makes
no assumption about the shape of either distribution (latency never is normal). The
size of the change is the Hodges-Lehmann estimate of the ratio candidate/baseline
(the median of all pairwise ratios), which is what the allowed and critical increase
factors are compared with: a difference that is significant but tiny passes, one
that is large but not significant (too few samples) is not called a regression.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Comparison", "ComparisonVerdict", "compare_latency", "mann_whitney_u"]

# Enough for a stable estimate; beyond this, pairs (n1*n2) cost more than they tell.
_MAX_SAMPLES = 2000


class ComparisonVerdict(StrEnum):
    PASS = "pass"
    MARGINAL = "marginal"
    FAIL = "fail"


@dataclass(frozen=True)
class Comparison:
    verdict: ComparisonVerdict
    ratio: float  # Hodges-Lehmann estimate of candidate/baseline
    p_value: float  # one-sided: candidate slower than baseline
    probability_slower: float  # P(candidate > baseline), the common-language effect size
    n_baseline: int
    n_candidate: int
    allowed_factor: float
    critical_factor: float
    alpha: float

    def describe(self) -> str:
        return (
            f"candidate/baseline = {self.ratio:.2f}x (Hodges-Lehmann), p = {self.p_value:.3g}"
            f" (one-sided Mann-Whitney U), P(slower) = {self.probability_slower:.2f},"
            f" n = {self.n_candidate} vs {self.n_baseline}"
        )


def _ranks(values: Sequence[float]) -> tuple[list[float], float]:
    """Average ranks (1-based) and the tie correction term sum(t^3 - t)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    ties = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        average = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = average
        size = j - i + 1
        ties += size**3 - size
        i = j + 1
    return ranks, ties


def mann_whitney_u(baseline: Sequence[float], candidate: Sequence[float]) -> tuple[float, float]:
    """(U of the candidate, one-sided p-value that the candidate is stochastically larger).

    Normal approximation with tie and continuity corrections; fine from about 8
    samples a side, which is far below what a verify run collects.
    """
    n1, n2 = len(candidate), len(baseline)
    if n1 == 0 or n2 == 0:
        raise ValueError("both samples need at least one value")
    ranks, ties = _ranks([*candidate, *baseline])
    u = sum(ranks[:n1]) - n1 * (n1 + 1) / 2
    mean = n1 * n2 / 2
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))) if n > 1 else 0.0
    if variance <= 0:
        return u, 0.5
    z = (u - mean - 0.5) / math.sqrt(variance)
    return u, 0.5 * math.erfc(z / math.sqrt(2))


def _hodges_lehmann_ratio(baseline: Sequence[float], candidate: Sequence[float]) -> float:
    floor = 1e-6  # a 0 ms sample would make the log undefined
    logs_b = [math.log(max(b, floor)) for b in baseline]
    logs_c = [math.log(max(c, floor)) for c in candidate]
    diffs = sorted(c - b for c in logs_c for b in logs_b)
    middle = len(diffs) // 2
    median = diffs[middle] if len(diffs) % 2 else (diffs[middle - 1] + diffs[middle]) / 2
    return math.exp(median)


def _subsample(values: Sequence[float], seed: int) -> list[float]:
    if len(values) <= _MAX_SAMPLES:
        return list(values)
    return random.Random(seed).sample(list(values), _MAX_SAMPLES)


def compare_latency(
    baseline: Sequence[float],
    candidate: Sequence[float],
    *,
    allowed_factor: float = 1.2,
    critical_factor: float = 1.5,
    alpha: float = 0.01,
) -> Comparison:
    """Pass / marginal / fail for a candidate's latencies against a baseline's."""
    if allowed_factor < 1 or critical_factor < allowed_factor:
        raise ValueError("need 1 <= allowed_factor <= critical_factor")
    base = _subsample(baseline, 1)
    cand = _subsample(candidate, 2)
    u, p = mann_whitney_u(base, cand)
    ratio = _hodges_lehmann_ratio(base, cand)
    significant = p < alpha
    if significant and ratio >= critical_factor:
        verdict = ComparisonVerdict.FAIL
    elif significant and ratio >= allowed_factor:
        verdict = ComparisonVerdict.MARGINAL
    else:
        verdict = ComparisonVerdict.PASS
    return Comparison(
        verdict=verdict,
        ratio=ratio,
        p_value=p,
        probability_slower=u / (len(base) * len(cand)),
        n_baseline=len(base),
        n_candidate=len(cand),
        allowed_factor=allowed_factor,
        critical_factor=critical_factor,
        alpha=alpha,
    )
