"""Runbook "Application Down": the liveness probe answers, and fast.

Its response time is judged here against its own (tighter) P95 budget rather than
under latency, so one slow /api/live is reported once, as a liveness problem.
"""

import pytest

from synthcheck.catalog import Category
from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import latency, probes

pytestmark = [
    pytest.mark.category("liveness"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_live_and_fast(live_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    budget_ms = live_target.endpoint.budgets.liveness_ms
    verdict(probes.liveness_fast(live_target, run.exchanges(live_target), budget_ms))


def test_response_time(live_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(
        latency.response_time(
            live_target,
            run.sampler.exchanges(live_target),
            run.env.statistics,
            run.env.error_rate,
            category=Category.LIVENESS,
            warmups=run.recorder.warmups(live_target),
            sampling=run.sampler.record(live_target).describe(),
            reachable=run.recorder.preflight().reachable,
            cut=run.recorder.cut_by_deadline(live_target),
        )
    )
