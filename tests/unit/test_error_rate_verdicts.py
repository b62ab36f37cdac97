"""Error-rate verdicts on hand-made exchanges: what counts, per endpoint and overall."""

from __future__ import annotations

from dataclasses import replace

from synthcheck.catalog import Category
from synthcheck.config import Budgets, ErrorRateSettings
from synthcheck.probe import TransportError, TransportErrorKind, measure
from synthcheck.verdicts import Outcome, error_rate
from synthcheck.verdicts.attribution import UpstreamHealth
from synthcheck.verdicts.timeline import run_span, timeline
from tests.support.exchanges import exchange, target

SETTINGS = ErrorRateSettings()
HEALTH = target()
DATA = target("data", "/api/fred-data")


def run_of(*statuses: int | None) -> list:
    """Exchanges one second apart, in order, with these statuses (None: a read timeout)."""
    out = []
    for i, status in enumerate(statuses):
        error = TransportErrorKind.READ_TIMEOUT if status is None else None
        out.append(
            replace(exchange(status, {"ok": True}, error=error, seq=i + 1), started_mono=float(i))
        )
    return out


def test_what_counts_as_an_error() -> None:
    expected = (200,)
    assert measure.failure(run_of(200)[0], expected, ()) is None
    assert measure.failure(run_of(503)[0], expected, ()) == "503"
    assert measure.failure(run_of(None)[0], expected, ()) == "timeout (read)"
    assert measure.failure(run_of(404)[0], expected, ()) == "404"
    assert measure.failure(run_of(404)[0], expected, (404,)) is None  # configured as expected
    assert measure.failure(run_of(302)[0], expected, ()) == "302"  # unexpected
    assert measure.failure(run_of(503)[0], (200, 503), ()) is None  # the endpoint expects it


def test_clean_endpoint_passes_once_the_test_is_sure() -> None:
    exchanges = run_of(*[200] * 63)
    result = error_rate.per_endpoint(HEALTH, exchanges, SETTINGS, span=run_span(exchanges))
    assert result.outcome == Outcome.PASSED
    assert result.category == Category.ERROR_RATE
    assert "0 of 63 failed: 0.0 %" in result.observed
    assert result.metrics["decision"] == "pass"


def test_short_clean_run_is_inconclusive_and_says_how_many_more() -> None:
    exchanges = run_of(*[200] * 20)
    result = error_rate.per_endpoint(HEALTH, exchanges, SETTINGS, span=run_span(exchanges))
    assert result.outcome == Outcome.WARNED
    assert "43 more without an error would pass it" in result.message


def test_failure_names_statuses_and_when() -> None:
    exchanges = run_of(*([200] * 10 + [502, None] * 5))
    result = error_rate.per_endpoint(HEALTH, exchanges, SETTINGS, span=run_span(exchanges))
    assert result.outcome == Outcome.FAILED
    assert "5x 502, 5x timeout (read)" in result.message
    assert "10 of 20 failed: 50.0 %" in result.observed
    line = next(d for d in result.details if d.startswith("timeline"))
    assert "|..........XXXXXXXXXX|" in line  # healthy first half, failing second half


def test_one_percent_errors_pass_a_five_percent_budget() -> None:
    statuses = ([200] * 99 + [500]) * 2
    exchanges = run_of(*statuses)
    result = error_rate.per_endpoint(DATA, exchanges, SETTINGS, span=run_span(exchanges))
    assert result.outcome == Outcome.PASSED


def test_endpoint_budget_applies() -> None:
    strict = target(budgets=Budgets(error_rate=0.0))
    exchanges = run_of(*([200] * 50 + [500]))
    result = error_rate.per_endpoint(strict, exchanges, SETTINGS, span=run_span(exchanges))
    assert result.outcome == Outcome.FAILED


def test_upstream_explains_data_endpoint_errors() -> None:
    down = UpstreamHealth(failing=True, summary="FRED answered 3x 503")
    exchanges = run_of(*[502] * 10)
    data = error_rate.per_endpoint(
        DATA, exchanges, SETTINGS, span=run_span(exchanges), upstream=down
    )
    assert data.outcome == Outcome.WARNED
    assert "attributed to the FRED upstream (FRED answered 3x 503" in data.message
    health = error_rate.per_endpoint(
        HEALTH, exchanges, SETTINGS, span=run_span(exchanges), upstream=down
    )
    assert health.outcome == Outcome.FAILED


def test_overall_names_the_failing_endpoints_worst_first() -> None:
    ready = target("ready", "/api/ready")
    recorded = {
        HEALTH: run_of(*[200] * 100),
        ready: run_of(*([200] * 80 + [503] * 20)),
        DATA: run_of(*([200] * 60 + [502] * 40)),
    }
    span = run_span([e for ex in recorded.values() for e in ex])
    result = error_rate.overall(recorded, SETTINGS, 0.05, span=span)
    assert result.outcome == Outcome.FAILED
    assert result.message.index(DATA.id) < result.message.index(ready.id)
    assert "40x 502" in result.message
    assert "20x 503" in result.message
    assert result.details[0].startswith(f"{DATA.id}: 40/100 (40x 502)")
    assert result.sample_size == 300


def test_overall_leaves_out_endpoints_the_upstream_explains() -> None:
    down = UpstreamHealth(failing=True, summary="FRED answered 3x 503")
    recorded = {HEALTH: run_of(*[200] * 70), DATA: run_of(*[502] * 30)}
    span = run_span([e for ex in recorded.values() for e in ex])
    result = error_rate.overall(recorded, SETTINGS, 0.05, span=span, upstream=down)
    assert result.outcome == Outcome.PASSED
    assert any(DATA.id in d and "not counted" in d for d in result.details)
    only_data = error_rate.overall({DATA: recorded[DATA]}, SETTINGS, 0.05, span=span, upstream=down)
    assert only_data.outcome == Outcome.SKIPPED


def test_no_exchanges_is_skipped_as_unreachable() -> None:
    assert error_rate.per_endpoint(HEALTH, [], SETTINGS, span=(0, 0)).outcome == Outcome.SKIPPED


def test_timeline_buckets_by_time_across_the_run() -> None:
    exchanges = run_of(*([200] * 5 + [500] * 5))
    failed = {e.seq for e in exchanges if e.status == 500}
    assert timeline(exchanges, failed, (0.0, 9.0), width=10) == "|.....XXXXX|"
    assert timeline(exchanges[:2], set(), (0.0, 9.0), width=10) == "|..        |"
    mixed = run_of(200, 500, 200, 200)
    assert timeline(mixed, {2}, (0.0, 3.0), width=1) == "|x|"
    assert run_span([]) == (0.0, 0.0)


def test_an_endpoint_that_never_answered_is_availability_s_not_ours() -> None:
    refused = [
        replace(e, error=TransportError(TransportErrorKind.CONNECT_REFUSED, "connection refused"))
        for e in run_of(None, None, None)
    ]
    exchanges = refused
    result = error_rate.per_endpoint(DATA, exchanges, SETTINGS, span=run_span(exchanges))
    assert result.outcome == Outcome.SKIPPED
    assert "never answered (3x connection refused): see availability" in result.message
    recorded = {DATA: exchanges, HEALTH: run_of(*[200] * 70)}
    overall = error_rate.overall(recorded, SETTINGS, 0.05, span=run_span(exchanges))
    assert overall.outcome == Outcome.PASSED  # the silent endpoint is left out
    assert error_rate.judged(DATA)
    assert not error_rate.judged(HEALTH)  # probes have status checks of their own
