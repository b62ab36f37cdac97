"""deploy-verify.sh's contract: flags, exit codes 0/1/2, and failing fast on dead targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synthcheck.reference import reference_service
from tests.support.harness import base_environ, deploy_verify
from tests.support.sockets import free_port, tcp_server

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--env=prodction"], "Did you mean 'production'?"),
        (["--suite=postdeply"], "Did you mean 'postdeploy'?"),
        (["--budget=p95=400"], "Did you mean 'p95_ms'?"),
        (["--samples=0"], "'0' is not a positive whole number"),
        (["--base-url=ftp://example.com"], "is not an http(s) URL"),
        (["--reference-fault=slow_tial"], "Did you mean 'slow_tail'?"),
        (["--env=tests/data/environments/incorrect-method.toml"], "endpoints[0].method: 'GETT'"),
        (["--", "--no-such-pytest-flag"], "unrecognized arguments"),
    ],
    ids=["env", "suite", "budget", "samples", "base-url", "fault", "env-file", "pytest-args"],
)
def test_usage_and_config_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    run = deploy_verify(*args, reports=tmp_path)
    assert run.code == 2, run.output
    assert message in run.output


def test_env_var_settings_are_named_in_errors(tmp_path: Path) -> None:
    run = deploy_verify(reports=tmp_path, environ=base_environ(SYNTHCHECK_SUITE="canry"))
    assert run.code == 2
    assert "$SYNTHCHECK_SUITE: 'canry' is not a suite. Did you mean 'canary'?" in run.output


def test_refused_target_is_a_failed_availability_check(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    # The timeout is a hang guard; how fast it fails is measured in benchmarks/.
    run = deploy_verify("--env=staging", f"--base-url={url}", reports=tmp_path, timeout=45)
    assert run.code == 1, run.output
    assert run.categories() == {"availability"}
    others = [c for c in run.summary["checks"] if c["id"] != "availability.reachable"]
    assert all(c["outcome"] == "skipped" for c in others), others
    # Checks skip because the target is unreachable, or for a reason of their own
    # configuration (no schema given, a probe turned off): never with a failure.
    unreachable = [c for c in others if "unreachable" in c["message"]]
    assert len(unreachable) > len(others) / 2


def test_hanging_target_fails_fast(tmp_path: Path) -> None:
    with tcp_server("hang", lifetime_s=60) as url:
        run = deploy_verify("--env=staging", f"--base-url={url}", reports=tmp_path, timeout=60)
    assert run.code == 1, run.output
    assert run.categories() == {"availability"}


def test_base_url_verifies_any_running_service(tmp_path: Path) -> None:
    """The staging environment's budgets, pointed at a service we started ourselves."""
    with reference_service(faults=["unready"], env=base_environ()) as service:
        run = deploy_verify("--env=staging", f"--base-url={service.base_url}", reports=tmp_path)
    assert run.code == 1, run.output
    assert run.categories() == {"readiness"}
    assert run.summary["base_url"] == service.base_url
    assert run.summary["env"] == "staging"


def test_suite_selects_checks(tmp_path: Path) -> None:
    canary = deploy_verify("--env=local", "--suite=canary", reports=tmp_path / "canary")
    assert canary.code == 0, canary.output
    ids = [c["id"] for c in canary.summary["checks"]]
    assert not any("GET /]" in i for i in ids)  # the dashboard page is not in the canary
    assert canary.summary["suite"] == "canary"


def test_extra_pytest_args_pass_through(tmp_path: Path) -> None:
    run = deploy_verify("--env=local", "--", "-k", "health and status_code", reports=tmp_path)
    assert run.code == 0, run.output
    ids = [c["id"] for c in json.loads((tmp_path / "summary.json").read_text())["checks"]]
    assert ids == ["health.status_code[GET /api/health]"]
