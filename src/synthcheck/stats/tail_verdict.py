"""Is a latency quantile within budget? The tail test decides, the bounds are reported.

"P95 <= budget" is "at most 5 % of requests over budget": the sequential test of
``tail_test`` decides it from the count over budget, and the order-statistic
interval (``quantiles``) is what the verdict shows. A request cut off after T
seconds (a timeout) is a sample "at least T": over budget when T is, otherwise of
unknown side (a fail does not count it, a pass counts it as over).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from synthcheck.stats.decision import Confidence, Decision, samples_to_decide
from synthcheck.stats.quantiles import QuantileBounds, censored_bounds
from synthcheck.stats.tail_test import TAIL_SEARCH_LIMIT, TailTest

__all__ = ["TailVerdict", "judge_tail"]


@dataclass(frozen=True)
class TailVerdict:
    bounds: QuantileBounds  # order-statistic interval, for reports
    budget: float
    over_budget: int  # surely over: measured over, or cut off after the budget
    unknown: int  # cut off at or before the budget: either side
    censored: int  # every cut-off sample, over or unknown
    decision: Decision
    test: TailTest
    more_to_pass: int | None = None
    more_to_fail: int | None = None

    @property
    def n(self) -> int:
        return self.bounds.n

    @property
    def all_censored(self) -> bool:
        return self.n > 0 and self.censored == self.n

    @property
    def more_needed(self) -> int:
        """0 once decided; else the samples that would decide it the way it leans."""
        if self.decision != Decision.INCONCLUSIVE:
            return 0
        leaning_pass = self.n == 0 or (self.over_budget + self.unknown) / self.n <= self.test.tail
        return samples_to_decide(
            leaning_pass, self.more_to_pass, self.more_to_fail, TAIL_SEARCH_LIMIT
        )


def judge_tail(
    values: Sequence[float],
    q: float,
    budget: float,
    test: TailTest,
    confidence: Confidence,
    cut_off: Sequence[float] = (),
) -> TailVerdict:
    """Decide ``quantile(q) <= budget`` from measured ``values`` and ``cut_off`` samples."""
    bounds = censored_bounds(
        values,
        cut_off,
        q,
        lower_confidence=confidence.fail_level,
        upper_confidence=confidence.pass_level,
    )
    n = bounds.n
    over = sum(1 for v in values if v > budget) + sum(1 for t in cut_off if t > budget)
    unknown = sum(1 for t in cut_off if t <= budget)
    decision = test.decide(n, over, unknown)
    verdict = TailVerdict(bounds, budget, over, unknown, len(cut_off), decision, test)
    if decision != Decision.INCONCLUSIVE:
        return verdict
    return TailVerdict(
        bounds,
        budget,
        over,
        unknown,
        len(cut_off),
        decision,
        test,
        more_to_pass=test.more_to_pass(n, over + unknown),
        more_to_fail=test.more_to_fail(n, over),
    )
