"""Wald's sequential probability ratio test for a failure rate (errors, slow requests).

Two hypotheses around the budget ``b``: the rate is healthy (``p0``, below ``b``) or
clearly failing (``p1``, above it). Every request moves the log-likelihood ratio

    an error:    + ln(p1 / p0)
    a success:   + ln((1 - p1) / (1 - p0))        (negative)

and the test stops as soon as the ratio leaves the band between

    pass bound   ln(beta / (1 - alpha))
    fail bound   ln((1 - beta) / alpha)

where ``alpha`` is the false-fail risk at ``p0`` and ``beta`` the false-pass risk at
``p1``. The verdict is read from the ratio after the last request, so extra requests
sent for another verdict on the same endpoint can move it back to "inconclusive"
(and sampling goes on) but never make a decision less safe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from synthcheck.stats.decision import Decision

__all__ = ["BernoulliSPRT", "rate_test"]


@dataclass(frozen=True)
class BernoulliSPRT:
    p0: float
    p1: float
    alpha: float
    beta: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.p0 < self.p1 < 1.0:
            raise ValueError(f"need 0 <= p0 < p1 < 1, got p0={self.p0}, p1={self.p1}")
        if not (0.0 < self.alpha < 1.0 and 0.0 < self.beta < 1.0):
            raise ValueError("alpha and beta must be within (0, 1)")

    @property
    def fail_bound(self) -> float:
        return math.log((1.0 - self.beta) / self.alpha)

    @property
    def pass_bound(self) -> float:
        return math.log(self.beta / (1.0 - self.alpha))

    @property
    def error_step(self) -> float:
        return math.inf if self.p0 == 0.0 else math.log(self.p1 / self.p0)

    @property
    def success_step(self) -> float:
        return math.log1p(-self.p1) - math.log1p(-self.p0)

    def llr(self, n: int, errors: int) -> float:
        """Log-likelihood ratio of ``p1`` against ``p0`` after ``errors`` in ``n`` requests."""
        if errors < 0 or errors > n:
            raise ValueError(f"errors must be within [0, n], got {errors} of {n}")
        successes = n - errors
        if errors == 0:
            return successes * self.success_step
        return errors * self.error_step + successes * self.success_step

    def decide(self, n: int, errors: int) -> Decision:
        ratio = self.llr(n, errors)
        if ratio >= self.fail_bound:
            return Decision.FAIL
        if ratio <= self.pass_bound:
            return Decision.PASS
        return Decision.INCONCLUSIVE

    def more_to_pass(self, n: int, errors: int) -> int:
        """Further requests, all successful, that would bring the ratio to the pass bound."""
        gap = self.llr(n, errors) - self.pass_bound
        return max(0, math.ceil(gap / -self.success_step - 1e-9))

    def more_to_fail(self, n: int, errors: int) -> int:
        """Further requests, all failing, that would bring the ratio to the fail bound."""
        gap = self.fail_bound - self.llr(n, errors)
        if gap <= 0:
            return 0
        return 1 if math.isinf(self.error_step) else math.ceil(gap / self.error_step - 1e-9)


def rate_test(
    budget: float,
    *,
    healthy_fraction: float,
    failing_multiple: float,
    false_fail: float,
    false_pass: float,
) -> BernoulliSPRT | None:
    """The SPRT for "rate <= budget"; None when the budget allows everything (>= 100 %).

    ``p0 = healthy_fraction * budget`` and ``p1 = failing_multiple * budget`` (at least
    1 %, at most halfway between the budget and 100 %); a zero budget makes ``p0`` zero,
    so the first error fails it.
    """
    if budget >= 1.0:
        return None
    p1 = min(max(budget * failing_multiple, 0.01), (1.0 + budget) / 2.0)
    p0 = min(budget * healthy_fraction, p1 / 2.0)
    return BernoulliSPRT(p0=p0, p1=p1, alpha=false_fail, beta=false_pass)
