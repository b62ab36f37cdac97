"""Statistics for verdicts: exact, distribution-free, and pure (no I/O, no HTTP).

- ``binomial``: exact binomial probabilities;
- ``quantiles``: order-statistic confidence bounds for a quantile (latency P50/P95/P99);
- ``quantile_test``: pass / fail / inconclusive for "quantile <= budget", and how many
  more samples would decide it;
- ``sprt``: Wald's sequential probability ratio test for a failure rate;
- ``proportion``: the Wilson interval reported next to an error rate;
- ``rate_verdict``: pass / fail / inconclusive for "error rate <= budget";
- ``tail_test``: the sequential test of "at most 1 - q of requests over budget";
- ``tail_verdict``: pass / fail / inconclusive for "quantile <= budget" (the latency
  verdicts), censored (timed-out) samples included.

The benchmarks (``benchmarks/bench_decisions.py``) simulate these same functions.
"""

from synthcheck.stats.binomial import cdf, pmf, sf
from synthcheck.stats.decision import Confidence, Decision
from synthcheck.stats.proportion import wilson_interval
from synthcheck.stats.quantile_test import QuantileVerdict, judge_quantile
from synthcheck.stats.quantiles import (
    QuantileBounds,
    censored_bounds,
    lower_rank,
    nearest_rank,
    quantile_bounds,
    upper_rank,
)
from synthcheck.stats.rate_verdict import RatePolicy, RateVerdict, judge_rate
from synthcheck.stats.sprt import BernoulliSPRT, rate_test
from synthcheck.stats.tail_test import TailTest, tail_test
from synthcheck.stats.tail_verdict import TailVerdict, judge_tail

__all__ = [
    "BernoulliSPRT",
    "Confidence",
    "Decision",
    "QuantileBounds",
    "QuantileVerdict",
    "RatePolicy",
    "RateVerdict",
    "TailTest",
    "TailVerdict",
    "cdf",
    "censored_bounds",
    "judge_quantile",
    "judge_rate",
    "judge_tail",
    "lower_rank",
    "nearest_rank",
    "pmf",
    "quantile_bounds",
    "rate_test",
    "sf",
    "tail_test",
    "upper_rank",
    "wilson_interval",
]
