"""Runbook "API Error Spike": error rate per endpoint and overall, with a sequential test.

Judged on the service's traffic; health, readiness and liveness probes have status
checks of their own. Failures say which endpoints fail, with which statuses, and
when in the run.
"""

import pytest

from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import error_rate, upstream
from synthcheck.verdicts.timeline import run_span

pytestmark = [
    pytest.mark.category("error_rate"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_per_endpoint(traffic_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(
        error_rate.per_endpoint(
            traffic_target,
            run.sampler.exchanges(traffic_target),
            run.env.error_rate,
            span=run_span(run.recorder.all_exchanges()),
            warmups=run.recorder.warmups(traffic_target),
            upstream=upstream.assess(run.upstream, run.env.upstream_probe.budget_ms),
            sampling=run.sampler.record(traffic_target).describe(),
            reachable=run.recorder.preflight().reachable,
            cut=run.recorder.cut_by_deadline(traffic_target),
            stopped=run.recorder.stop_reason(traffic_target),
        )
    )


def test_overall(run: VerificationRun, verdict: Verdict) -> None:
    recorded = {t: run.sampler.exchanges(t) for t in run.plan.targets if error_rate.judged(t)}
    verdict(
        error_rate.overall(
            recorded,
            run.env.error_rate,
            run.env.budgets.error_rate,
            span=run_span(run.recorder.all_exchanges()),
            upstream=upstream.assess(run.upstream, run.env.upstream_probe.budget_ms),
            reachable=run.recorder.preflight().reachable,
            cut=any(run.recorder.cut_by_deadline(t) for t in recorded),
        )
    )
