"""Exact binomial probabilities, the ground truth every decision here rests on.

The order-statistic intervals and the exact tests only need cumulative
probabilities of ``Binomial(n, p)``. They are computed term by term in log space
(``lgamma``), so ``n`` in the thousands neither overflows nor underflows, and
cached per ``(n, p)`` because a run asks the same sizes again and again.
"""

from __future__ import annotations

import math
from functools import lru_cache

__all__ = ["cdf", "pmf", "sf"]


def _check(n: int, p: float) -> None:
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be within [0, 1], got {p}")


def pmf(n: int, k: int, p: float) -> float:
    """P(X = k) for X ~ Binomial(n, p)."""
    _check(n, p)
    if k < 0 or k > n:
        return 0.0
    if p in (0.0, 1.0):
        return 1.0 if k == (0 if p == 0.0 else n) else 0.0
    log_comb = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    return math.exp(log_comb + k * math.log(p) + (n - k) * math.log1p(-p))


@lru_cache(maxsize=4096)
def _cumulative(n: int, p: float) -> tuple[float, ...]:
    """(P(X <= 0), ..., P(X <= n)), each clipped to [0, 1]."""
    running = 0.0
    out = []
    for k in range(n + 1):
        running += pmf(n, k, p)
        out.append(min(running, 1.0))
    return tuple(out)


@lru_cache(maxsize=4096)
def _survival(n: int, p: float) -> tuple[float, ...]:
    """(P(X >= 0), ..., P(X >= n)), summed from the top so small tails stay exact."""
    running = 0.0
    out = [0.0] * (n + 1)
    for k in range(n, -1, -1):
        running += pmf(n, k, p)
        out[k] = min(running, 1.0)
    return tuple(out)


def cdf(n: int, k: int, p: float) -> float:
    """P(X <= k)."""
    _check(n, p)
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return _cumulative(n, p)[k]


def sf(n: int, k: int, p: float) -> float:
    """P(X >= k)."""
    _check(n, p)
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    return _survival(n, p)[k]
