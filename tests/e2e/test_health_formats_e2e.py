"""The reference service answering /api/health in other standard formats.

`--reference-fault=health_format:shape=S[,state=fail]` re-speaks the health body as
IETF health+json, Spring Boot Actuator, ASP.NET Core, Kubernetes text or a Node
heap report. The environment is local.toml with `schema = "builtin:health"` (what
production and staging use): healthy shapes pass with zero failures on every run,
failing ones fail `health` only, with a message naming the failing component.
Each case runs ``synthcheck verify`` in this process (tests/support/inprocess.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.envfiles import local_with
from tests.support.harness import RunResult
from tests.support.inprocess import verify_inprocess

pytestmark = pytest.mark.slow

# The acceptance's four (Node heap, IETF, Actuator, .NET) five times; the text
# shapes twice.
HEALTHY = [
    *[(shape, n) for shape in ("node_heap", "ietf", "actuator", "aspnet") for n in range(5)],
    *[(shape, n) for shape in ("aspnet_text", "kubernetes") for n in range(2)],
]
FAILING = [
    ("ietf", "postgres:connections"),
    ("actuator", "db"),
    ("aspnet", "postgres"),
    ("kubernetes", "postgres"),
]


def _env(tmp_path: Path) -> Path:
    path = local_with(tmp_path, "", name="local-any-health")
    text = path.read_text()
    strict = 'schema = "schemas/health.reference.schema.json"'
    assert strict in text
    path.write_text(text.replace(strict, 'schema = "builtin:health"'))
    return path


def _verify(tmp_path: Path, spec: str) -> RunResult:
    env = _env(tmp_path)
    return verify_inprocess(f"--env={env}", f"--reference-fault={spec}", reports=tmp_path / "r")


def _outcome(run: RunResult, check_id: str) -> dict[str, str]:
    return next(c for c in run.summary["checks"] if c["id"] == check_id)


@pytest.mark.parametrize(("shape", "attempt"), HEALTHY, ids=[f"{s}-{n}" for s, n in HEALTHY])
def test_a_healthy_shape_passes_every_time(shape: str, attempt: int, tmp_path: Path) -> None:
    run = _verify(tmp_path, f"health_format:shape={shape}")
    assert run.code == 0, run.output
    assert run.summary["counts"]["failed"] == 0
    assert run.summary["counts"]["error"] == 0
    # The body was read, not merely tolerated: no health or memory warnings either.
    assert run.categories("warned") & {"health", "memory"} == set(), run.checks("warned")
    overall = _outcome(run, "health.overall_status[GET /api/health]")
    assert overall["outcome"] == "passed"


def test_a_node_heap_is_shown_not_judged(tmp_path: Path) -> None:
    run = _verify(tmp_path, "health_format:shape=node_heap")
    check = _outcome(run, "memory.within_budget[GET /api/health]")
    assert check["outcome"] == "passed", check
    assert "95 used of 98 allocated" in check["observed"]


@pytest.mark.parametrize(("shape", "component"), FAILING, ids=[s for s, _ in FAILING])
def test_a_failing_shape_fails_health_naming_the_component(
    shape: str, component: str, tmp_path: Path
) -> None:
    run = _verify(tmp_path, f"health_format:shape={shape},state=fail")
    assert run.code == 1, run.output
    assert run.categories() == {"health"}, run.output
    overall = _outcome(run, "health.overall_status[GET /api/health]")
    assert overall["outcome"] == "failed"
    assert f"failing: {component}" in overall["message"], overall["message"]
