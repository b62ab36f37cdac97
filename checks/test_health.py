"""Runbook "Application Down": the health endpoint's status, type, shape and verdict."""

import pytest

from synthcheck.config import builtin_schema
from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import health, upstream

pytestmark = [
    pytest.mark.category("health"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_status_code(health_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(health.status_code(health_target, run.exchanges(health_target)))


def test_content_type(health_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(health.content_type(health_target, run.exchanges(health_target)))


def test_schema(health_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    schema = health_target.endpoint.schema or builtin_schema("health")
    verdict(health.json_schema(health_target, run.exchanges(health_target), schema))


def test_overall_status(health_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    exchanges = run.exchanges(health_target)
    upstream_health = upstream.assess(run.upstream, run.env.upstream_probe.budget_ms)
    verdict(health.overall_status(health_target, exchanges, run.env.health, upstream_health))


def test_head(health_head_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(health.head_ok(health_head_target, run.exchanges(health_head_target)))
