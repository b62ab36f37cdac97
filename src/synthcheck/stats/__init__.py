"""Statistics for verdicts: exact, distribution-free, and pure (no I/O, no HTTP).

- ``binomial``: exact binomial probabilities;
- ``quantiles``: order-statistic confidence bounds for a quantile (latency P50/P95/P99);
- ``quantile_test``: pass / fail / inconclusive for "quantile <= budget", and how many
  more samples would decide it;
- ``sprt``: Wald's sequential probability ratio test for a failure rate;
- ``proportion``: the Wilson interval reported next to an error rate;
- ``rate_verdict``: pass / fail / inconclusive for "error rate <= budget".

The benchmarks (``benchmarks/bench_decisions.py``) simulate these same functions.
"""

from synthcheck.stats.binomial import cdf, pmf, sf
from synthcheck.stats.decision import Confidence, Decision
from synthcheck.stats.proportion import wilson_interval
from synthcheck.stats.quantile_test import QuantileVerdict, judge_quantile
from synthcheck.stats.quantiles import (
    QuantileBounds,
    lower_rank,
    nearest_rank,
    quantile_bounds,
    upper_rank,
)
from synthcheck.stats.rate_verdict import RatePolicy, RateVerdict, judge_rate
from synthcheck.stats.sprt import BernoulliSPRT, rate_test

__all__ = [
    "BernoulliSPRT",
    "Confidence",
    "Decision",
    "QuantileBounds",
    "QuantileVerdict",
    "RatePolicy",
    "RateVerdict",
    "cdf",
    "judge_quantile",
    "judge_rate",
    "lower_rank",
    "nearest_rank",
    "pmf",
    "quantile_bounds",
    "rate_test",
    "sf",
    "upper_rank",
    "wilson_interval",
]
