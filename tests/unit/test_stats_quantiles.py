"""Order-statistic bounds for quantiles, checked by brute force against exact binomials."""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache

import pytest

from synthcheck.stats import (
    Confidence,
    Decision,
    judge_quantile,
    lower_rank,
    nearest_rank,
    quantile_bounds,
    upper_rank,
)
from synthcheck.stats.quantile_test import more_to_fail, more_to_pass

STRICT = Confidence(pass_level=0.95, fail_level=0.999)


@cache
def exact_cdfs(n: int, q: Fraction) -> list[Fraction]:
    out, running = [], Fraction(0)
    for i in range(n + 1):
        running += math.comb(n, i) * q**i * (1 - q) ** (n - i)
        out.append(running)
    return out


def exact_cdf(n: int, k: int, q: Fraction) -> Fraction:
    return exact_cdfs(n, q)[k] if k >= 0 else Fraction(0)


def brute_upper(n: int, q: Fraction, conf: Fraction) -> int | None:
    return next((k for k in range(1, n + 1) if exact_cdf(n, k - 1, q) >= conf), None)


def brute_lower(n: int, q: Fraction, conf: Fraction) -> int | None:
    ranks = [k for k in range(1, n + 1) if 1 - exact_cdf(n, k - 1, q) >= conf]
    return max(ranks) if ranks else None


@pytest.mark.parametrize("q", [Fraction(1, 2), Fraction(19, 20), Fraction(99, 100)], ids=str)
@pytest.mark.parametrize("conf", [Fraction(9, 10), Fraction(19, 20), Fraction(999, 1000)], ids=str)
def test_ranks_match_brute_force(q: Fraction, conf: Fraction) -> None:
    for n in [*range(1, 70), 93, 120, 150]:
        assert upper_rank(n, float(q), float(conf)) == brute_upper(n, q, conf), n
        assert lower_rank(n, float(q), float(conf)) == brute_lower(n, q, conf), n


def test_known_ranks() -> None:
    assert upper_rank(58, 0.95, 0.95) is None  # 0.95**58 > 0.05: no upper bound yet
    assert upper_rank(59, 0.95, 0.95) == 59  # the maximum
    assert upper_rank(93, 0.95, 0.95) == 92  # one sample may be over budget
    assert upper_rank(10, 0.5, 0.95) == 9  # median, n=10: X(9)
    assert lower_rank(2, 0.95, 0.999) is None
    assert lower_rank(3, 0.95, 0.999) == 1  # 1 - 0.05**3 >= 0.999


def test_bounds_are_observed_order_statistics() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # 1..100 shuffled by reversal
    bounds = quantile_bounds(values, 0.95, lower_confidence=0.999, upper_confidence=0.95)
    assert bounds.estimate == 95.0
    assert bounds.n == 100
    assert bounds.upper == float(upper_rank(100, 0.95, 0.95) or 0)
    assert bounds.lower == float(lower_rank(100, 0.95, 0.999) or 0)
    assert bounds.lower is not None
    assert bounds.upper is not None
    assert bounds.lower < 95.0 < bounds.upper


def test_nearest_rank() -> None:
    assert nearest_rank([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0
    assert nearest_rank([1.0, 2.0, 3.0, 4.0], 0.95) == 4.0
    with pytest.raises(ValueError, match="no values"):
        nearest_rank([], 0.5)


def test_all_fast_passes_from_59_samples_on() -> None:
    assert judge_quantile([3.0] * 59, 0.95, 500.0, STRICT).decision == Decision.PASS
    short = judge_quantile([3.0] * 58, 0.95, 500.0, STRICT)
    assert short.decision == Decision.INCONCLUSIVE
    assert short.more_to_pass == 1
    assert short.more_needed == 1


def test_all_slow_fails_from_3_samples_on() -> None:
    assert judge_quantile([900.0] * 3, 0.95, 500.0, STRICT).decision == Decision.FAIL
    two = judge_quantile([900.0] * 2, 0.95, 500.0, STRICT)
    assert two.decision == Decision.INCONCLUSIVE
    assert two.more_to_fail == 1
    assert two.more_needed == 1  # leans to fail: its estimate is over budget


def test_budget_is_inclusive() -> None:
    assert judge_quantile([500.0] * 59, 0.95, 500.0, STRICT).decision == Decision.PASS


@pytest.mark.parametrize(("n", "over"), [(10, 0), (22, 1), (40, 2), (60, 3), (80, 5), (30, 3)])
def test_more_samples_is_exact(n: int, over: int) -> None:
    """The smallest m whose all-fast (all-slow) continuation decides, found by brute force."""
    values = [1.0] * (n - over) + [900.0] * over
    verdict = judge_quantile(values, 0.95, 500.0, STRICT)
    assert verdict.decision == Decision.INCONCLUSIVE
    to_pass = verdict.more_to_pass
    to_fail = verdict.more_to_fail
    assert to_pass is not None
    assert to_fail is not None

    def decision(extra: list[float]) -> Decision:
        return judge_quantile(values + extra, 0.95, 500.0, STRICT).decision

    assert decision([1.0] * to_pass) == Decision.PASS
    assert decision([1.0] * (to_pass - 1)) != Decision.PASS
    assert decision([900.0] * to_fail) == Decision.FAIL
    assert decision([900.0] * (to_fail - 1)) != Decision.FAIL


def test_more_samples_helpers_directly() -> None:
    assert more_to_pass(0, 0, 0.95, 0.95) == 59
    assert more_to_fail(0, 0, 0.95, 0.999) == 3


def test_p50_and_p99() -> None:
    fast = [10.0] * 298
    assert judge_quantile(fast, 0.99, 50.0, STRICT).decision == Decision.INCONCLUSIVE
    assert (
        judge_quantile([*fast, 10.0], 0.99, 50.0, STRICT).decision == Decision.PASS
    )  # 0.99**299 < .05
    half_slow = [10.0] * 10 + [90.0] * 10
    assert judge_quantile(half_slow, 0.5, 50.0, STRICT).decision == Decision.INCONCLUSIVE
    assert judge_quantile([90.0] * 12, 0.5, 50.0, STRICT).decision == Decision.FAIL


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="quantile"):
        upper_rank(10, 1.0, 0.95)
    with pytest.raises(ValueError, match="confidence"):
        lower_rank(10, 0.5, 1.0)
    with pytest.raises(ValueError, match="pass_level"):
        Confidence(pass_level=0.2)
