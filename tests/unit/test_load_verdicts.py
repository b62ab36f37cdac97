"""A load run's outcome → summary entries: budget, observation, reproduction, runbook."""

from __future__ import annotations

import subprocess
import sys

from synthcheck.catalog import Category
from synthcheck.config.model import LoadSettings
from synthcheck.load.loadrun import LoadOutcome
from synthcheck.load.results import LoadResults
from synthcheck.load.thresholds import OVERALL, RowBudget, RowStats, Thresholds, evaluate
from synthcheck.load.trend import MIB, ResourceSample, summarize
from synthcheck.load.verdicts import resources_verdict, threshold_verdict
from synthcheck.verdicts import Outcome

BUDGET = RowBudget(0.05, 500, 1000)
COMMAND = "./scripts/load.sh --env=local --load-profile=smoke"


def outcome(
    p95: float = 40, failures: int = 0, min_rps: float | None = None, **kw: object
) -> LoadOutcome:
    rows = [RowStats("GET /api/fred-data", 600, failures, 5, p95, p95 + 50, p95 + 60, 9, 40)]
    total = RowStats(OVERALL, 800, failures, 5, p95, p95 + 50, p95 + 60, 9, 53.3)
    thresholds = Thresholds(BUDGET, {"GET /api/fred-data": BUDGET}, min_rps=min_rps)
    results = LoadResults(
        host="http://127.0.0.1:8000",
        profile="smoke: up to 4 users (+4/s) for 10 s, steady, pauses 50-250 ms",
        started_at=0.0,
        duration_s=10.0,
        workers=0,
        rows=rows,
        total=total,
        thresholds=evaluate(thresholds, rows, total),
        errors=[
            {
                "request": "GET /api/fred-data",
                "error": "status 500, expected 200",
                "occurrences": failures,
            }
        ],
    )
    fields: dict[str, object] = {
        "profile": results.profile,
        "command": COMMAND,
        "directory": "reports/load",
        "exit_code": 0,
        "seconds": 11.0,
        "results": results,
    }
    fields.update(kw)
    return LoadOutcome(**fields)  # type: ignore[arg-type]


def test_a_broken_p95_explains_itself() -> None:
    result = threshold_verdict(outcome(p95=1204), "p95")
    assert result.outcome == Outcome.FAILED
    assert result.category == Category.LOAD
    assert result.runbook == "slow-response-times"
    assert result.message == (
        "P95 under load broke its budget: 1204 ms > budget 500 ms (GET /api/fred-data, n=600)"
    )
    assert result.endpoint == "GET /api/fred-data"
    assert result.budget == "P95 ≤ 500 ms overall; each endpoint within its own P95 budget"
    assert result.observed.startswith("GET /api/fred-data: 1204 ms (budget 500, n=600)")
    assert result.sample_size == 800
    assert result.reproduce == COMMAND
    assert (
        result.details[0]
        == "THRESHOLD BROKEN p95: 1204 ms > budget 500 ms (GET /api/fred-data, n=600)"
    )


def test_failure_ratio_lists_the_failures_and_points_to_the_error_spike_runbook() -> None:
    result = threshold_verdict(outcome(failures=66), "failure_ratio")
    assert result.outcome == Outcome.FAILED
    assert result.runbook == "api-error-spike"
    assert "11.0% > budget 5.0% (GET /api/fred-data, n=600, 66 failed)" in result.message
    assert "66x GET /api/fred-data: status 500, expected 200" in result.details


def test_within_budget_passes_with_the_figures() -> None:
    result = threshold_verdict(outcome(), "p99")
    assert result.outcome == Outcome.PASSED
    assert (
        result.observed
        == "all requests: 90 ms (budget 1000, n=800); 1 endpoint(s) judged, all within"
    )
    assert result.metrics["rps"] == 53.3


def test_throughput_is_skipped_unless_a_minimum_is_set() -> None:
    assert threshold_verdict(outcome(), "min_rps").outcome == Outcome.SKIPPED
    assert threshold_verdict(outcome(min_rps=100), "min_rps").outcome == Outcome.FAILED
    assert threshold_verdict(outcome(min_rps=10), "min_rps").outcome == Outcome.PASSED


def test_an_interrupted_run_is_not_a_pass() -> None:
    result = threshold_verdict(outcome(interrupted=True, seconds=8.2), "p95")
    assert result.outcome == Outcome.WARNED
    assert result.message.endswith("(interrupted after 8 s: partial figures)")
    assert threshold_verdict(outcome(p95=900, interrupted=True), "p95").outcome == Outcome.FAILED


def test_a_run_without_results_is_an_error_pointing_at_the_log() -> None:
    result = threshold_verdict(outcome(results=None, exit_code=2, log_tail=["boom"]), "p95")
    assert result.outcome == Outcome.ERROR
    assert (
        result.message == "the load run exited 2 and wrote no results: see reports/load/locust.log"
    )
    assert result.details == ["boom"]


def test_resources_warn_on_a_leak_and_pass_when_quiet() -> None:
    leak = [ResourceSample(float(t), t >= 3, "process", 10.0, (40 + 3 * t) * MIB) for t in range(8)]
    trend = summarize(leak, cpu_limit=80, growth_limit_mib=4, memory_budget_percent=80)
    warned = resources_verdict(outcome(trend=trend), LoadSettings(), 80)
    assert warned.outcome == Outcome.WARNED
    assert (
        warned.message
        == "memory kept growing after the load stopped: +15.0 MiB in 5 s (allowed 4 MiB)"
    )
    quiet = [ResourceSample(float(t), t >= 3, "process", 10.0, 40 * MIB) for t in range(8)]
    calm = summarize(quiet, cpu_limit=80, growth_limit_mib=4, memory_budget_percent=80)
    passed = resources_verdict(outcome(trend=calm), LoadSettings(), 80)
    assert passed.outcome == Outcome.PASSED
    assert "not growing > 4 MiB after the load stopped" in passed.budget
    assert resources_verdict(outcome(), LoadSettings(), 80).outcome == Outcome.SKIPPED


def test_outcomes_travel_between_xdist_workers_as_json() -> None:
    trend = summarize(
        [ResourceSample(0.0, False, "health", 1.0, MIB, 1.0)],
        cpu_limit=80,
        growth_limit_mib=4,
        memory_budget_percent=80,
    )
    original = outcome(trend=trend)
    again = LoadOutcome.from_dict(original.to_dict())
    assert again == original


def test_the_harness_side_never_imports_locust_or_gevent() -> None:
    code = (
        "import sys, synthcheck.pytest_plugin, synthcheck.cli, synthcheck.load.loadrun,"
        " synthcheck.load.verdicts, synthcheck.load.context;"
        " bad = sorted(m for m in sys.modules if m.split('.')[0] in ('locust', 'gevent'));"
        " print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
