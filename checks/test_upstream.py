"""Runbook: the FRED upstream, probed directly and reported next to the app's data endpoints.

A slow or failing FRED fails here (category upstream); the app's data endpoints
then warn "attributed to the FRED upstream" instead of failing latency/error_rate.
"""

import pytest

from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import upstream

pytestmark = [
    pytest.mark.category("upstream"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_fred(run: VerificationRun, verdict: Verdict) -> None:
    probe = run.upstream
    app = {t: run.sampler.exchanges(t) for t in run.plan.by_role("data", methods=("GET",))}
    result = upstream.fred(probe, run.env.upstream_probe.budget_ms, app)
    if probe.sent:
        # ${FRED_API_KEY} in place of the key: the command is safe to paste in a ticket.
        result.reproduce = run.reproduce("GET", probe.url)
    verdict(result)
