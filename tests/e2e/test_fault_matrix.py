"""The real checks against the reference service: each fault fails its category.

Each case runs ``synthcheck verify --env=local`` (what ``scripts/deploy-verify.sh``
runs) in this process (tests/support/inprocess.py) with one fault switched on in the
embedded reference service, then reads ``summary.json``. The set of failing
categories must be exactly the expected one: a fault that also trips unrelated
checks would send the on-call engineer to the wrong runbook section. Two cases run
the script itself in a new process (a fault and a healthy run), to keep it honest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.harness import TEST_KEYS, RunResult, deploy_verify, files_containing
from tests.support.inprocess import verify_inprocess

pytestmark = pytest.mark.slow

FAULTS: list[tuple[str, set[str]]] = [
    ("down", {"availability"}),
    ("hang", {"availability"}),
    ("garbage", {"availability"}),
    ("redirect_loop", {"availability"}),
    ("unhealthy", {"health"}),
    ("unhealthy_body", {"health"}),
    ("schema_drift", {"health"}),
    ("html_health", {"health"}),
    ("unready", {"readiness"}),
    ("slow_live", {"liveness"}),
    ("memory_high", {"memory"}),
    # Other health formats, failing (docs/health-formats.md; healthy ones and the
    # message naming the component: tests/e2e/test_health_formats_e2e.py).
    ("health_format:shape=ietf,state=fail", {"health"}),
    ("health_format:shape=actuator,state=fail", {"health"}),
    ("health_format:shape=aspnet,state=fail", {"health"}),
    ("health_format:shape=kubernetes,state=fail", {"health"}),
    ("huge_body", {"response_size"}),
    # A slowly produced 40 MB data body: decided by its first response, not resampled.
    ("slow_huge_body", {"response_size"}),
    # Latency and errors (docs/statistics.md). A slow /api/ slows /api/live too, and
    # /api/live's response time is judged under liveness against its 100 ms budget.
    # slow_tail at p=0.3: the default p=0.1 is caught by the pooled latency verdict
    # (tests/e2e/test_statistics_e2e.py) but /api/live alone only sometimes.
    ("slow_tail:p=0.3", {"latency", "liveness"}),
    ("slow_all", {"latency", "liveness"}),
    # One route past every timeout while the rest answers: slow, not down (docs/deadlines.md).
    ("slow_data", {"latency", "error_rate"}),
    ("latency:ms=700", {"latency", "liveness"}),
    ("error_spike", {"error_rate"}),
    ("series_errors", {"error_rate"}),
    # One root cause, one category: the app's data-endpoint failures and its health
    # body's failing checks.fred_api are attributed to the upstream (warnings).
    ("upstream_slow", {"upstream"}),
    ("upstream_down", {"upstream"}),
    ("rate_limit_high:usage=1.0", {"rate_limit"}),
    # Key leaks (docs/key-leaks.md; tests/e2e/test_leak_matrix.py checks variants and
    # that no key reaches our own output). A 302 from the data endpoint is also an error.
    ("leak_body", {"key_leak"}),
    ("leak_header", {"key_leak"}),
    ("leak_redirect", {"key_leak", "error_rate"}),
    ("leak_error_page", {"key_leak"}),
    ("leak_prefix", {"key_leak"}),
    ("leak_percent", {"key_leak"}),
    ("leak_base64", {"key_leak"}),
    ("leak_alpha_vantage", {"key_leak"}),
    ("leak_script", {"key_leak"}),
    ("leak_log", {"key_leak"}),
    # Error pages with a traceback. (missing_headers and version_banner are warnings
    # by default, exit 0: tests/e2e/test_leak_matrix.py.)
    ("stack_trace", {"info_disclosure"}),
    # Data served while "success" (docs/data-checks.md): the series asked, fresh, no
    # fallback flag, FRED's own newest value.
    ("wrong_series", {"data"}),
    ("stale_data", {"data"}),
    ("fallback_flag", {"data"}),
    # A foreign Origin reflected with credentials: P1 even though headers only warn.
    ("cors_reflect", {"security_headers"}),
]


@pytest.mark.parametrize(("fault", "categories"), FAULTS, ids=[f for f, _ in FAULTS])
def test_fault_fails_the_run_with_its_category(
    fault: str, categories: set[str], tmp_path: Path
) -> None:
    run = verify_inprocess("--env=local", f"--reference-fault={fault}", reports=tmp_path)
    _assert_failed_with(run, categories, tmp_path)


def test_the_script_fails_a_fault_run_with_its_category(tmp_path: Path) -> None:
    """Smoke test of scripts/deploy-verify.sh in a new process: exit 1 and its reports."""
    run = deploy_verify("--env=local", "--reference-fault=unhealthy", reports=tmp_path)
    _assert_failed_with(run, {"health"}, tmp_path)


def _assert_failed_with(run: RunResult, categories: set[str], tmp_path: Path) -> None:
    assert run.code == 1, run.output
    assert run.categories() == categories, run.output
    summary = run.summary
    assert summary["outcome"] == "failed"
    assert summary["rollback_recommended"] is True
    for check in run.checks("failed"):
        assert check["runbook"]
        assert check["severity"] in {"P0", "P1", "P2", "P3"}
        assert check["budget"], check
        assert check["observed"], check
    assert "RESULT: FAILED" in run.stdout
    assert (tmp_path / "junit.xml").is_file()
    assert any((tmp_path / "allure-results").glob("*-result.json"))


@pytest.mark.parametrize("attempt", range(5))
def test_healthy_service_passes_every_time(attempt: int, tmp_path: Path) -> None:
    _assert_healthy(verify_inprocess("--env=local", reports=tmp_path))


def test_the_script_passes_a_healthy_service(tmp_path: Path) -> None:
    """Smoke test of scripts/deploy-verify.sh in a new process: exit 0 and its reports."""
    run = deploy_verify("--env=local", reports=tmp_path)
    _assert_healthy(run)
    assert (tmp_path / "junit.xml").is_file()


def _assert_healthy(run: RunResult) -> None:
    assert run.code == 0, run.output
    summary = run.summary
    assert summary["outcome"] == "passed"
    assert summary["rollback_recommended"] is False
    assert summary["counts"]["failed"] == 0
    assert summary["counts"]["error"] == 0
    assert summary["counts"]["warned"] == 0, run.checks("warned")
    assert summary["counts"]["passed"] >= 20
    assert "RESULT: PASSED" in run.stdout


def test_keys_never_reach_output_or_reports(tmp_path: Path) -> None:
    """With the key leaking in the health body, our own output still never shows it
    (a new process: this also sees what reaches file descriptors 1 and 2 directly)."""
    run = deploy_verify("--env=local", "--reference-fault=leak_body", reports=tmp_path)
    for name, value in TEST_KEYS.items():
        assert value not in run.output, name
        assert value[:8] not in run.output, name
        assert files_containing(tmp_path, value) == [], name
        assert files_containing(tmp_path, value[:8]) == [], name
