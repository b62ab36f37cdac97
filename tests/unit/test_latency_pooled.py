"""The pooled latency facts (``latency_pooled.pool``), apart from the verdict's text."""

from __future__ import annotations

from synthcheck.config import Budgets, ErrorRateSettings
from synthcheck.probe import TransportErrorKind
from synthcheck.verdicts.attribution import UpstreamHealth
from synthcheck.verdicts.latency_pooled import pool
from tests.support.exchanges import exchange, target

ERRORS = ErrorRateSettings()


def test_each_time_is_divided_by_its_own_endpoints_budget() -> None:
    fast = target(path="/api/a", budgets=Budgets(p95_ms=100.0))
    slow = target(path="/api/b", budgets=Budgets(p95_ms=500.0))
    pooled = pool(
        {fast: [exchange(200, {}, total_ms=50.0)], slow: [exchange(200, {}, total_ms=250.0)]},
        ERRORS,
    )
    assert pooled.ratios == (0.5, 0.5)
    assert pooled.endpoints == 2
    assert pooled.n == 2


def test_timeouts_are_cut_ratios_and_failed_requests_are_not_pooled() -> None:
    data = target("data", "/api/fred-data", budgets=Budgets(p95_ms=500.0))
    cut = exchange(None, total_ms=2000.0, error=TransportErrorKind.READ_TIMEOUT)
    pooled = pool({data: [cut, exchange(502, {}, total_ms=10.0), exchange(200, {})]}, ERRORS)
    assert pooled.cut_ratios == (4.0,)
    assert pooled.ratios == (0.01,)  # 5 ms of a 500 ms budget; the 502 is error_rate's
    assert pooled.n == 2


def test_endpoints_the_failing_upstream_explains_are_excused_not_pooled() -> None:
    health = target()
    data = target("data", "/api/fred-data")
    down = UpstreamHealth(failing=True, summary="FRED answered 3x 503")
    pooled = pool(
        {health: [exchange(200, {})], data: [exchange(200, {}, total_ms=9000.0)]}, ERRORS, down
    )
    assert pooled.excused == (data.id,)
    assert pooled.endpoints == 1
    assert pooled.n == 1


def test_an_endpoint_without_any_sample_is_not_counted() -> None:
    pooled = pool({target(): []}, ERRORS)
    assert (pooled.n, pooled.endpoints, pooled.excused) == (0, 0, ())
