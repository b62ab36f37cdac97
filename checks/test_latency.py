"""Runbook "Slow Response Times": P95 (and P50/P99 when budgeted) per endpoint and pooled.

Each endpoint is sampled until its verdict is sure either way (docs/statistics.md);
/api/live is judged under liveness (test_liveness.py) against its own budget.
"""

import pytest

from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import latency, latency_pooled, upstream

pytestmark = [
    pytest.mark.category("latency"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_response_time(latency_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(
        latency.response_time(
            latency_target,
            run.sampler.exchanges(latency_target),
            run.env.statistics,
            run.env.error_rate,
            warmups=run.recorder.warmups(latency_target),
            upstream=upstream.assess(run.upstream, run.env.upstream_probe.budget_ms),
            sampling=run.sampler.record(latency_target).describe(),
            reachable=run.recorder.preflight().reachable,
            cut=run.recorder.cut_by_deadline(latency_target),
        )
    )


def test_overall(run: VerificationRun, verdict: Verdict) -> None:
    recorded = {t: run.sampler.exchanges(t) for t in run.plan.targets if t.role != "live"}
    verdict(
        latency_pooled.overall(
            recorded,
            run.env.statistics,
            run.env.error_rate,
            upstream=upstream.assess(run.upstream, run.env.upstream_probe.budget_ms),
            reachable=run.recorder.preflight().reachable,
            cut=any(run.recorder.cut_by_deadline(t) for t in recorded),
        )
    )
