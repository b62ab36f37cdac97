"""Slow is not down, and every run ends inside its deadline (docs/deadlines.md).

The acceptance lines of issue 10 for timeouts: a 30-s data endpoint with production
timeouts fails latency and error_rate, never availability, inside the deadline; a
slowly produced 40 MB body fails response_size once and is not resampled. Wall-time
goals are measured in benchmarks/bench_verify.py; the bounds here are hang guards
that still fail a run that ignores its deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from synthcheck.reference import reference_service
from tests.support.harness import base_environ, deploy_verify

pytestmark = pytest.mark.slow

# Exception text of the HTTP stack (the pytest header names the anyio plugin: not that).
INTERNAL = ("Cancelled via cancel scope", "Errno", "Traceback", "httpx.", "anyio.")


@contextmanager
def _service(fault: str) -> Iterator[tuple[str, dict[str, str]]]:
    """A reference service with ``fault``; the verifier's FRED probes go to its stub."""
    with reference_service(faults=[fault], env=base_environ()) as service:
        yield service.base_url, base_environ(FRED_BASE_URL=service.upstream_url)


def _no_internal_text(run_output: str, summary: dict[str, object]) -> None:
    messages = " ".join(str(c) for c in summary["checks"])  # type: ignore[attr-defined]
    for text in INTERNAL:
        assert text not in messages, text
        assert text not in run_output, text


def test_a_30_s_data_endpoint_with_production_timeouts_is_slow_not_down(tmp_path: Path) -> None:
    with _service("slow_data") as (url, environ):
        run = deploy_verify(
            "--env=production", f"--base-url={url}", reports=tmp_path, environ=environ
        )
    assert run.code == 1, run.output
    assert run.categories() == {"latency", "error_rate"}, run.output
    summary = run.summary
    deadline_s = 60
    assert summary["duration_s"] < deadline_s + 10, summary["duration_s"]
    failed = {c["id"] for c in run.checks("failed")}
    for series in ("UNRATE", "GDPC1", "CPIAUCSL"):
        assert f"error_rate.per_endpoint[GET /api/fred-data?series={series}]" in failed
    assert "error_rate.overall" in failed
    answers = [c for c in summary["checks"] if c["id"].startswith("availability.endpoint_answers")]
    slow = [c for c in answers if "fred-data" in c["endpoint"]]
    assert all(c["outcome"] == "skipped" for c in slow), slow
    assert all("latency" in c["message"] for c in slow), slow
    # "unreachable" only when the reachability check failed (it passed here).
    assert not [c for c in summary["checks"] if "unreachable" in c["message"]]
    _no_internal_text(run.output, summary)


def test_a_slow_huge_body_fails_response_size_once_and_ends_early(tmp_path: Path) -> None:
    with _service("slow_huge_body") as (url, environ):
        run = deploy_verify("--env=staging", f"--base-url={url}", reports=tmp_path, environ=environ)
    assert run.code == 1, run.output
    assert run.categories() == {"response_size"}, run.output
    assert run.summary["duration_s"] < 60, run.summary["duration_s"]
    sizes = [c for c in run.checks("failed") if c["category"] == "response_size"]
    assert all("cut off by the probe" in c["message"] for c in sizes)


def test_the_deadline_flag_cuts_sampling_into_warnings_not_passes(tmp_path: Path) -> None:
    run = deploy_verify(
        "--env=local",
        "--reference-fault=slow_all:ms=300",
        "--budget=p95_ms=1000",
        "--budget=p95_critical_ms=2000",
        "--budget=liveness_ms=1000",
        "--deadline=3",
        reports=tmp_path,
    )
    assert run.code == 0, run.output  # nothing failed: the cut verdicts are warnings
    warned = run.checks("warned")
    assert any("deadline" in c["message"] for c in warned), warned
    assert run.summary["duration_s"] < 3 + 15


@pytest.mark.parametrize(
    ("flag", "source"),
    [
        ("--deadline=soon", "--deadline"),
        ("--timeout=0", "--timeout"),
        ("--connect-timeout=-1", "--connect-timeout"),
    ],
)
def test_bad_timing_flags_exit_2_naming_the_flag(flag: str, source: str, tmp_path: Path) -> None:
    run = deploy_verify("--env=local", flag, reports=tmp_path, timeout=30)
    assert run.code == 2, run.output
    assert source in run.output
