"""Runbook "Application Down": does the service answer at all?

In every suite, load included: an unreachable target is a failed check (exit 1),
never a usage error.
"""

import pytest

from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import availability

pytestmark = [
    pytest.mark.category("availability"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
    pytest.mark.load,
]


def test_reachable(run: VerificationRun, verdict: Verdict) -> None:
    preflight = run.recorder.preflight()
    probe = run.plan.preflight_target
    result = availability.service_reachable(run.base_url, preflight, probe.id)
    result.reproduce = run.reproduce_target(probe)
    verdict(result)


def test_endpoint_answers(target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(
        availability.endpoint_answers(
            target,
            run.exchanges(target),
            tripped=run.recorder.tripped(target),
            reachable=run.recorder.preflight().reachable,
            cut=run.recorder.cut_by_deadline(target),
        )
    )


def test_not_all_5xx(run: VerificationRun, verdict: Verdict) -> None:
    verdict(availability.not_all_5xx(run.recorded()))
