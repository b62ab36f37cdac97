"""How many more samples an endpoint needs before its statistical verdicts decide.

The adaptive sampler (``probe/sampling.py``) asks this after every round: the larger
of what the latency verdict and the error-rate verdict still need. An endpoint whose
latency or error rate has already failed gets nothing more: the run fails either way,
and a struggling service should not get extra load from its own verifier.
"""

from __future__ import annotations

from collections.abc import Sequence

from synthcheck.config import Environment
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.stats import Decision
from synthcheck.verdicts import error_rate, latency

__all__ = ["samples_needed"]


def samples_needed(target: ProbeTarget, exchanges: Sequence[Exchange], env: Environment) -> int:
    times, _ = latency.split(target, exchanges, env.error_rate)
    timing = latency.judge(times, target.endpoint.budgets, env.statistics) if times else None
    errors = (
        error_rate.judge(target, exchanges, env.error_rate) if error_rate.judged(target) else None
    )
    if any(v is not None and v.decision == Decision.FAIL for v in (timing, errors)):
        return 0
    return max(v.more_needed if v is not None else 0 for v in (timing, errors))
