"""How many more samples an endpoint needs before its statistical verdicts decide.

The adaptive sampler (``probe/sampling.py``) asks this after every round: the larger
of what the latency verdict and the error-rate verdict still need. Both are
sequential tests, so an endpoint stops as soon as each has passed; one whose
latency or error rate has already failed gets nothing more: the run fails either way,
and a struggling service should not get extra load from its own verifier.
"""

from __future__ import annotations

from collections.abc import Sequence

from synthcheck.config import Environment
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.probe.measure import split
from synthcheck.stats import Decision, RateVerdict
from synthcheck.verdicts import error_rate, latency

__all__ = ["all_decided", "samples_needed"]


def _verdicts(
    target: ProbeTarget, exchanges: Sequence[Exchange], env: Environment
) -> tuple[latency.Judgement | None, RateVerdict | None]:
    times, _ = split(target, exchanges, env.error_rate)
    cut = latency.cut_off(exchanges)  # timed out: latency samples "at least T"
    timing = (
        latency.judge(times, target.endpoint.budgets, env.statistics, cut) if times or cut else None
    )
    errors = (
        error_rate.judge(target, exchanges, env.error_rate) if error_rate.judged(target) else None
    )
    return timing, errors


def all_decided(target: ProbeTarget, exchanges: Sequence[Exchange], env: Environment) -> bool:
    """Whether every statistical verdict of the endpoint has passed or failed: the
    recorder stops resampling an endpoint that keeps timing out once this holds."""
    verdicts = _verdicts(target, exchanges, env)
    return all(v is None or v.decision != Decision.INCONCLUSIVE for v in verdicts)


def samples_needed(target: ProbeTarget, exchanges: Sequence[Exchange], env: Environment) -> int:
    timing, errors = _verdicts(target, exchanges, env)
    if any(v is not None and v.decision == Decision.FAIL for v in (timing, errors)):
        return 0
    return max(v.more_needed if v is not None else 0 for v in (timing, errors))
