"""Runbook "Memory Leak": memory usage reported by the health endpoint, against 80 %."""

import pytest

from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import memory

pytestmark = [
    pytest.mark.category("memory"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_within_budget(health_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(
        memory.memory_usage(
            health_target,
            run.exchanges(health_target),
            run.env.health,
            health_target.endpoint.budgets.memory_percent,
        )
    )
