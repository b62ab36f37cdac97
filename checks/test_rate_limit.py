"""Runbook: alert at > 80 % API rate-limit usage (app headers, FRED headers, health body)."""

import pytest

from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import rate_limit

pytestmark = [
    pytest.mark.category("rate_limit"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_headroom(run: VerificationRun, verdict: Verdict) -> None:
    app = [e for t in run.plan.targets for e in run.exchanges(t)]
    sources = [("app", app), ("FRED", run.upstream.exchanges)]
    readings = rate_limit.peak_readings(sources, run.env.rate_limit.health_field)
    verdict(rate_limit.headroom(readings, run.env.rate_limit, reachable=bool(app)))
