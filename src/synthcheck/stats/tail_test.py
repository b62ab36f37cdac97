"""Is at most a fraction ``tail`` of requests over budget? A sequential test decides.

"P95 <= budget" holds exactly when at most 5 % of requests take longer than the
budget: the binomial question the error-rate SPRT answers, with the allowed
fraction ``tail = 1 - q`` (5 % for P95, 1 % for P99, 50 % for P50) as the boundary.
Each request is "over" or "within"; the test compares the boundary ``p0 = tail``
with failing alternatives and stops as soon as one side is sure:

fail  the mixture likelihood ratio ``w * L(p1) / L(p0) + (1 - w) * L(p2) / L(p0)``
      reaches ``1 / alpha``. ``p1 = failing_multiple * tail`` (10 % for P95) is where
      the test is most efficient; ``p2 = (1 + tail) / 2`` (about half of all requests
      over) makes a grossly slow endpoint fail in a handful of samples (4 of 4 timed
      out) instead of the ~9 that ``p1`` alone would need.
pass  the likelihood ratio of ``p1`` alone falls to ``beta``.

Both ratios are non-negative martingales when the true fraction is ``p0`` (``p1``
for the pass side) and supermartingales beyond it, so by Ville's inequality the
risks hold however often the sampler looks: P(ever fail) <= alpha for any endpoint
at or under its budget, P(ever pass) <= beta for any at or over ``p1``. No
truncation rule: at ``max_samples`` an undecided test stays undecided (a warning).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from synthcheck.stats.decision import Decision

__all__ = ["TAIL_SEARCH_LIMIT", "TailTest", "tail_test"]

TAIL_SEARCH_LIMIT = 10_000
_GROSS_WEIGHT = 0.2  # share of the mixture on p2; costs ln(1/0.8) = 0.22 nats at p1


@dataclass(frozen=True)
class TailTest:
    tail: float  # p0: the allowed fraction over budget (1 - q)
    near: float  # p1: the failing fraction the test is tuned for
    far: float  # p2: a grossly failing fraction (>= near)
    alpha: float  # P(ever fail) at p <= tail
    beta: float  # P(ever pass) at p >= near
    near_weight: float = 1.0 - _GROSS_WEIGHT

    def __post_init__(self) -> None:
        if not 0.0 < self.tail < self.near <= self.far < 1.0:
            raise ValueError(
                f"need 0 < tail < near <= far < 1, got {self.tail}, {self.near}, {self.far}"
            )
        if not (0.0 < self.alpha < 1.0 and 0.0 < self.beta < 1.0):
            raise ValueError("alpha and beta must be within (0, 1)")

    def _llr(self, p: float, n: int, over: int) -> float:
        if not 0 <= over <= n:
            raise ValueError(f"over must be within [0, n], got {over} of {n}")
        within = n - over
        return over * math.log(p / self.tail) + within * (math.log1p(-p) - math.log1p(-self.tail))

    def fail_statistic(self, n: int, over: int) -> float:
        """ln of the mixture likelihood ratio against the boundary."""
        near = math.log(self.near_weight) + self._llr(self.near, n, over)
        if self.far <= self.near:
            return self._llr(self.near, n, over)
        far = math.log1p(-self.near_weight) + self._llr(self.far, n, over)
        top = max(near, far)
        return top + math.log(math.exp(near - top) + math.exp(far - top))

    def pass_statistic(self, n: int, over: int) -> float:
        """ln of the likelihood ratio of ``near`` against the boundary."""
        return self._llr(self.near, n, over)

    @property
    def fail_bound(self) -> float:
        return -math.log(self.alpha)

    @property
    def pass_bound(self) -> float:
        return math.log(self.beta)

    def fails(self, n: int, over: int) -> bool:
        return self.fail_statistic(n, over) >= self.fail_bound

    def passes(self, n: int, over: int) -> bool:
        return self.pass_statistic(n, over) <= self.pass_bound

    def decide(self, n: int, over: int, unknown: int = 0) -> Decision:
        """``over`` surely over budget, ``unknown`` maybe (cut off before the budget).

        A fail counts only the sure ones, a pass counts the unknown as over: each
        decision is taken on the reading least favourable to it.
        """
        if self.fails(n, over):
            return Decision.FAIL
        if self.passes(n, over + unknown):
            return Decision.PASS
        return Decision.INCONCLUSIVE

    def more_to_pass(self, n: int, over: int) -> int | None:
        """Further requests, all within budget, that would pass it (None: too many)."""
        gap = self.pass_statistic(n, over) - self.pass_bound
        if gap <= 0:
            return 0
        step = math.log1p(-self.tail) - math.log1p(-self.near)
        more = math.ceil(gap / step - 1e-9)
        return more if more <= TAIL_SEARCH_LIMIT else None

    def more_to_fail(self, n: int, over: int) -> int | None:
        """Further requests, all over budget, that would fail it (None: too many)."""
        for more in range(TAIL_SEARCH_LIMIT + 1):
            if self.fails(n + more, over + more):
                return more
        return None


def tail_test(
    q: float, *, false_fail: float, false_pass: float, failing_multiple: float
) -> TailTest:
    """The test for "quantile ``q`` <= budget": at most ``1 - q`` of requests over it.

    ``near = failing_multiple * (1 - q)``, at most halfway between the boundary and 1
    (P50: 75 %); ``far = (1 + (1 - q)) / 2``.
    """
    if not 0.0 < q < 1.0:
        raise ValueError(f"quantile must be within (0, 1), got {q}")
    if failing_multiple <= 1.0:
        raise ValueError(f"failing_multiple must be above 1, got {failing_multiple}")
    tail = 1.0 - q
    far = (1.0 + tail) / 2.0
    near = min(tail * failing_multiple, far)
    return TailTest(tail=tail, near=near, far=far, alpha=false_fail, beta=false_pass)
