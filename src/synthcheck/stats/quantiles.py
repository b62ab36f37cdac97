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

__all__ = [
    "QuantileBounds",
    "censored_bounds",
    "lower_rank",
    "nearest_rank",
    "quantile_bounds",
    "upper_rank",
]


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
    # A cut-off (timed-out) sample sits at the lower bound or the estimate: the value
    # shown is the time it was cut off after, the quantile is at least that.
    lower_censored: bool = False
    estimate_censored: bool = False


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


def censored_bounds(
    values: Sequence[float],
    cut_off: Sequence[float],
    q: float,
    *,
    lower_confidence: float,
    upper_confidence: float,
) -> QuantileBounds:
    """The same bounds with censored samples: each of ``cut_off`` is "at least T".

    Read as T, every sample is at or under its true value, so the lower bound and the
    estimate stay valid lower values; read as +inf, at or over it, so the upper bound
    stays valid (None when it lands on a cut-off sample). Where the two readings
    differ, the value shown is a cut-off and flagged as such.
    """
    if not cut_off:
        return quantile_bounds(
            values, q, lower_confidence=lower_confidence, upper_confidence=upper_confidence
        )
    low_read = sorted([*values, *cut_off])
    high_read = sorted([*values, *(math.inf for _ in cut_off)])
    n = len(low_read)
    low = lower_rank(n, q, lower_confidence)
    high = upper_rank(n, q, upper_confidence)
    estimate = nearest_rank(low_read, q)
    upper = high_read[high - 1] if high is not None else None
    return QuantileBounds(
        quantile=q,
        n=n,
        estimate=estimate,
        lower=low_read[low - 1] if low is not None else None,
        upper=upper if upper is not None and math.isfinite(upper) else None,
        lower_confidence=lower_confidence,
        upper_confidence=upper_confidence,
        lower_censored=low is not None and low_read[low - 1] != high_read[low - 1],
        estimate_censored=estimate != nearest_rank(high_read, q),
    )
