"""Latency verdicts on hand-made exchanges: pass, fail, inconclusive, critical, attribution."""

from __future__ import annotations

from dataclasses import replace

from synthcheck.catalog import Category, Severity
from synthcheck.config import Budgets, ErrorRateSettings, StatisticsSettings
from synthcheck.probe import TransportErrorKind, measure
from synthcheck.verdicts import Outcome, latency, latency_pooled
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
    assert measure.response_ms(plain) == 12.0  # no trace: the whole exchange
    traced = replace(plain, ttfb_ms=10.0, server_ms=7.5, total_ms=12.0)
    assert measure.response_ms(traced) == 9.5  # 7.5 server + 2.0 reading the body
    with_body_span = replace(traced, extra={"body_ms": 0.25})
    assert measure.response_ms(with_body_span) == 7.75  # 7.5 server + 0.25 body transfer
    redirected = replace(traced, redirects=(object(),))  # type: ignore[arg-type]
    assert measure.response_ms(redirected) == 12.0
    assert measure.response_ms(replace(plain, total_ms=None)) is None


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
    # The sequential test: 56 fast samples pass (0.95/0.9)^-56 < 5 %; 3 of 3 over fail.
    assert "36 more within budget would pass it" in result.message
    assert "9 more over budget would fail it" in result.message


def test_slow_endpoint_fails_with_bounds_and_budget() -> None:
    result = latency.response_time(HEALTH, times(*[700.0] * 10), STATS, ERRORS)
    assert result.outcome == Outcome.FAILED
    assert result.severity == Severity.P2
    assert "P95 700 ms > 500 ms: 10 of 10 over 500 ms (100.0 %; the budget allows 5 %)" in (
        result.message
    )
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
    refused = [exchange(None, total_ms=1.0, error=TransportErrorKind.CONNECT_REFUSED)]
    result = latency.response_time(HEALTH, ok + errors + refused, STATS, ERRORS)
    assert result.outcome == Outcome.PASSED
    assert result.sample_size == 60
    assert result.metrics["failed_n"] == 6
    assert any("6 failed request(s) timed apart" in d for d in result.details)


def test_a_timeout_is_a_slow_sample_not_a_missing_one() -> None:
    # Behaviour change (issue 10): the timed-out request counts as "at least 5 s".
    ok = times(*[3.0] * 60)
    timeout = [exchange(None, total_ms=5000.0, error=TransportErrorKind.READ_TIMEOUT)]
    result = latency.response_time(HEALTH, ok + timeout, STATS, ERRORS)
    assert result.outcome == Outcome.WARNED  # 1 of 61 over: 61 fast ones are not enough
    assert result.sample_size == 61
    assert result.metrics["timed_out_n"] == 1
    assert result.metrics["failed_n"] == 0
    assert "1 over 500 ms, 1 timed out" in result.message
    more = latency.response_time(HEALTH, times(*[3.0] * 70) + timeout, STATS, ERRORS)
    assert more.outcome == Outcome.PASSED  # 70 x ln(0.95/0.9) - ln 2 < ln 0.05
    assert any("1 request(s) timed out" in d for d in more.details)


def test_every_request_timed_out_fails_latency_with_the_cut_off_as_a_floor() -> None:
    cut = [
        exchange(None, total_ms=10_000.0 + i, error=TransportErrorKind.TOTAL_TIMEOUT, seq=i)
        for i in range(4)
    ]
    result = latency.response_time(DATA, cut, STATS, ERRORS)
    assert result.outcome == Outcome.FAILED
    assert result.category == Category.LATENCY
    assert result.message.startswith(f"{DATA.id} is slow: P95 ≥ 10 s > 500 ms: 4 of 4 timed out")
    assert "over the critical 1000 ms" in result.message
    assert result.severity == Severity.P1
    assert result.metrics["p95_ms"] is None  # a cut-off is never shown as a measured P95
    assert result.metrics["p95_at_least_ms"] == 10_003.0
    assert "P95 ≥ 10 s" in result.observed
    # Two cut-offs are not enough to be sure: a warning that says what would decide it.
    two = latency.response_time(DATA, cut[:2], STATS, ERRORS)
    assert two.outcome == Outcome.WARNED
    assert "2 over 500 ms, 2 timed out" in two.message
    assert "1 more over budget would fail it" in two.message


def test_a_cut_off_below_the_budget_counts_against_a_pass_only() -> None:
    # Budget 15 s, requests cut off at 10 s: their side of the budget is unknown.
    lax = target(budgets=Budgets(p95_ms=15_000.0, p95_critical_ms=30_000.0))
    cut = [exchange(None, total_ms=10_000.0, error=TransportErrorKind.READ_TIMEOUT)] * 10
    result = latency.response_time(lax, cut, STATS, ERRORS)
    assert result.outcome == Outcome.WARNED  # neither fails nor passes
    assert result.metrics["p95_over_budget"] == 0


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
    assert latency_pooled.overall(healthy, STATS, ERRORS).outcome == Outcome.PASSED
    # 10 % of requests at 2x their budget on each endpoint: each alone is undecided at
    # n=100, pooled over 4 endpoints the tail is clear.
    tail = [3.0] * 90 + [1000.0] * 10
    endpoints = [target(path=f"/api/x{i}") for i in range(4)]
    each = latency.response_time(endpoints[0], times(*tail), STATS, ERRORS)
    assert each.outcome == Outcome.WARNED
    pooled = latency_pooled.overall({t: times(*tail) for t in endpoints}, STATS, ERRORS)
    assert pooled.outcome == Outcome.FAILED
    assert "40 of 400 requests (10.0 %) exceeded" in pooled.message


def test_overall_leaves_out_what_the_upstream_explains() -> None:
    down = UpstreamHealth(failing=True, summary="FRED answered 3x 503")
    recorded = {HEALTH: times(*[3.0] * 60), DATA: times(*[2500.0] * 10)}
    result = latency_pooled.overall(recorded, STATS, ERRORS, upstream=down)
    assert result.outcome == Outcome.PASSED
    assert any("not counted" in d and DATA.id in d for d in result.details)


def test_overall_without_any_exchange_is_unreachable_only_when_the_service_is() -> None:
    result = latency_pooled.overall({HEALTH: []}, STATS, ERRORS, reachable=False)
    assert result.outcome == Outcome.SKIPPED
    assert "unreachable" in result.message
    answering = latency_pooled.overall({HEALTH: []}, STATS, ERRORS, reachable=True)
    assert answering.outcome == Outcome.SKIPPED
    assert "unreachable" not in answering.message
    assert "no measured request" in answering.message


def test_skipped_endpoint_says_unreachable_only_when_the_service_is() -> None:
    down = latency.response_time(HEALTH, [], STATS, ERRORS, reachable=False)
    assert "unreachable" in down.message
    not_sent = latency.response_time(HEALTH, [], STATS, ERRORS, reachable=True)
    assert not_sent.outcome == Outcome.SKIPPED
    assert "unreachable" not in not_sent.message
    cut_short = latency.response_time(HEALTH, [], STATS, ERRORS, cut=True)
    assert "deadline" in cut_short.message
    assert "unreachable" not in cut_short.message
    failing = latency.response_time(HEALTH, times(5.0, 6.0, status=502), STATS, ERRORS)
    assert "2x 502" in failing.message
    assert "unreachable" not in failing.message


def test_overall_counts_timeouts_of_an_endpoint_that_never_answered_in_time() -> None:
    cut = [exchange(None, total_ms=10_000.0, error=TransportErrorKind.TOTAL_TIMEOUT)] * 4
    endpoints = [target(path=f"/api/x{i}") for i in range(3)]
    recorded = {t: times(*[3.0] * 20) for t in endpoints} | {DATA: cut}
    result = latency_pooled.overall(recorded, STATS, ERRORS)
    assert result.metrics["timed_out_n"] == 4
    assert result.metrics["endpoints"] == 4
    assert result.sample_size == 64
    assert "4 timed out" in result.observed


def test_an_undecided_verdict_says_when_the_deadline_cut_it_short() -> None:
    result = latency.response_time(HEALTH, times(*[3.0] * 20), STATS, ERRORS, cut=True)
    assert result.outcome == Outcome.WARNED
    assert "the run deadline cut its sampling short" in result.message


def test_slow_and_timed_out_requests_together_say_both() -> None:
    cut = [
        exchange(None, total_ms=10_000.0, error=TransportErrorKind.READ_TIMEOUT, seq=100 + i)
        for i in range(10)
    ]
    result = latency.response_time(DATA, times(*[700.0] * 10) + cut, STATS, ERRORS)
    assert result.outcome == Outcome.FAILED
    assert "P95 ≥ 10 s > 500 ms: 20 of 20 over 500 ms (10 timed out)" in result.message
    # Cut off before a 15 s budget: not counted as over; the 20 s ones fail it.
    lax = target(budgets=Budgets(p95_ms=15_000.0, p95_critical_ms=30_000.0))
    early = [exchange(None, total_ms=10_000.0, error=TransportErrorKind.READ_TIMEOUT)] * 5
    mixed = latency.response_time(lax, times(*[20_000.0] * 20) + early, STATS, ERRORS)
    assert mixed.outcome == Outcome.FAILED
    assert mixed.metrics["p95_over_budget"] == 20
    assert "20 of 25 over 15000 ms (5 timed out)" in mixed.message
