"""Latency verdicts on hand-made exchanges: pass, fail, inconclusive, critical, attribution."""

from __future__ import annotations

from dataclasses import replace

from synthcheck.catalog import Category, Severity
from synthcheck.config import Budgets, ErrorRateSettings, StatisticsSettings
from synthcheck.probe import TransportErrorKind
from synthcheck.verdicts import Outcome, latency
from synthcheck.verdicts.attribution import UpstreamHealth
from tests.support.exchanges import exchange, target

STATS = StatisticsSettings()
ERRORS = ErrorRateSettings()
DATA = target("data", "/api/fred-data")
HEALTH = target()


def times(*values: float, status: int = 200) -> list:
    return [exchange(status, {"ok": True}, total_ms=v, seq=i) for i, v in enumerate(values)]


def test_response_ms_uses_the_trace_when_there_is_one() -> None:
    plain = exchange(200, total_ms=12.0)
    assert latency.response_ms(plain) == 12.0  # no trace: the whole exchange
    traced = replace(plain, ttfb_ms=10.0, server_ms=7.5, total_ms=12.0)
    assert latency.response_ms(traced) == 9.5  # 7.5 server + 2.0 reading the body
    with_body_span = replace(traced, extra={"body_ms": 0.25})
    assert latency.response_ms(with_body_span) == 7.75  # 7.5 server + 0.25 body transfer
    redirected = replace(traced, redirects=(object(),))  # type: ignore[arg-type]
    assert latency.response_ms(redirected) == 12.0
    assert latency.response_ms(replace(plain, total_ms=None)) is None


def test_fast_endpoint_passes_with_enough_samples() -> None:
    result = latency.response_time(HEALTH, times(*[3.0] * 60), STATS, ERRORS)
    assert result.outcome == Outcome.PASSED
    assert result.category == Category.LATENCY
    assert result.sample_size == 60
    assert "P95 3.0 ms" in result.message
    assert result.metrics["p95_upper_ms"] == 3.0
    assert result.metrics["decision"] == "pass"


def test_too_few_fast_samples_warn_and_say_how_many_more() -> None:
    result = latency.response_time(HEALTH, times(*[3.0] * 20), STATS, ERRORS)
    assert result.outcome == Outcome.WARNED
    assert "39 more within budget would pass it" in result.message
    assert "7 more over budget would fail it" in result.message


def test_slow_endpoint_fails_with_bounds_and_budget() -> None:
    result = latency.response_time(HEALTH, times(*[700.0] * 10), STATS, ERRORS)
    assert result.outcome == Outcome.FAILED
    assert result.severity == Severity.P2
    assert "P95 700 ms > 500 ms" in result.message
    assert "99.9 % lower bound 700 ms" in result.message
    assert "P95 ≤ 500 ms" in result.budget
    assert "10 of 10 over 500 ms" in result.observed


def test_over_the_critical_line_escalates_to_p1() -> None:
    result = latency.response_time(HEALTH, times(*[1500.0] * 10), STATS, ERRORS)
    assert result.outcome == Outcome.FAILED
    assert result.severity == Severity.P1
    assert "critical 1000 ms" in result.message


def test_slow_tail_is_seen_where_the_median_is_fast() -> None:
    samples = [3.0] * 80 + [1200.0] * 20  # 20 % at 1.2 s: median 3 ms, P95 1.2 s
    result = latency.response_time(HEALTH, times(*samples), STATS, ERRORS)
    assert result.outcome == Outcome.FAILED
    assert result.metrics["p50_ms"] == 3.0


def test_failed_requests_are_timed_apart_not_judged() -> None:
    ok = times(*[3.0] * 60)
    errors = times(*[3000.0] * 5, status=503)
    timeout = [exchange(None, total_ms=5000.0, error=TransportErrorKind.READ_TIMEOUT)]
    result = latency.response_time(HEALTH, ok + errors + timeout, STATS, ERRORS)
    assert result.outcome == Outcome.PASSED
    assert result.metrics["failed_n"] == 6
    assert any("6 failed request(s) timed apart" in d for d in result.details)


def test_only_failures_means_nothing_to_time() -> None:
    result = latency.response_time(HEALTH, times(5.0, 6.0, status=502), STATS, ERRORS)
    assert result.outcome == Outcome.SKIPPED
    assert "see error_rate" in result.message


def test_warmups_are_reported_not_judged() -> None:
    warm = times(900.0, 800.0)
    result = latency.response_time(HEALTH, times(*[3.0] * 60), STATS, ERRORS, warmups=warm)
    assert result.outcome == Outcome.PASSED
    assert any("warm-up: 2 excluded (900 ms, 800 ms)" in d for d in result.details)


def test_p50_and_p99_budgets_are_judged_when_set() -> None:
    strict = target(budgets=Budgets(p50_ms=2.0, p99_ms=1000.0))
    result = latency.response_time(strict, times(*[3.0] * 60), STATS, ERRORS)
    assert result.outcome == Outcome.FAILED
    assert "P50 3.0 ms > 2 ms" in result.message
    relaxed = target(budgets=Budgets(p50_ms=10.0, p99_ms=1000.0))
    undecided = latency.response_time(relaxed, times(*[3.0] * 60), STATS, ERRORS)
    assert undecided.outcome == Outcome.WARNED  # a P99 pass needs 299 samples
    assert "P99" in undecided.message


def test_liveness_category_keeps_its_own_severity() -> None:
    live = target("live", "/api/live", budgets=Budgets(p95_ms=100, p95_critical_ms=250))
    result = latency.response_time(
        live, times(*[1200.0] * 5), STATS, ERRORS, category=Category.LIVENESS
    )
    assert result.outcome == Outcome.FAILED
    assert result.category == Category.LIVENESS
    assert result.severity == Severity.P0


def test_failing_upstream_turns_data_failures_into_attributed_warnings() -> None:
    down = UpstreamHealth(failing=True, summary="FRED answered 3x 503")
    slow = times(*[2500.0] * 10)
    data = latency.response_time(DATA, slow, STATS, ERRORS, upstream=down)
    assert data.outcome == Outcome.WARNED
    assert "attributed to the FRED upstream" in data.message
    assert "upstream.fred" in data.message
    # Endpoints that do not depend on the upstream are still the app's fault.
    assert (
        latency.response_time(HEALTH, slow, STATS, ERRORS, upstream=down).outcome == Outcome.FAILED
    )


def test_overall_pools_endpoints_by_their_own_budgets() -> None:
    live = target("live", "/api/live", budgets=Budgets(p95_ms=100))
    healthy = {HEALTH: times(*[3.0] * 40), live: times(*[50.0] * 40)}  # both well within
    assert latency.overall(healthy, STATS, ERRORS).outcome == Outcome.PASSED
    # 10 % of requests at 2x their budget on each endpoint: each alone is undecided at
    # n=100, pooled over 4 endpoints the tail is clear.
    tail = [3.0] * 90 + [1000.0] * 10
    endpoints = [target(path=f"/api/x{i}") for i in range(4)]
    each = latency.response_time(endpoints[0], times(*tail), STATS, ERRORS)
    assert each.outcome == Outcome.WARNED
    pooled = latency.overall({t: times(*tail) for t in endpoints}, STATS, ERRORS)
    assert pooled.outcome == Outcome.FAILED
    assert "40 of 400 requests (10.0 %) exceeded" in pooled.message


def test_overall_leaves_out_what_the_upstream_explains() -> None:
    down = UpstreamHealth(failing=True, summary="FRED answered 3x 503")
    recorded = {HEALTH: times(*[3.0] * 60), DATA: times(*[2500.0] * 10)}
    result = latency.overall(recorded, STATS, ERRORS, upstream=down)
    assert result.outcome == Outcome.PASSED
    assert any("not counted" in d and DATA.id in d for d in result.details)


def test_overall_without_any_exchange_is_unreachable() -> None:
    result = latency.overall({HEALTH: []}, STATS, ERRORS)
    assert result.outcome == Outcome.SKIPPED
    assert "unreachable" in result.message
