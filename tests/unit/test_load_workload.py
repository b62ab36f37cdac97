"""Environment → load requests, weights, expectations and thresholds (one source of truth)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from synthcheck.config import ConfigError, apply_overrides, builtin_schema, load_environment
from synthcheck.config.load_flags import LoadFlags
from synthcheck.config.model import Environment, LoadSettings
from synthcheck.load.expect import ResponseExpectation
from synthcheck.load.thresholds import OVERALL
from synthcheck.load.workload import build_workload, integer_weights, profile_name

FRED = json.dumps(
    {
        "series": "UNRATE",
        "title": "Unemployment Rate",
        "units": "Percent",
        "frequency": "Monthly",
        "observations": [{"date": "2024-01-01", "value": 3.7}],
        "count": 1,
        "source": "cache",
        "fetched_at": "2026-01-01T00:00:00Z",
    }
).encode()


@pytest.fixture
def local(env_dir: Path) -> Environment:
    return load_environment("local", env_dir)


def test_load_endpoints_weights_and_rows_come_from_the_environment(local: Environment) -> None:
    workload = build_workload(local, LoadFlags(), {})
    by_key = {r.key: r for r in workload.requests}
    # The dashboard page is not in the load suite; every series shares one row.
    assert set(by_key) == {
        "GET /api/health",
        "HEAD /api/health",
        "GET /api/ready",
        "GET /api/live",
        "GET /api/fred-data",
    }
    data = by_key["GET /api/fred-data"]
    assert data.name == "/api/fred-data"
    assert data.paths == (
        "/api/fred-data?series=UNRATE",
        "/api/fred-data?series=GDPC1",
        "/api/fred-data?series=CPIAUCSL",
    )
    assert data.weight == 6
    assert by_key["GET /api/live"].weight == 1
    assert "GET /api/fred-data 60%" in workload.weights
    assert workload.profile.name == "smoke"
    assert workload.profile.users == 4


def test_thresholds_follow_the_budgets_per_endpoint(local: Environment) -> None:
    thresholds = build_workload(local, LoadFlags(), {}).thresholds
    assert (thresholds.overall.p95_ms, thresholds.overall.p99_ms) == (500, 1000)
    assert thresholds.rows["GET /api/live"].p95_ms == 100
    assert thresholds.rows["GET /api/live"].p99_ms == 250  # p95_critical_ms when no p99_ms
    assert thresholds.overall.error_rate == 0.05
    assert thresholds.min_rps is None
    assert thresholds.min_requests == 20


def test_precedence_command_line_then_load_section_then_budgets(local: Environment) -> None:
    sectioned = replace(local, load=LoadSettings(p95_ms=800, error_rate=0.01, min_rps=25))
    thresholds = build_workload(sectioned, LoadFlags(), {}).thresholds
    assert thresholds.overall.p95_ms == 800
    assert thresholds.rows["GET /api/live"].p95_ms == 800
    assert thresholds.rows["GET /api/fred-data"].error_rate == 0.01
    assert thresholds.min_rps == 25
    cli = {"p95_ms": 300.0}
    overridden = apply_overrides(sectioned, budgets=cli, environ={})
    assert build_workload(overridden, LoadFlags(), cli).thresholds.overall.p95_ms == 300


def test_profile_choice_flag_then_environment_and_smoke_for_post_deploy(
    local: Environment,
) -> None:
    assert profile_name(local, LoadFlags()) == "smoke"
    assert profile_name(local, LoadFlags(profile="stress")) == "stress"
    assert profile_name(local, LoadFlags(profile="stress"), smoke_only=True) == "smoke"
    workload = build_workload(local, LoadFlags(profile="spike", users=10, duration_s=20), {})
    assert (workload.profile.name, workload.profile.users, workload.profile.duration_s) == (
        "spike",
        10,
        20,
    )


def test_an_environment_with_nothing_to_load_is_a_config_error(local: Environment) -> None:
    quiet = replace(
        local,
        endpoints=tuple(replace(ep, suites=frozenset({"postdeploy"})) for ep in local.endpoints),
    )
    with pytest.raises(ConfigError, match="no endpoint takes part in load tests"):
        build_workload(quiet, LoadFlags(), {})


@pytest.mark.parametrize(
    ("weights", "whole"),
    [
        ([1, 1], [1, 1]),
        ([6, 1, 1], [6, 1, 1]),
        ([1, 0.5], [2, 1]),
        ([0.25, 0.75], [1, 3]),
        ([2, 4], [1, 2]),
    ],
)
def test_weights_become_whole_numbers_keeping_ratios(
    weights: list[float], whole: list[int]
) -> None:
    assert integer_weights(weights) == whole


def test_expectations_match_the_checks(local: Environment) -> None:
    by_key = {r.key: r.expect for r in build_workload(local, LoadFlags(), {}).requests}
    assert by_key["HEAD /api/health"] == ResponseExpectation(frozenset({200}))
    assert by_key["GET /api/health"].schema is not None
    assert by_key["GET /api/fred-data"].schema == builtin_schema("fred-data")


def test_status_content_type_json_and_schema_each_fail_a_response() -> None:
    expect = ResponseExpectation(
        frozenset({200}), json_body=True, schema=builtin_schema("fred-data")
    )
    assert expect.problem(200, "application/json", FRED) is None
    assert expect.problem(500, "application/json", b"{}") == "status 500, expected 200"
    assert expect.problem(200, "text/html", b"<html>").startswith("body is not JSON")
    drifted = FRED.replace(b'"date": "2024-01-01"', b'"day": "2024-01-01"')
    problem = expect.problem(200, "application/json", drifted)
    assert problem == (
        "schema fred-data.schema.json: $.observations[0]: 'date' is a required property"
    )
    page = ResponseExpectation(frozenset({200}), content_type="text/html")
    assert page.problem(200, "text/html; charset=utf-8", b"<html>") is None
    assert page.problem(200, "application/json", b"{}") == (
        "Content-Type application/json, expected text/html"
    )


def test_an_expected_error_status_is_not_parsed() -> None:
    expect = ResponseExpectation(frozenset({200, 404}), json_body=True)
    assert expect.problem(404, "text/plain", b"not found") is None
    assert expect.problem(200, "application/json", b"[1, 2]") is None


def test_overall_key_is_not_an_endpoint_row(local: Environment) -> None:
    assert OVERALL not in build_workload(local, LoadFlags(), {}).thresholds.rows


def test_a_schema_the_fast_validator_cannot_compile_falls_back(tmp_path: Path) -> None:
    schema = tmp_path / "remote.schema.json"
    schema.write_text(
        json.dumps({"type": "object", "properties": {"x": {"$ref": "https://example.invalid/x"}}})
    )
    expect = ResponseExpectation(frozenset({200}), json_body=True, schema=schema)
    # No download is attempted; the checks' validator decides (and cannot resolve it either).
    assert expect.problem(200, "application/json", b'{"y": 1}') is None
