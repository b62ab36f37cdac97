"""The pre-deploy gate end to end: the checklist against the reference service."""

from __future__ import annotations

import secrets
import string
from pathlib import Path

import pytest

from synthcheck.reference import reference_service
from tests.support.envfiles import local_with
from tests.support.harness import TEST_KEYS, base_environ, deploy_verify, files_containing

pytestmark = pytest.mark.slow


def test_healthy_candidate_passes_the_gate(tmp_path: Path) -> None:
    run = deploy_verify("--env=local", "--suite=predeploy", reports=tmp_path)
    assert run.code == 0, run.output
    ids = {c["id"]: c for c in run.summary["checks"]}
    assert ids["predeploy.environment_variables"]["outcome"] == "passed"
    assert ids["predeploy.secret_scan[repository]"]["outcome"] == "passed"
    # A fresh history and no webhook: listed as warnings, never silently passed.
    assert ids["predeploy.rollback_target"]["outcome"] == "warned"
    assert ids["predeploy.notification_configured"]["outcome"] == "warned"
    assert all(c["outcome"] in ("passed", "warned", "skipped") for c in run.summary["checks"])
    assert (tmp_path / "summary.html").is_file()
    assert (tmp_path / "summary.md").read_text().startswith("## synthcheck: ✅ PASSED")
    assert (tmp_path / "allure-results" / "categories.json").is_file()


def test_a_second_run_knows_its_rollback_target_and_webhook(tmp_path: Path) -> None:
    history = str(tmp_path / "history.sqlite")
    first = deploy_verify(
        "--env=local", reports=tmp_path / "a", environ=base_environ(SYNTHCHECK_HISTORY=history)
    )
    assert first.code == 0, first.output
    environ = base_environ(
        SYNTHCHECK_HISTORY=history, SYNTHCHECK_WEBHOOK_URL="https://hooks.example.com/T/B/x"
    )
    second = deploy_verify(
        "--env=local", "--suite=predeploy", reports=tmp_path / "b", environ=environ
    )
    ids = {c["id"]: c for c in second.summary["checks"]}
    assert ids["predeploy.rollback_target"]["outcome"] == "passed"
    assert "1.4.2" in ids["predeploy.rollback_target"]["message"]
    assert ids["predeploy.notification_configured"]["outcome"] == "passed"
    assert second.code == 0, second.output


def test_malformed_key_fails_config_without_printing_it(tmp_path: Path) -> None:
    bad = TEST_KEYS["FRED_API_KEY"].upper()
    run = deploy_verify(
        "--env=local", "--suite=predeploy", reports=tmp_path, environ=base_environ(FRED_API_KEY=bad)
    )
    assert run.code == 1, run.output
    # The reference service runs with the same bad key, so FRED refuses it as well.
    assert run.categories() == {"config", "upstream"}
    assert "FRED_API_KEY: 32 characters" in run.stdout
    assert bad not in run.output
    assert files_containing(tmp_path, bad) == []


def test_a_committed_secret_fails_the_gate(tmp_path: Path) -> None:
    tree = tmp_path / "build"
    tree.mkdir()
    # AWS access key ids use the base32 alphabet (A-Z and 2-7).
    key = "AKIA" + "".join(secrets.choice(string.ascii_uppercase + "234567") for _ in range(16))
    (tree / "config.js").write_text(f'const awsAccessKeyId = "{key}";\n')
    env = local_with(tmp_path, f'[predeploy]\nbuild_paths = ["{tree}"]\n')
    run = deploy_verify(f"--env={env}", "--suite=predeploy", reports=tmp_path / "r")
    assert run.code == 1, run.output
    assert run.categories() == {"key_leak"}
    [finding] = [
        c for c in run.checks("failed") if c["id"] == "predeploy.secret_scan[build output]"
    ]
    assert "config.js:1:aws-access-key-id" in finding["details"][0]
    assert key not in run.output


@pytest.mark.parametrize(("candidate_ms", "code"), [(20, 0), (60, 1)], ids=["same", "3x-slower"])
def test_performance_against_a_live_baseline(candidate_ms: int, code: int, tmp_path: Path) -> None:
    with (
        reference_service(faults=["latency:ms=20"], env=base_environ()) as stable,
        reference_service(faults=[f"latency:ms={candidate_ms}"], env=base_environ()) as candidate,
    ):
        run = deploy_verify(
            "--env=local",
            f"--base-url={candidate.base_url}",
            f"--baseline-url={stable.base_url}",
            "--suite=predeploy",
            "--",
            "-k",
            "baseline",
            reports=tmp_path,
            environ=base_environ(FRED_BASE_URL=candidate.upstream_url),
        )
    assert run.code == code, run.output
    compared = [
        c
        for c in run.summary["checks"]
        if c["id"].startswith("predeploy.performance") and c["outcome"] != "skipped"
    ]
    assert len(compared) == 6  # page, health, ready, three series (live is liveness's)
    if code:
        assert run.categories() == {"latency"}
        assert all("slower than" in c["message"] for c in run.checks("failed"))
        assert all(c["metrics"]["ratio"] > 2 for c in compared)
    else:
        assert all(c["outcome"] == "passed" for c in compared), compared


def test_performance_against_the_history_baseline(tmp_path: Path) -> None:
    history = str(tmp_path / "history.sqlite")
    env = local_with(tmp_path, '[baseline]\nhistory_env = "local-test"\n')
    environ = base_environ(SYNTHCHECK_HISTORY=history)
    with reference_service(faults=["latency:ms=20"], env=base_environ()) as service:
        environ["FRED_BASE_URL"] = service.upstream_url
        stable = deploy_verify(
            f"--env={env}",
            f"--base-url={service.base_url}",
            reports=tmp_path / "a",
            environ=environ,
        )
        assert stable.code == 0, stable.output
        run = deploy_verify(
            f"--env={env}",
            f"--base-url={service.base_url}",
            "--suite=predeploy",
            "--",
            "-k",
            "baseline",
            reports=tmp_path / "b",
            environ=environ,
        )
    assert run.code == 0, run.output
    compared = [
        c
        for c in run.summary["checks"]
        if c["id"].startswith("predeploy.performance") and c["outcome"] != "skipped"
    ]
    assert len(compared) >= 5
    assert all(c["outcome"] == "passed" for c in compared), compared
    assert all("local-test run of" in c["message"] for c in compared)
