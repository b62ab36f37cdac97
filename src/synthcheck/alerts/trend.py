"""A robust trend for alert rules over the history: Theil-Sen slope and Sen's bound.

The Theil-Sen slope is the median of the pairwise slopes: one odd run or a GC
sawtooth does not move it. Its one-sided lower confidence bound is an order
statistic of those slopes (Sen 1968, from the variance of Kendall's S); the
``memory_trend`` rule (rules.py) fires when that bound shows growth.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from statistics import NormalDist

__all__ = ["sen_lower_bound"]


def sen_lower_bound(
    points: Sequence[tuple[float, float]], confidence: float
) -> tuple[float, float]:
    """(Theil-Sen slope, its one-sided lower bound at ``confidence``) of (x, y) points.

    The bound is the order statistic of the pairwise slopes that Sen (1968) derives
    from the variance of Kendall's S (no ties correction; x values are distinct times).
    """
    slopes = sorted(
        (y2 - y1) / (x2 - x1)
        for i, (x1, y1) in enumerate(points)
        for x2, y2 in points[i + 1 :]
        if x2 != x1
    )
    if not slopes:
        return 0.0, -math.inf
    n = len(points)
    z = NormalDist().inv_cdf(confidence)
    c = z * math.sqrt(n * (n - 1) * (2 * n + 5) / 18.0)
    rank = math.floor((len(slopes) - c) / 2.0)  # 1-based rank of the lower bound
    lower = slopes[rank - 1] if rank >= 1 else -math.inf
    return statistics.median(slopes), lower
