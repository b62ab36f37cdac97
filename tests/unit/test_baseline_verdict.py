"""Performance against a baseline: synthetic samples with known shifts."""

from __future__ import annotations

import random

import pytest

from synthcheck.catalog import Category
from synthcheck.config import BaselineSettings
from synthcheck.verdicts import Outcome, baseline
from tests.support.exchanges import target

DATA = target("data", "/api/fred-data")
SETTINGS = BaselineSettings()


def times(n: int, factor: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.lognormvariate(2.5, 0.3) * factor for _ in range(n)]


@pytest.mark.parametrize(
    ("factor", "outcome"),
    [(1.0, Outcome.PASSED), (1.35, Outcome.WARNED), (2.5, Outcome.FAILED)],
    ids=["same", "marginal", "regression"],
)
def test_verdicts_follow_the_shift(factor: float, outcome: Outcome) -> None:
    result = baseline.against_baseline(
        DATA, times(200, factor, 1), times(200, 1.0, 2), SETTINGS, "production"
    )
    assert result.outcome == outcome, result.observed
    assert result.category == Category.LATENCY
    assert result.metrics["ratio"] == pytest.approx(factor, rel=0.12)
    assert "Hodges-Lehmann" in result.observed
    assert result.sample_size == 200


def test_too_few_samples_are_skipped() -> None:
    result = baseline.against_baseline(
        DATA, times(5, 3.0, 1), times(200, 1.0, 2), SETTINGS, "production"
    )
    assert result.outcome == Outcome.SKIPPED
    assert "5 vs 200" in result.message


def test_factors_are_configurable() -> None:
    strict = BaselineSettings(allowed_increase=1.05, critical_increase=1.1)
    result = baseline.against_baseline(
        DATA, times(300, 1.3, 3), times(300, 1.0, 4), strict, "history"
    )
    assert result.outcome == Outcome.FAILED
