"""Under load, timeouts are reported as such, never the client's cut-off as a P95/P99."""

from __future__ import annotations

from dataclasses import replace

from synthcheck.load.thresholds import OVERALL, RowBudget, RowStats, Thresholds, evaluate

BUDGET = RowBudget(error_rate=0.05, p95_ms=500, p99_ms=1000)
THRESHOLDS = Thresholds(overall=BUDGET, rows={}, min_requests=20)
DATA = "GET /api/fred-data"


def row(key: str, requests: int, timeouts: int, p95: float, p99: float) -> RowStats:
    return RowStats(
        key, requests, timeouts, 10.0, p95, p99, p99, 12.0, 5.0, timeouts, cutoff_ms=10_000.0
    )


def test_censored_is_where_the_percentile_falls_among_timeouts() -> None:
    r = row(DATA, 100, 5, 40, 10_000)
    assert not r.censored(0.95)  # the 95th of 100 is the last one that answered
    assert r.censored(0.99)
    assert row(DATA, 4, 4, 10_000, 10_000).censored(0.5)
    assert not replace(r, timeouts=0).censored(0.99)


def test_an_endpoint_that_times_out_fails_p95_as_a_lower_bound() -> None:
    slow = row(DATA, 4, 4, 10_000, 10_000)  # four requests: too few to judge a P95 alone
    outcomes = evaluate(THRESHOLDS, [slow], row(OVERALL, 400, 4, 40, 60))
    (p95,) = [o for o in outcomes if o.threshold == "p95" and o.scope == DATA]
    assert p95.state == "broken"
    assert p95.censored
    assert p95.line == (
        f"THRESHOLD BROKEN p95: ≥ 10000 ms (4 of 4 requests timed out) > budget 500 ms"
        f" ({DATA}, n=4)"
    )
    overall = {o.threshold: o for o in outcomes if o.scope == OVERALL}
    assert overall["p95"].state == "ok"  # 4 of 400: the pooled P95 did answer
    assert not overall["p95"].censored


def test_without_timeouts_nothing_changes() -> None:
    healthy = RowStats(DATA, 800, 0, 10.0, 40, 80, 90, 12.0, 50.0)
    outcomes = evaluate(THRESHOLDS, [healthy], healthy)
    assert all(not o.censored for o in outcomes)
    assert all(o.state == "ok" for o in outcomes)


def test_a_cutoff_under_the_budget_decides_nothing() -> None:
    lax = Thresholds(overall=RowBudget(0.5, 20_000, 20_000), rows={}, min_requests=1)
    slow = row(DATA, 40, 40, 10_000, 10_000)
    outcomes = evaluate(lax, [slow], slow)
    assert all(not o.censored for o in outcomes)


def test_old_results_files_still_read() -> None:
    data = RowStats(DATA, 10, 0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0).to_dict()
    del data["timeouts"], data["cutoff_ms"]
    assert RowStats.from_dict(data).timeouts == 0
