"""Is a latency quantile within budget? Pass, fail or "not enough evidence yet".

fail          the quantile's lower bound (at ``fail_level``) is over the budget
pass          its upper bound (at ``pass_level``) is at or under the budget
inconclusive  otherwise; the verdict says how many more samples would decide it

Only the count of samples over the budget matters, so "how many more" is exact:
the smallest number of further samples, all under (or all over) the budget, that
would move the bound across it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from synthcheck.stats.decision import Confidence, Decision, samples_to_decide
from synthcheck.stats.quantiles import QuantileBounds, lower_rank, quantile_bounds, upper_rank

__all__ = ["SEARCH_LIMIT", "QuantileVerdict", "judge_quantile", "more_to_fail", "more_to_pass"]

# "How many more samples" is searched up to here; beyond it the answer is "too many".
SEARCH_LIMIT = 10_000


def _passes(n: int, under: int, q: float, level: float) -> bool:
    rank = upper_rank(n, q, level)
    return rank is not None and rank <= under  # the rank-th smallest sample is within budget


def _fails(n: int, under: int, q: float, level: float) -> bool:
    rank = lower_rank(n, q, level)
    return rank is not None and rank > under  # the rank-th smallest sample is over budget


def _first(check: Callable[[int], bool], limit: int) -> int | None:
    """Smallest m in [0, limit] with check(m), for a check that stays true once true."""
    if check(0):
        return 0
    high = 1
    while not check(high):
        if high >= limit:
            return None
        high = min(high * 2, limit)
    low = high // 2 + 1 if high > 1 else 1
    while low < high:
        middle = (low + high) // 2
        if check(middle):
            high = middle
        else:
            low = middle + 1
    return low


def more_to_pass(n: int, under: int, q: float, level: float) -> int | None:
    """Further samples, all within budget, that would make the verdict pass (None: too many)."""
    return _first(lambda m: _passes(n + m, under + m, q, level), SEARCH_LIMIT)


def more_to_fail(n: int, under: int, q: float, level: float) -> int | None:
    """Further samples, all over budget, that would make the verdict fail (None: too many)."""
    return _first(lambda m: _fails(n + m, under, q, level), SEARCH_LIMIT)


@dataclass(frozen=True)
class QuantileVerdict:
    bounds: QuantileBounds
    budget: float
    over_budget: int
    decision: Decision
    more_to_pass: int | None = None
    more_to_fail: int | None = None

    @property
    def n(self) -> int:
        return self.bounds.n

    @property
    def more_needed(self) -> int:
        """0 once decided; else the samples that would decide it the way it leans."""
        if self.decision != Decision.INCONCLUSIVE:
            return 0
        estimate = self.bounds.estimate
        leaning_pass = estimate is None or estimate <= self.budget
        return samples_to_decide(leaning_pass, self.more_to_pass, self.more_to_fail, SEARCH_LIMIT)


def judge_quantile(
    values: Sequence[float], q: float, budget: float, confidence: Confidence
) -> QuantileVerdict:
    """Decide ``quantile(q) <= budget`` from samples, with order-statistic bounds."""
    bounds = quantile_bounds(
        values, q, lower_confidence=confidence.fail_level, upper_confidence=confidence.pass_level
    )
    n = bounds.n
    over = sum(1 for v in values if v > budget)
    under = n - over
    if _fails(n, under, q, confidence.fail_level):
        return QuantileVerdict(bounds, budget, over, Decision.FAIL)
    if _passes(n, under, q, confidence.pass_level):
        return QuantileVerdict(bounds, budget, over, Decision.PASS)
    return QuantileVerdict(
        bounds,
        budget,
        over,
        Decision.INCONCLUSIVE,
        more_to_pass=more_to_pass(n, under, q, confidence.pass_level),
        more_to_fail=more_to_fail(n, under, q, confidence.fail_level),
    )
