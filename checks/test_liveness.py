"""Runbook "Application Down": the liveness probe answers, and fast."""

import pytest

from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import probes

pytestmark = [
    pytest.mark.category("liveness"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_live_and_fast(live_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    budget_ms = live_target.endpoint.budgets.liveness_ms
    verdict(probes.liveness_fast(live_target, run.exchanges(live_target), budget_ms))
