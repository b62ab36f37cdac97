"""Load tests end to end: the real locust against the reference service, on loopback only.

Each run is a smoke-sized load (10 s, 4-8 users) started the way a user would:
``scripts/deploy-verify.sh --suite=load`` or ``scripts/load.sh``. Faults prove the
thresholds catch what they claim (error_spike → failure ratio, slow_tail → P95,
memory_leak → the memory warning) and the healthy service proves they stay quiet.
Eight users make the fault runs large enough (~300 data requests) that a 10 % fault
cannot slip under a 5 % budget by chance.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from synthcheck.reference import reference_service
from tests.support.harness import (
    ROOT,
    TEST_KEYS,
    RunResult,
    base_environ,
    deploy_verify,
    files_containing,
)
from tests.support.sockets import free_port

LOAD_SH = ROOT / "scripts" / "load.sh"
THRESHOLD_CHECKS = {"load.failure_ratio", "load.p95", "load.p99", "load.min_throughput"}


def load_sh(*args: str, reports: Path, timeout: float = 120.0) -> RunResult:
    started = time.monotonic()
    done = subprocess.run(
        [str(LOAD_SH), f"--reports-dir={reports}", *args],
        cwd=ROOT,
        env=base_environ(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return RunResult(done.returncode, done.stdout, done.stderr, time.monotonic() - started, reports)


def load_checks(run: RunResult) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in run.summary["checks"] if c["category"] == "load"}


def results(reports: Path) -> dict[str, Any]:
    return json.loads((reports / "load" / "results.json").read_text())


def failed_load_checks(run: RunResult) -> set[str]:
    return {cid for cid, c in load_checks(run).items() if c["outcome"] == "failed"}


@pytest.mark.slow
def test_healthy_smoke_load_passes(tmp_path: Path) -> None:
    run = deploy_verify("--env=local", "--suite=load", reports=tmp_path)
    assert run.code == 0, run.output
    checks = load_checks(run)
    assert set(checks) == THRESHOLD_CHECKS | {"load.resources_under_load"}
    assert {cid: c["outcome"] for cid, c in checks.items()} == {
        "load.failure_ratio": "passed",
        "load.p95": "passed",
        "load.p99": "passed",
        "load.min_throughput": "skipped",  # no [load] min_rps in local.toml
        "load.resources_under_load": "passed",
    }
    assert checks["load.p95"]["reproduce"] == "./scripts/load.sh --env=local --load-profile=smoke"
    assert checks["load.p95"]["sample_size"] > 100
    assert "availability" in {c["category"] for c in run.checks("passed")}
    load = tmp_path / "load"
    for name in (
        "locust_stats.csv",
        "locust_failures.csv",
        "report.html",
        "results.json",
        "resources.json",
        "locust.log",
    ):
        assert (load / name).is_file(), name
    assert results(tmp_path)["workers"] == 0
    assert "THRESHOLD OK p95" in (load / "locust.log").read_text()
    for key in TEST_KEYS.values():
        assert files_containing(tmp_path, key) == []


@pytest.mark.slow
def test_error_spike_fails_on_the_failure_ratio(tmp_path: Path) -> None:
    run = deploy_verify(
        "--env=local",
        "--suite=load",
        "--reference-fault=error_spike",
        "--load-users=8",
        reports=tmp_path,
    )
    assert run.code == 1, run.output
    assert run.categories() == {"load"}
    assert failed_load_checks(run) == {"load.failure_ratio"}
    check = load_checks(run)["load.failure_ratio"]
    assert check["endpoint"] == "GET /api/fred-data"
    assert check["runbook"] == "api-error-spike"
    assert any("x GET /api/fred-data: status 500, expected 200" in d for d in check["details"])
    log = (tmp_path / "load" / "locust.log").read_text()
    assert "THRESHOLD BROKEN failure_ratio:" in log
    assert "(GET /api/fred-data, n=" in log
    assert "RESULT: FAILED" in run.stdout


@pytest.mark.slow
def test_slow_tail_fails_on_p95(tmp_path: Path) -> None:
    run = deploy_verify(
        "--env=local",
        "--suite=load",
        "--reference-fault=slow_tail",
        "--load-users=8",
        reports=tmp_path,
    )
    assert run.code == 1, run.output
    assert run.categories() == {"load"}
    assert "load.p95" in failed_load_checks(run)
    assert "load.failure_ratio" not in failed_load_checks(run)
    p95 = load_checks(run)["load.p95"]
    assert p95["budget"].startswith("P95 ≤ 500 ms overall")
    assert "THRESHOLD BROKEN p95:" in (tmp_path / "load" / "locust.log").read_text()


@pytest.mark.slow
def test_master_with_two_workers_enforces_the_same_thresholds(tmp_path: Path) -> None:
    run = deploy_verify(
        "--env=local",
        "--suite=load",
        "--reference-fault=slow_tail",
        "--load-users=8",
        "--workers=2",
        reports=tmp_path,
    )
    assert run.code == 1, run.output
    assert "load.p95" in failed_load_checks(run)
    assert results(tmp_path)["workers"] == 2
    for index in range(2):
        assert (tmp_path / "load" / f"worker-{index}.log").is_file()
    assert "--workers=2" in load_checks(run)["load.p95"]["reproduce"]


@pytest.mark.slow
def test_load_sh_runs_distributed_and_passes_a_healthy_service(tmp_path: Path) -> None:
    run = load_sh("--load-profile=smoke", "--load-duration=8", "--workers=2", reports=tmp_path)
    assert run.code == 0, run.output
    assert run.summary["suite"] == "load"
    assert results(tmp_path)["workers"] == 2
    # load.sh shows locust's own log as the run goes.
    assert "THRESHOLD OK failure_ratio" in run.output
    assert "Shape test starting" in run.output


@pytest.mark.slow
def test_memory_leak_warns_that_memory_keeps_growing(tmp_path: Path) -> None:
    run = deploy_verify(
        "--env=local", "--suite=load", "--reference-fault=memory_leak", reports=tmp_path
    )
    assert run.code == 0, run.output  # a warning, not a failure
    check = load_checks(run)["load.resources_under_load"]
    assert check["outcome"] == "warned", check
    assert "memory kept growing after the load stopped" in check["message"]
    assert check["metrics"]["source"] == "process"
    assert "WARNINGS" in run.stdout


@pytest.mark.slow
def test_smoke_load_joins_the_post_deploy_run(tmp_path: Path) -> None:
    run = deploy_verify("--env=local", "--smoke-load", reports=tmp_path)
    assert run.code == 0, run.output
    assert run.summary["suite"] == "postdeploy"
    assert load_checks(run)["load.p95"]["outcome"] == "passed"
    assert "smoke:" in results(tmp_path)["profile"]
    plain = deploy_verify(
        "--env=local", "--", "-k", "availability or load", reports=tmp_path / "plain"
    )
    assert plain.code == 0, plain.output
    assert load_checks(plain) == {}  # without the flag the post-deploy run sends no load


@pytest.mark.slow
def test_under_xdist_the_load_runs_once(tmp_path: Path) -> None:
    with reference_service(env=TEST_KEYS) as service:
        run = deploy_verify(
            f"--base-url={service.base_url}", "--suite=load", "--", "-n", "2", reports=tmp_path
        )
    assert run.code == 0, run.output
    assert len(load_checks(run)) == 5
    log = (tmp_path / "load" / "locust.log").read_text()
    assert log.count("Starting Locust") == 1
    # The worker that ran the load found the local service's process by its port.
    assert load_checks(run)["load.resources_under_load"]["metrics"]["source"] == "process"


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_keeps_the_reports(tmp_path: Path) -> None:
    # `with`: whatever fails below, the process (and its pipe) is killed and reaped,
    # so nothing is left running or unclosed for the next test of this worker.
    with subprocess.Popen(
        [str(LOAD_SH), f"--reports-dir={tmp_path}", "--load-profile=smoke", "--load-duration=60"],
        cwd=ROOT,
        env=base_environ(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            log = tmp_path / "load" / "locust.log"
            deadline = time.monotonic() + 60
            while not (log.is_file() and "All users spawned" in log.read_text()):
                assert process.poll() is None, "load.sh ended before the load started"
                assert time.monotonic() < deadline, "the load never started"
                time.sleep(0.2)
            process.send_signal(signal.SIGINT)  # what a terminal's Ctrl-C sends
            output, _ = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
    assert process.returncode == 130, output
    for name in ("report.html", "results.json", "locust_stats.csv"):
        assert (tmp_path / "load" / name).is_file(), name
    summary = json.loads((tmp_path / "summary.json").read_text())
    p95 = next(c for c in summary["checks"] if c["id"] == "load.p95")
    assert p95["outcome"] == "warned"
    assert "interrupted after" in p95["message"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-url=http://fred-staging.invalid:8080"], "pass --allow-remote-load"),
        (["--env=production", "--allow-remote-load"], "--confirm-production-load=production"),
        (["--env=production", "--confirm-production-load=production"], "pass --allow-remote-load"),
        (["--load-profile=stres"], "'stres' is not a load profile. Did you mean 'stress'?"),
        (["--load-users=-4"], "--load-users: -4 is out of range"),
        (["--load-duration=-30s"], "--load-duration: '-30s' is not a duration"),
        (["--workers=-1"], "--workers: -1 is out of range (accepted: 0..64)"),
        (["--load-users=5000"], "5000 users exceed the cap load.max_users = 200"),
    ],
    ids=[
        "remote",
        "production",
        "production-not-remote",
        "profile",
        "users",
        "duration",
        "workers",
        "cap",
    ],
)
def test_refusals_exit_2_before_any_load(args: list[str], message: str, tmp_path: Path) -> None:
    run = deploy_verify("--suite=load", *args, reports=tmp_path)
    assert run.code == 2, run.output
    assert message in run.output
    assert not (tmp_path / "load").exists()


def test_load_sh_refuses_a_remote_target_without_the_flag(tmp_path: Path) -> None:
    run = load_sh("--env=staging", reports=tmp_path)
    assert run.code == 2, run.output
    assert "fred-dashboard-staging.example.com is not on this machine" in run.output


def test_an_unreachable_target_fails_availability_and_sends_no_load(tmp_path: Path) -> None:
    run = load_sh(f"--base-url=http://127.0.0.1:{free_port()}", reports=tmp_path)
    assert run.code == 1, run.output
    assert run.categories() == {"availability"}
    assert {c["outcome"] for c in load_checks(run).values()} == {"skipped"}
    assert not (tmp_path / "load").exists()
