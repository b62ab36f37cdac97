"""Baseline comparison on synthetic samples with known shifts."""

from __future__ import annotations

import random

import pytest

from synthcheck.compare import ComparisonVerdict, compare_latency, mann_whitney_u


def lognormal(n: int, factor: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.lognormvariate(3.0, 0.35) * factor for _ in range(n)]


def test_u_statistic_on_hand_computed_cases() -> None:
    assert mann_whitney_u([4, 5, 6], [1, 2, 3])[0] == 0  # candidate always faster
    assert mann_whitney_u([1, 2, 3], [4, 5, 6])[0] == 9  # candidate always slower (3*3 pairs)
    u, _ = mann_whitney_u([1, 2, 3], [2, 2, 2])  # ties count half
    assert u == 4.5


def test_p_value_is_one_sided() -> None:
    slower = mann_whitney_u(list(range(20)), [x + 15 for x in range(20)])[1]
    faster = mann_whitney_u([x + 15 for x in range(20)], list(range(20)))[1]
    assert slower < 0.001
    assert faster > 0.999


@pytest.mark.parametrize(
    ("factor", "verdict"),
    [
        (1.0, ComparisonVerdict.PASS),
        (1.05, ComparisonVerdict.PASS),  # real but below the allowed increase
        (1.3, ComparisonVerdict.MARGINAL),
        (2.0, ComparisonVerdict.FAIL),
    ],
)
def test_known_shifts_get_their_verdicts(factor: float, verdict: ComparisonVerdict) -> None:
    result = compare_latency(lognormal(300, 1.0, 1), lognormal(300, factor, 2))
    assert result.verdict == verdict, result.describe()
    assert result.ratio == pytest.approx(factor, rel=0.1)


def test_too_few_samples_are_not_called_a_regression() -> None:
    result = compare_latency([10.0, 12.0, 11.0], [30.0, 28.0, 31.0])
    assert result.ratio > 2
    assert result.verdict == ComparisonVerdict.PASS  # p cannot reach alpha with n = 3
    assert result.p_value > 0.01


def test_false_alarms_are_rare_under_no_change() -> None:
    fails = sum(
        compare_latency(lognormal(100, 1.0, s), lognormal(100, 1.0, s + 1000)).verdict
        != ComparisonVerdict.PASS
        for s in range(200)
    )
    assert fails <= 2  # alpha = 0.01 and an allowed 20 % increase


def test_bad_factors_are_rejected() -> None:
    with pytest.raises(ValueError, match="allowed_factor"):
        compare_latency([1.0], [1.0], allowed_factor=2.0, critical_factor=1.5)
