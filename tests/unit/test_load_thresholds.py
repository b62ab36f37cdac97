"""Where P95, P99, failure ratio and throughput under load are decided, and how it reads."""

from __future__ import annotations

from synthcheck.load.thresholds import (
    OVERALL,
    RowBudget,
    RowStats,
    ThresholdOutcome,
    Thresholds,
    broken,
    evaluate,
)

BUDGET = RowBudget(error_rate=0.05, p95_ms=500, p99_ms=1000)
LIVE = RowBudget(error_rate=0.05, p95_ms=100, p99_ms=250)
THRESHOLDS = Thresholds(
    overall=BUDGET, rows={"GET /api/fred-data": BUDGET, "GET /api/live": LIVE}, min_requests=20
)


def row(
    key: str,
    requests: int = 800,
    failures: int = 0,
    p95: float = 40,
    p99: float = 80,
    rps: float = 50.0,
) -> RowStats:
    return RowStats(key, requests, failures, 10.0, p95, p99, p99 + 10, 12.0, rps)


def by_scope(outcomes: list[ThresholdOutcome], threshold: str) -> dict[str, ThresholdOutcome]:
    return {o.scope: o for o in outcomes if o.threshold == threshold}


def test_a_healthy_run_keeps_every_threshold() -> None:
    rows = [row("GET /api/fred-data"), row("GET /api/live", p95=20, p99=30)]
    outcomes = evaluate(THRESHOLDS, rows, row(OVERALL, 1600))
    assert broken(outcomes) == []
    assert {o.threshold for o in outcomes} == {"failure_ratio", "p95", "p99"}
    assert by_scope(outcomes, "p95")[OVERALL].line == (
        "THRESHOLD OK p95: 40 ms <= budget 500 ms (all requests, n=1600)"
    )


def test_a_slow_endpoint_breaks_p95_with_a_line_naming_it() -> None:
    rows = [row("GET /api/fred-data", 812, p95=1204, p99=1300), row("GET /api/live")]
    outcomes = evaluate(THRESHOLDS, rows, row(OVERALL, 1612, p95=300))
    bad = broken(outcomes)
    assert [(o.threshold, o.scope) for o in bad] == [
        ("p95", "GET /api/fred-data"),
        ("p99", "GET /api/fred-data"),
    ]
    assert bad[0].line == (
        "THRESHOLD BROKEN p95: 1204 ms > budget 500 ms (GET /api/fred-data, n=812)"
    )


def test_each_endpoint_is_held_to_its_own_budget() -> None:
    rows = [row("GET /api/live", p95=150, p99=200)]  # fine for data, too slow for liveness
    outcomes = evaluate(THRESHOLDS, rows, row(OVERALL, 800, p95=150))
    assert [(o.threshold, o.scope, o.budget) for o in broken(outcomes)] == [
        ("p95", "GET /api/live", 100)
    ]


def test_failure_ratio_breaks_per_endpoint_and_overall() -> None:
    rows = [row("GET /api/fred-data", 300, failures=33), row("GET /api/live", 200)]
    outcomes = evaluate(THRESHOLDS, rows, row(OVERALL, 500, failures=33))
    ratios = by_scope(outcomes, "failure_ratio")
    assert ratios["GET /api/fred-data"].state == "broken"
    assert ratios[OVERALL].state == "broken"  # 6.6 %
    assert ratios["GET /api/live"].state == "ok"
    assert ratios["GET /api/fred-data"].line == (
        "THRESHOLD BROKEN failure_ratio: 11.0% > budget 5.0% (GET /api/fred-data, n=300, 33 failed)"
    )


def test_endpoints_with_few_requests_count_only_overall() -> None:
    rows = [row("GET /api/live", 12, failures=6, p95=900)]
    outcomes = evaluate(THRESHOLDS, rows, row(OVERALL, 812, failures=6))
    live = [o for o in outcomes if o.scope == "GET /api/live"]
    assert {o.state for o in live} == {"not_judged"}
    assert "too few requests" in live[0].line
    assert broken(outcomes) == []


def test_no_requests_at_all_is_broken_never_a_vacuous_pass() -> None:
    outcomes = evaluate(THRESHOLDS, [], row(OVERALL, 0, p95=0, p99=0))
    assert {o.threshold for o in broken(outcomes)} == {"failure_ratio", "p95", "p99"}
    assert "no requests were made (all requests, n=0)" in broken(outcomes)[0].line


def test_minimum_throughput_is_judged_only_when_set() -> None:
    rows = [row("GET /api/fred-data")]
    assert not [o for o in evaluate(THRESHOLDS, rows, row(OVERALL)) if o.threshold == "min_rps"]
    strict = Thresholds(overall=BUDGET, rows={}, min_rps=100)
    rps = by_scope(evaluate(strict, rows, row(OVERALL, rps=42.5)), "min_rps")[OVERALL]
    assert rps.state == "broken"
    assert (
        rps.line == "THRESHOLD BROKEN min_rps: 42.5 req/s < budget 100 req/s (all requests, n=800)"
    )
    ok = by_scope(evaluate(strict, rows, row(OVERALL, rps=120)), "min_rps")[OVERALL]
    assert ok.state == "ok"


def test_outcomes_and_rows_survive_json() -> None:
    outcomes = evaluate(THRESHOLDS, [row("GET /api/fred-data", p95=700)], row(OVERALL))
    again = [ThresholdOutcome.from_dict(o.to_dict()) for o in outcomes]
    assert again == outcomes
    assert outcomes[0].to_dict()["line"] == outcomes[0].line
    stats = row("GET /api/live")
    assert RowStats.from_dict(stats.to_dict()) == stats


def test_an_endpoint_p99_needs_a_hundred_requests() -> None:
    rows = [row("GET /api/live", 40, p95=20, p99=400)]  # one hiccup is "the P99" of 40
    outcomes = evaluate(THRESHOLDS, rows, row(OVERALL, 800))
    live = {o.threshold: o.state for o in outcomes if o.scope == "GET /api/live"}
    assert live == {"failure_ratio": "ok", "p95": "ok", "p99": "not_judged"}
    assert broken(outcomes) == []
    many = evaluate(THRESHOLDS, [row("GET /api/live", 100, p95=20, p99=400)], row(OVERALL, 800))
    assert [(o.threshold, o.scope) for o in broken(many)] == [("p99", "GET /api/live")]
