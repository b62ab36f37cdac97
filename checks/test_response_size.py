"""A response larger than its budget is cut off by the probe and fails here."""

import pytest

from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import probes

pytestmark = [
    pytest.mark.category("response_size"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_body_size(get_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    budget = min(get_target.endpoint.budgets.response_bytes, run.env.http.max_body_bytes)
    verdict(probes.response_size(get_target, run.exchanges(get_target), budget))
