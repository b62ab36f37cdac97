"""Distribution-free confidence bounds for a quantile, from order statistics.

For ``n`` independent samples, the ``k``-th smallest one ``X(k)`` lies at or above the
true ``q``-quantile ``ξ`` unless at least ``k`` samples fell below ``ξ``. Each sample
falls below ``ξ`` with probability at most ``q``, so

    P(X(k) >= ξ) >= P(Binomial(n, q) <= k - 1)      (upper bound)
    P(X(k) <= ξ) >= P(Binomial(n, q) >= k)          (lower bound)

whatever the latency distribution (ties only make the bounds more conservative).
The smallest ``k`` that reaches the wanted confidence gives the upper bound, the
largest such ``k`` the lower one. Too few samples give no bound at all: with every
sample fast, a P95 upper bound at 95 % needs ``n >= 59`` because ``0.95**59 < 0.05``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from synthcheck.stats.binomial import cdf, sf

__all__ = ["QuantileBounds", "lower_rank", "nearest_rank", "quantile_bounds", "upper_rank"]


def _check(q: float, confidence: float) -> None:
    if not 0.0 < q < 1.0:
        raise ValueError(f"quantile must be within (0, 1), got {q}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be within (0, 1), got {confidence}")


def upper_rank(n: int, q: float, confidence: float) -> int | None:
    """Smallest ``k`` with ``P(X(k) >= ξ_q) >= confidence``; None when even the max is not."""
    _check(q, confidence)
    low, high = 1, n
    if n == 0 or cdf(n, n - 1, q) < confidence:
        return None
    while low < high:  # cdf(n, k - 1, q) grows with k: bisect for the first k that reaches it
        middle = (low + high) // 2
        if cdf(n, middle - 1, q) >= confidence:
            high = middle
        else:
            low = middle + 1
    return low


def lower_rank(n: int, q: float, confidence: float) -> int | None:
    """Largest ``k`` with ``P(X(k) <= ξ_q) >= confidence``; None when even the min is not."""
    _check(q, confidence)
    low, high = 1, n
    if n == 0 or sf(n, 1, q) < confidence:
        return None
    while low < high:  # sf(n, k, q) shrinks as k grows: bisect for the last k that reaches it
        middle = (low + high + 1) // 2
        if sf(n, middle, q) >= confidence:
            low = middle
        else:
            high = middle - 1
    return low


def nearest_rank(ordered: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-quantile of sorted values: a value that was really observed."""
    if not ordered:
        raise ValueError("no values")
    rank = max(1, math.ceil(q * len(ordered) - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class QuantileBounds:
    """A quantile's estimate and its one-sided bounds (None: no bound at that confidence)."""

    quantile: float
    n: int
    estimate: float | None
    lower: float | None
    upper: float | None
    lower_confidence: float
    upper_confidence: float


def quantile_bounds(
    values: Sequence[float], q: float, *, lower_confidence: float, upper_confidence: float
) -> QuantileBounds:
    """Nearest-rank estimate plus order-statistic bounds at the two confidences."""
    ordered = sorted(values)
    n = len(ordered)
    low = lower_rank(n, q, lower_confidence)
    high = upper_rank(n, q, upper_confidence)
    return QuantileBounds(
        quantile=q,
        n=n,
        estimate=nearest_rank(ordered, q) if ordered else None,
        lower=ordered[low - 1] if low is not None else None,
        upper=ordered[high - 1] if high is not None else None,
        lower_confidence=lower_confidence,
        upper_confidence=upper_confidence,
    )
