"""Exact binomial probabilities against rational arithmetic (math.comb + Fraction)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from synthcheck.stats import cdf, pmf, sf

PROBABILITIES = [
    Fraction(1, 2),
    Fraction(19, 20),
    Fraction(1, 20),
    Fraction(3, 10),
    Fraction(99, 100),
]


def exact_pmf(n: int, k: int, p: Fraction) -> Fraction:
    return math.comb(n, k) * p**k * (1 - p) ** (n - k)


def exact_cdf(n: int, k: int, p: Fraction) -> Fraction:
    return sum((exact_pmf(n, i, p) for i in range(k + 1)), Fraction(0))


@pytest.mark.parametrize("p", PROBABILITIES, ids=str)
def test_pmf_cdf_sf_match_exact_rationals(p: Fraction) -> None:
    for n in (0, 1, 2, 5, 13, 40, 59, 93):
        for k in range(n + 1):
            assert pmf(n, k, float(p)) == pytest.approx(
                float(exact_pmf(n, k, p)), rel=1e-9, abs=1e-15
            )
            assert cdf(n, k, float(p)) == pytest.approx(float(exact_cdf(n, k, p)), abs=1e-12)
            assert sf(n, k, float(p)) == pytest.approx(float(1 - exact_cdf(n, k - 1, p)), abs=1e-12)


def test_textbook_values() -> None:
    # 0.95**59 < 0.05 < 0.95**58: why a P95 upper bound at 95 % needs 59 samples.
    assert cdf(59, 58, 0.95) == pytest.approx(1 - 0.95**59)
    assert cdf(59, 58, 0.95) > 0.95 > cdf(58, 57, 0.95)
    assert cdf(10, 8, 0.5) == pytest.approx(1 - 11 / 1024)  # one-sided median bound, n=10
    assert sf(3, 1, 0.95) == pytest.approx(1 - 0.05**3)


def test_edges_and_errors() -> None:
    assert pmf(5, 0, 0.0) == 1.0
    assert pmf(5, 5, 1.0) == 1.0
    assert pmf(5, 6, 0.5) == 0.0
    assert pmf(5, -1, 0.5) == 0.0
    assert cdf(5, -1, 0.5) == 0.0
    assert cdf(5, 5, 0.5) == 1.0
    assert sf(5, 0, 0.5) == 1.0
    assert sf(5, 6, 0.5) == 0.0
    with pytest.raises(ValueError, match="p must be"):
        pmf(5, 1, 1.5)
    with pytest.raises(ValueError, match="n must be"):
        cdf(-1, 0, 0.5)


def test_large_n_neither_overflows_nor_underflows() -> None:
    n = 5000
    assert cdf(n, n, 0.95) == 1.0
    assert sf(n, 0, 0.95) == 1.0
    assert 0.0 < cdf(n, 4700, 0.95) < 0.5  # mean 4750
    assert sum(pmf(n, k, 0.95) for k in range(n + 1)) == pytest.approx(1.0)
