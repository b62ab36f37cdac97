"""Runbook "API Error Spike": data responses keep the shape their clients parse."""

import pytest

from synthcheck.config import builtin_schema
from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import probes

pytestmark = [
    pytest.mark.category("error_rate"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_schema(data_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    schema = data_target.endpoint.schema or builtin_schema("json")
    verdict(probes.data_schema(data_target, run.exchanges(data_target), schema))
