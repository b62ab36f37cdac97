"""Data verdicts on hand-built answers: the series asked, freshness, fallbacks, FRED's value."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from synthcheck.config.model import DataSettings, Endpoint
from synthcheck.plan import ProbeTarget
from synthcheck.probe.upstream import SeriesReference
from synthcheck.verdicts import data
from synthcheck.verdicts.attribution import UpstreamHealth
from synthcheck.verdicts.result import Outcome
from tests.support.exchanges import exchange

TODAY = date(2026, 12, 1)
SETTINGS = DataSettings()


def data_target(series: str = "UNRATE") -> ProbeTarget:
    endpoint = Endpoint(name="fred-data", role="data", method="GET", path="/api/fred-data")
    return ProbeTarget(endpoint, (("series", series),))


def monthly(last: str, n: int = 6, value: Any = 4.2) -> list[dict[str, Any]]:
    year, month = int(last[:4]), int(last[5:7])
    rows = []
    for i in range(n - 1, -1, -1):
        m = year * 12 + month - 1 - i
        rows.append({"date": f"{m // 12:04d}-{m % 12 + 1:02d}-01", "value": value})
    return rows


def answers(body: Any, n: int = 5) -> list[Any]:
    return [exchange(200, body, seq=i) for i in range(n)]


# -- the series asked --------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        {"series": "UNRATE", "observations": []},
        {"series_id": "unrate"},
        {"success": True, "data": {"series": "UNRATE", "observations": []}},
        {"meta": {"series_id": "UNRATE"}, "data": []},
        {"series": {"id": "UNRATE", "title": "Unemployment Rate"}},
    ],
)
def test_the_series_asked_passes_in_common_shapes(body: Any) -> None:
    result = data.series_matches(data_target(), answers(body), SETTINGS)
    assert result.outcome == Outcome.PASSED, result.message


def test_another_series_fails_naming_both() -> None:
    result = data.series_matches(data_target("UNRATE"), answers({"series": "GDPC1"}), SETTINGS)
    assert result.outcome == Outcome.FAILED
    assert result.category.value == "data"
    assert str(result.severity) == "P1"
    assert "asked for UNRATE" in result.message
    assert "GDPC1" in result.message
    assert "5 of 5" in result.observed


def test_a_body_without_a_series_id_is_not_judged() -> None:
    body = {"id": "5f0c1d2e-aaaa-bbbb-cccc-0123456789ab", "observations": monthly("2026-11")}
    result = data.series_matches(data_target(), answers(body), SETTINGS)
    assert result.outcome == Outcome.PASSED
    assert "names no series" in result.message


def test_configured_series_path() -> None:
    settings = DataSettings(series_paths=("payload.ticker",))
    body = {"payload": {"ticker": "CPIAUCSL"}, "series": "UNRATE"}
    result = data.series_matches(data_target("UNRATE"), answers(body), settings)
    assert result.outcome == Outcome.FAILED
    assert "CPIAUCSL" in result.message


def test_error_answers_are_the_error_rate_checks() -> None:
    bodies = [exchange(502, {"error": "upstream"}), exchange(200, {"success": False})]
    for check in (
        data.series_matches(data_target(), bodies, SETTINGS),
        data.fresh(data_target(), bodies, SETTINGS, TODAY),
        data.no_fallback(data_target(), bodies),
    ):
        assert check.outcome == Outcome.SKIPPED


# -- freshness ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        {"observations": monthly("2026-11")},
        {"success": True, "data": {"observations": monthly("2026-11")}},
        {"data": monthly("2026-11")},
        monthly("2026-11"),
        {"observations": [[o["date"], o["value"]] for o in monthly("2026-11")]},
        {"observations": [{"observation_date": "2026-10", "value": "4.1"}]},
        {"observations": [{"date": "2026-11-01T00:00:00Z", "value": "4.2"}]},
    ],
)
def test_fresh_data_passes_in_common_shapes(body: Any) -> None:
    result = data.fresh(data_target(), answers(body), SETTINGS, TODAY)
    assert result.outcome == Outcome.PASSED, result.message


def test_a_2019_copy_fails_with_its_age_and_budget() -> None:
    body = {"series": "UNRATE", "observations": monthly("2019-12")}
    result = data.fresh(data_target(), answers(body), SETTINGS, TODAY)
    assert result.outcome == Outcome.FAILED
    assert "2019-12-01" in result.message
    assert "2557 days" in result.message
    assert "≤ 75 days" in result.budget
    assert "monthly" in result.budget
    assert result.sample_size == 5


def test_one_stale_answer_among_fresh_ones_fails() -> None:
    fresh = [exchange(200, {"observations": monthly("2026-11")}, seq=i) for i in range(9)]
    stale = exchange(200, {"observations": monthly("2019-12")}, seq=9)
    result = data.fresh(data_target(), [*fresh, stale], SETTINGS, TODAY)
    assert result.outcome == Outcome.FAILED
    assert "1 of 10" in result.message


def test_frequency_from_fred_metadata_beats_the_inferred_one() -> None:
    # Monthly-looking dates, 150 days old: stale for monthly, fresh for quarterly.
    body = {"observations": monthly("2026-07")}
    assert data.fresh(data_target(), answers(body), SETTINGS, TODAY).outcome == Outcome.FAILED
    ref = SeriesReference("UNRATE", "GET ...", frequency="Q")
    result = data.fresh(data_target(), answers(body), SETTINGS, TODAY, ref)
    assert result.outcome == Outcome.PASSED
    assert "FRED series metadata" in result.budget


def test_frequency_from_the_body_and_from_configuration() -> None:
    body = {"frequency": "Quarterly", "observations": [{"date": "2026-07-01", "value": 1}]}
    result = data.fresh(data_target("GDPC1"), answers(body), SETTINGS, TODAY)
    assert result.outcome == Outcome.PASSED
    assert "quarterly" in result.budget
    strict = DataSettings(series_max_age_days={"GDPC1": 100})
    assert data.fresh(data_target("GDPC1"), answers(body), strict, TODAY).outcome == Outcome.FAILED
    weekly = DataSettings(series_frequency={"GDPC1": "W"})
    assert data.fresh(data_target("GDPC1"), answers(body), weekly, TODAY).outcome == Outcome.FAILED


def test_no_dated_observations_is_skipped_naming_the_paths() -> None:
    result = data.fresh(data_target(), answers({"rows": []}), SETTINGS, TODAY)
    assert result.outcome == Outcome.SKIPPED
    assert "observations_paths" in result.message


def test_a_failing_upstream_explains_stale_data() -> None:
    body = {"observations": monthly("2019-12")}
    down = UpstreamHealth(True, "FRED answered 3x 503")
    result = data.fresh(data_target(), answers(body), SETTINGS, TODAY, upstream=down)
    assert result.outcome == Outcome.WARNED
    assert "attributed to the FRED upstream" in result.message


# -- fallback flags ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "flag"),
    [
        ({"success": True, "fallback": True}, "fallback: true"),
        ({"stale": True, "observations": []}, "stale: true"),
        ({"data": {"isFallback": True}}, "data.isFallback: true"),
        ({"source": "fallback"}, 'source: "fallback"'),
        ({"cached": True, "error": "FRED timeout"}, "cached: true with an error/warning"),
        ({"source": "cache", "warning": "upstream down"}, 'source: "cache" with an error'),
    ],
)
def test_fallback_flags_fail(body: dict[str, Any], flag: str) -> None:
    result = data.no_fallback(data_target(), answers(body))
    assert result.outcome == Outcome.FAILED
    assert flag in result.message


@pytest.mark.parametrize(
    "body",
    [
        {"source": "cache", "observations": []},
        {"cached": True, "fetched_at": "2026-12-01T08:00:00Z"},
        {"fallback": False, "stale": False, "error": None},
        {"source": "upstream"},
    ],
)
def test_normal_caching_is_not_a_fallback(body: dict[str, Any]) -> None:
    assert data.no_fallback(data_target(), answers(body)).outcome == Outcome.PASSED


# -- the same as FRED --------------------------------------------------------------
def fred(day: str = "2026-11-01", value: str = "4.2", frequency: str = "M") -> SeriesReference:
    return SeriesReference("UNRATE", "GET fred", frequency, (date.fromisoformat(day), value))


def test_the_same_newest_observation_passes_whatever_the_formatting() -> None:
    body = {"observations": [{"date": "2026-10-01", "value": 4.1}, {"date": "2026-11-01", "value": "4.20"}]}  # fmt: skip
    result = data.matches_upstream(data_target(), answers(body), SETTINGS, fred())
    assert result.outcome == Outcome.PASSED


def test_missing_values_match_each_other() -> None:
    body = {"observations": [{"date": "2026-11-01", "value": None}]}
    result = data.matches_upstream(data_target(), answers(body), SETTINGS, fred(value="."))
    assert result.outcome == Outcome.PASSED


def test_another_value_on_the_same_date_fails() -> None:
    body = {"observations": [{"date": "2026-11-01", "value": 4.4}]}
    result = data.matches_upstream(data_target(), answers(body), SETTINGS, fred())
    assert result.outcome == Outcome.FAILED
    assert "2026-11-01 = 4.4" in result.message
    assert "2026-11-01 = 4.2" in result.message


def test_one_release_behind_is_a_cache_lag_warning_more_is_a_failure() -> None:
    body = {"observations": [{"date": "2026-10-01", "value": 4.1}]}
    result = data.matches_upstream(data_target(), answers(body), SETTINGS, fred())
    assert result.outcome == Outcome.WARNED
    assert "lags FRED" in result.message
    old = {"observations": [{"date": "2019-12-01", "value": 3.6}]}
    result = data.matches_upstream(data_target(), answers(old), SETTINGS, fred())
    assert result.outcome == Outcome.FAILED
    assert "see data.fresh" in result.message


def test_not_compared_without_the_upstream() -> None:
    body = {"observations": monthly("2026-11")}
    off = SeriesReference("UNRATE", "GET fred", skipped="the upstream probe is off")
    for ref in (None, off, SeriesReference("UNRATE", "GET fred", error="503")):
        result = data.matches_upstream(data_target(), answers(body), SETTINGS, ref)
        assert result.outcome == Outcome.SKIPPED


def test_a_record_id_is_not_a_series_id() -> None:
    for body in ({"id": "req_81f2", "observations": []}, {"data": {"id": "a1b2c3"}}):
        result = data.series_matches(data_target(), answers(body), SETTINGS)
        assert result.outcome == Outcome.PASSED
        assert "names no series" in result.message
    upper = data.series_matches(data_target(), answers({"id": "GDPC1"}), SETTINGS)
    assert upper.outcome == Outcome.FAILED


def test_as_old_as_fred_itself_is_not_stale() -> None:
    # A series FRED stopped updating: the app serves exactly what FRED has.
    body = {"observations": monthly("2019-12")}
    ref = SeriesReference("UNRATE", "GET fred", "M", (date(2019, 12, 1), "3.6"))
    result = data.fresh(data_target(), answers(body), SETTINGS, TODAY, ref)
    assert result.outcome == Outcome.PASSED
    assert "as new as FRED's" in result.message
    newer_at_fred = SeriesReference("UNRATE", "GET fred", "M", (date(2026, 11, 1), "4.2"))
    result = data.fresh(data_target(), answers(body), SETTINGS, TODAY, newer_at_fred)
    assert result.outcome == Outcome.FAILED
