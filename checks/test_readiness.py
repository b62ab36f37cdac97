"""Runbook "Application Down": is the service ready to take traffic?"""

import pytest

from synthcheck.catalog import Category
from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import health, probes

pytestmark = [
    pytest.mark.category("readiness"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_ready(ready_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(probes.ready(ready_target, run.exchanges(ready_target)))


def test_body(ready_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    # A 2xx whose body says DOWN / [-]etcd failed (docs/health-formats.md).
    exchanges = run.exchanges(ready_target)
    verdict(health.body_verdict(ready_target, exchanges, run.env.health, Category.READINESS))


def test_schema(ready_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    schema = ready_target.endpoint.schema
    if schema is None:
        pytest.skip("the environment gives no schema for the readiness endpoint")
    exchanges = run.exchanges(ready_target)
    verdict(health.json_schema(ready_target, exchanges, schema, Category.READINESS))
