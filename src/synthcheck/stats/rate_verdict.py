"""Is a failure rate within budget? The SPRT decides, the Wilson interval is reported."""

from __future__ import annotations

from dataclasses import dataclass

from synthcheck.stats.decision import Decision
from synthcheck.stats.proportion import wilson_interval
from synthcheck.stats.sprt import BernoulliSPRT, rate_test

__all__ = ["RatePolicy", "RateVerdict", "judge_rate"]


@dataclass(frozen=True)
class RatePolicy:
    """Where the SPRT's two hypotheses sit relative to the budget, and its two risks.

    The defaults meet the issue's goals for a 5 % budget: at most 1 % false fails
    at a true rate of 2 %, at least 99 % fails at 10 % (benchmarks/bench_decisions.py).
    """

    healthy_fraction: float = 0.4  # p0 = 0.4 x budget: 2 % for a 5 % budget
    failing_multiple: float = 1.8  # p1 = 1.8 x budget: 9 % for a 5 % budget
    false_fail: float = 0.01  # alpha: P(fail) at p0
    false_pass: float = 0.01  # beta: P(pass) at p1
    interval_confidence: float = 0.95  # of the Wilson interval in reports


@dataclass(frozen=True)
class RateVerdict:
    n: int
    errors: int
    budget: float
    decision: Decision
    interval: tuple[float, float]  # Wilson, two-sided, at the policy's interval_confidence
    test: BernoulliSPRT | None
    more_to_pass: int = 0
    more_to_fail: int = 0

    @property
    def rate(self) -> float:
        return self.errors / self.n if self.n else 0.0

    @property
    def more_needed(self) -> int:
        """0 once decided; else the requests that would decide it the way it leans."""
        if self.decision != Decision.INCONCLUSIVE:
            return 0
        leaning_pass = self.rate <= self.budget
        return max(1, self.more_to_pass if leaning_pass else self.more_to_fail)


def judge_rate(n: int, errors: int, budget: float, policy: RatePolicy) -> RateVerdict:
    """Decide ``rate <= budget`` from ``errors`` in ``n`` requests."""
    interval = wilson_interval(errors, n, policy.interval_confidence)
    test = rate_test(
        budget,
        healthy_fraction=policy.healthy_fraction,
        failing_multiple=policy.failing_multiple,
        false_fail=policy.false_fail,
        false_pass=policy.false_pass,
    )
    if test is None:
        return RateVerdict(n, errors, budget, Decision.PASS, interval, None)
    decision = test.decide(n, errors)
    if decision != Decision.INCONCLUSIVE:
        return RateVerdict(n, errors, budget, decision, interval, test)
    return RateVerdict(
        n,
        errors,
        budget,
        decision,
        interval,
        test,
        more_to_pass=test.more_to_pass(n, errors),
        more_to_fail=test.more_to_fail(n, errors),
    )
