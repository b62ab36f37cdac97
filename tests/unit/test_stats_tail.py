"""The sequential tail test behind the latency verdicts, checked against exact values."""

from __future__ import annotations

import math

import pytest

from synthcheck.stats import Confidence, Decision, censored_bounds, judge_tail, pmf, tail_test

P95 = tail_test(0.95, false_fail=0.01, false_pass=0.05, failing_multiple=2.0)
LEVEL = Confidence()


def test_hypotheses_sit_on_the_budget_and_above_it() -> None:
    assert P95.tail == pytest.approx(0.05)
    assert P95.near == pytest.approx(0.10)
    assert P95.far == pytest.approx(0.525)
    p50 = tail_test(0.5, false_fail=0.01, false_pass=0.05, failing_multiple=2.0)
    assert (p50.near, p50.far) == (pytest.approx(0.75), pytest.approx(0.75))  # capped
    p99 = tail_test(0.99, false_fail=0.01, false_pass=0.05, failing_multiple=2.0)
    assert p99.near == pytest.approx(0.02)


def test_statistics_match_the_likelihood_ratios_by_hand() -> None:
    # 3 of 3 over: 0.8 * (0.10/0.05)^3 + 0.2 * (0.525/0.05)^3 = 6.4 + 231.5...
    assert P95.fail_statistic(3, 3) == pytest.approx(math.log(0.8 * 8 + 0.2 * 10.5**3))
    # 1 over in 61: (0.10/0.05) * (0.90/0.95)^60
    assert P95.pass_statistic(61, 1) == pytest.approx(math.log(2 * (0.9 / 0.95) ** 60))


def test_all_fast_passes_after_exactly_56_and_all_slow_fails_after_3() -> None:
    # (0.90/0.95)^56 = 0.0484 <= 0.05 < (0.90/0.95)^55 = 0.0511
    assert P95.decide(56, 0) == Decision.PASS
    assert P95.decide(55, 0) == Decision.INCONCLUSIVE
    assert P95.decide(3, 3) == Decision.FAIL  # 237.9 >= 1 / 0.01
    assert P95.decide(2, 2) == Decision.INCONCLUSIVE  # 0.8 * 4 + 0.2 * 110.25 = 25.3
    assert P95.more_to_pass(20, 0) == 36
    assert P95.more_to_fail(20, 0) == 9


def test_more_to_pass_and_fail_are_the_smallest_that_decide() -> None:
    for n, over in ((10, 1), (60, 3), (150, 9), (200, 14)):
        if P95.decide(n, over) != Decision.INCONCLUSIVE:
            continue
        up = P95.more_to_fail(n, over)
        down = P95.more_to_pass(n, over)
        assert up is not None
        assert down is not None
        assert P95.decide(n + up, over + up) == Decision.FAIL
        assert P95.decide(n + up - 1, over + up - 1) != Decision.FAIL
        assert P95.decide(n + down, over) == Decision.PASS
        assert P95.decide(n + down - 1, over) != Decision.PASS


def _ever(decision: Decision, p: float, horizon: int) -> float:
    """Exact P(the test reaches ``decision`` at some n <= horizon), looking after every
    request: the most looks a sampler can take."""
    alive = {0: 1.0}  # over-budget count -> probability, undecided paths only
    reached = 0.0
    for n in range(1, horizon + 1):
        step: dict[int, float] = {}
        for over, weight in alive.items():
            for extra, chance in ((1, p), (0, 1.0 - p)):
                step[over + extra] = step.get(over + extra, 0.0) + weight * chance
        alive = {}
        for over, weight in step.items():
            outcome = P95.decide(n, over)
            if outcome == decision:
                reached += weight
            elif outcome == Decision.INCONCLUSIVE:
                alive[over] = weight
    return reached


@pytest.mark.parametrize("p", [0.05, 0.03, 0.0])
def test_false_fail_at_or_under_the_budget_stays_under_alpha_however_often_it_looks(
    p: float,
) -> None:
    assert _ever(Decision.FAIL, p, 400) <= 0.01


def test_false_pass_at_twice_the_allowed_share_stays_under_beta() -> None:
    assert _ever(Decision.PASS, 0.10, 400) <= 0.05


def test_a_cut_off_under_the_budget_counts_against_a_pass_not_for_a_fail() -> None:
    fast = [3.0] * 56
    sure = judge_tail(fast, 0.95, 500.0, P95, LEVEL)
    assert sure.decision == Decision.PASS
    unsure = judge_tail(fast[:-1], 0.95, 500.0, P95, LEVEL, cut_off=[400.0])
    assert (unsure.over_budget, unsure.unknown, unsure.censored) == (0, 1, 1)
    assert unsure.decision == Decision.INCONCLUSIVE  # 1 possibly over: not a pass yet
    slow = judge_tail([], 0.95, 500.0, P95, LEVEL, cut_off=[400.0] * 10)
    assert slow.decision == Decision.INCONCLUSIVE  # cut off before the budget: no fail
    over = judge_tail([], 0.95, 500.0, P95, LEVEL, cut_off=[10_000.0] * 3)
    assert over.decision == Decision.FAIL
    assert over.all_censored


def test_censored_bounds_never_show_a_cut_off_as_a_measured_value() -> None:
    # 56 fast, 4 cut off at 10 s: n = 60, the nearest rank ceil(0.95 * 60) = 57 and
    # the 95 % upper rank (60) are cut-offs, the 99.9 % lower rank is a fast one.
    b = censored_bounds(
        [3.0] * 56, [10_000.0] * 4, 0.95, lower_confidence=0.999, upper_confidence=0.95
    )
    assert b.n == 60
    assert b.upper is None
    assert b.estimate == 10_000.0
    assert b.estimate_censored
    assert b.lower == 3.0
    assert not b.lower_censored
    plain = censored_bounds([1.0, 2.0, 3.0], [], 0.5, lower_confidence=0.6, upper_confidence=0.6)
    assert plain.estimate == 2.0
    assert not plain.estimate_censored


def test_pmf_sanity_for_the_exact_checks() -> None:
    assert sum(pmf(20, k, 0.05) for k in range(21)) == pytest.approx(1.0)
