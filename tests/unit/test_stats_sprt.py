"""The error-rate SPRT and the Wilson interval, against closed forms and exact DP."""

from __future__ import annotations

import math

import pytest

from synthcheck.stats import (
    BernoulliSPRT,
    Decision,
    RatePolicy,
    judge_rate,
    rate_test,
    wilson_interval,
)

POLICY = RatePolicy()  # 5 % budget: p0 2 %, p1 9 %, 1 % risk each way
TEST = rate_test(
    0.05,
    healthy_fraction=POLICY.healthy_fraction,
    failing_multiple=POLICY.failing_multiple,
    false_fail=POLICY.false_fail,
    false_pass=POLICY.false_pass,
)


def _test() -> BernoulliSPRT:
    assert TEST is not None
    return TEST


def test_hypotheses_sit_around_the_budget() -> None:
    test = _test()
    assert test.p0 == pytest.approx(0.02)
    assert test.p1 == pytest.approx(0.09)
    assert test.fail_bound == pytest.approx(math.log(0.99 / 0.01))
    assert test.pass_bound == pytest.approx(math.log(0.01 / 0.99))


def test_llr_closed_form() -> None:
    test = _test()
    for n, x in [(0, 0), (10, 0), (10, 10), (100, 7), (63, 1)]:
        expected = x * math.log(0.09 / 0.02) + (n - x) * math.log(0.91 / 0.98)
        assert test.llr(n, x) == pytest.approx(expected)
    with pytest.raises(ValueError, match="errors must be"):
        test.llr(3, 4)


def test_decisions_are_thresholds_on_the_error_count() -> None:
    """For each n, FAIL exactly from some count up, PASS exactly up to some count."""
    test = _test()
    for n in range(1, 301):
        decisions = [test.decide(n, x) for x in range(n + 1)]
        fails = [x for x, d in enumerate(decisions) if d == Decision.FAIL]
        passes = [x for x, d in enumerate(decisions) if d == Decision.PASS]
        if fails:
            assert fails == list(range(fails[0], n + 1))
        assert passes == list(range(len(passes)))


def test_a_clean_endpoint_passes_after_63_requests() -> None:
    test = _test()
    assert test.decide(62, 0) == Decision.INCONCLUSIVE
    assert test.decide(63, 0) == Decision.PASS
    assert test.more_to_pass(10, 0) == 53


def test_more_to_decide_is_exact() -> None:
    test = _test()
    for n, x in [(10, 0), (20, 1), (50, 3), (100, 6), (0, 0)]:
        if test.decide(n, x) != Decision.INCONCLUSIVE:
            continue
        m = test.more_to_pass(n, x)
        assert test.decide(n + m, x) == Decision.PASS
        assert test.decide(n + m - 1, x) != Decision.PASS
        f = test.more_to_fail(n, x)
        assert test.decide(n + f, x + f) == Decision.FAIL
        assert test.decide(n + f - 1, x + f - 1) != Decision.FAIL


def _crossing_probabilities(test: BernoulliSPRT, p: float, horizon: int) -> tuple[float, float]:
    """Exact P(fail), P(pass) of the SPRT looking after every request, up to horizon."""
    alive = {0: 1.0}  # errors so far -> probability of still being undecided
    failed = passed = 0.0
    for n in range(1, horizon + 1):
        step: dict[int, float] = {}
        for x, prob in alive.items():
            for errors, weight in ((x + 1, p), (x, 1.0 - p)):
                if weight:
                    step[errors] = step.get(errors, 0.0) + prob * weight
        alive = {}
        for x, prob in step.items():
            decision = test.decide(n, x)
            if decision == Decision.FAIL:
                failed += prob
            elif decision == Decision.PASS:
                passed += prob
            else:
                alive[x] = prob
    return failed, passed


def test_operating_characteristic_meets_the_goals_exactly() -> None:
    """Wald: P(fail | p0) <= alpha/(1-beta), P(pass | p1) <= beta/(1-alpha)."""
    test = _test()
    fail_at_p0, _ = _crossing_probabilities(test, 0.02, 2000)
    _, pass_at_p1 = _crossing_probabilities(test, 0.09, 2000)
    assert fail_at_p0 <= 0.01 / 0.99
    assert pass_at_p1 <= 0.01 / 0.99
    fail_at_10, _ = _crossing_probabilities(test, 0.10, 2000)
    assert fail_at_10 >= 0.99  # issue goal: >= 99 % fails at a 10 % error rate


def test_zero_budget_fails_on_the_first_error() -> None:
    test = rate_test(
        0.0, healthy_fraction=0.4, failing_multiple=2, false_fail=0.01, false_pass=0.01
    )
    assert test is not None
    assert test.p0 == 0.0
    assert test.decide(1, 1) == Decision.FAIL
    assert test.more_to_fail(5, 0) == 1
    assert test.decide(100, 0) == Decision.INCONCLUSIVE
    assert test.decide(500, 0) == Decision.PASS


def test_full_budget_always_passes() -> None:
    assert (
        rate_test(1.0, healthy_fraction=0.4, failing_multiple=2, false_fail=0.01, false_pass=0.01)
        is None
    )
    verdict = judge_rate(10, 10, 1.0, POLICY)
    assert verdict.decision == Decision.PASS


def test_high_budgets_keep_p1_below_one() -> None:
    test = rate_test(
        0.8, healthy_fraction=0.4, failing_multiple=2, false_fail=0.01, false_pass=0.01
    )
    assert test is not None
    assert test.p1 == pytest.approx(0.9)


def test_invalid_hypotheses() -> None:
    with pytest.raises(ValueError, match="p0 < p1"):
        BernoulliSPRT(0.1, 0.05, 0.01, 0.01)
    with pytest.raises(ValueError, match="alpha and beta"):
        BernoulliSPRT(0.01, 0.05, 0.0, 0.01)


def test_judge_rate_reports_wilson_and_leaning() -> None:
    verdict = judge_rate(22, 0, 0.05, POLICY)
    assert verdict.decision == Decision.INCONCLUSIVE
    assert verdict.more_needed == verdict.more_to_pass == 41
    assert verdict.interval == wilson_interval(0, 22, 0.95)
    leaning_fail = judge_rate(20, 2, 0.05, POLICY)
    assert leaning_fail.decision == Decision.INCONCLUSIVE
    assert leaning_fail.more_needed == leaning_fail.more_to_fail
    assert judge_rate(10, 10, 0.05, POLICY).decision == Decision.FAIL
    assert judge_rate(0, 0, 0.05, POLICY).rate == 0.0


def test_wilson_textbook_values() -> None:
    low, high = wilson_interval(5, 10, 0.95)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    assert wilson_interval(0, 10, 0.95) == (0.0, pytest.approx(0.2775, abs=1e-4))
    assert wilson_interval(10, 10, 0.95) == (pytest.approx(0.7225, abs=1e-4), 1.0)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(3, 2)
