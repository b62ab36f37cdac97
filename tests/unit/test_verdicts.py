"""Verdicts on hand-made exchanges: each fails for its fault and passes when healthy."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcheck.catalog import Category
from synthcheck.config import HealthSettings, builtin_schema
from synthcheck.probe import Preflight, TransportErrorKind
from synthcheck.verdicts import Outcome, availability, health, memory, probes
from tests.support.exchanges import exchange, target

ROOT = Path(__file__).resolve().parents[2]
STRICT = ROOT / "environments" / "schemas" / "health.reference.schema.json"
SETTINGS = HealthSettings()
HEALTHY = {
    "status": "healthy",
    "timestamp": "2026-11-29T08:00:00Z",
    "version": "1.4.2",
    "uptime": 12.5,
    "memory": {"used": 50 * 2**20, "total": 512 * 2**20},
    "checks": {"fred_api": {"status": "pass"}, "memory": {"status": "pass", "usage_percent": 9.8}},
}
HEALTH = target()


def test_unreachable_service_fails_availability() -> None:
    down = exchange(None, error=TransportErrorKind.CONNECT_REFUSED)
    result = availability.service_reachable(
        "http://svc", Preflight(False, [down, down]), "GET /api/live"
    )
    assert result.outcome == Outcome.FAILED
    assert result.category == Category.AVAILABILITY
    assert "2 attempt(s)" in result.observed
    assert "connect_refused" in result.observed


def test_endpoint_answers_passes_on_one_good_answer_and_fails_on_none() -> None:
    good = availability.endpoint_answers(HEALTH, [exchange(500), exchange(200)])
    assert good.outcome == Outcome.PASSED
    loop = exchange(None, error=TransportErrorKind.TOO_MANY_REDIRECTS)
    bad = availability.endpoint_answers(HEALTH, [loop, loop])
    assert bad.outcome == Outcome.FAILED
    assert "2x too many redirects" in bad.observed


def test_all_5xx_is_application_down() -> None:
    recorded = {"a": [exchange(503)], "b": [exchange(502), exchange(504)]}
    assert availability.not_all_5xx(recorded).outcome == Outcome.FAILED
    recorded["b"].append(exchange(200))
    assert availability.not_all_5xx(recorded).outcome == Outcome.PASSED


def test_health_status_code_counts_bad_samples() -> None:
    result = health.status_code(HEALTH, [exchange(200, HEALTHY), exchange(503, HEALTHY)])
    assert result.outcome == Outcome.FAILED
    assert "1 of 2 samples unexpected" in result.observed


def test_health_without_answers_is_skipped_not_failed() -> None:
    result = health.status_code(HEALTH, [exchange(None, error=TransportErrorKind.READ_TIMEOUT)])
    assert result.outcome == Outcome.SKIPPED
    assert "availability" in result.message


def test_html_instead_of_json_fails_content_type_and_schema() -> None:
    page = exchange(200, raw=b"<html>hi</html>", content_type="text/html")
    assert health.content_type(HEALTH, [page]).outcome == Outcome.FAILED
    assert health.json_schema(HEALTH, [page], STRICT).outcome == Outcome.FAILED


def test_problem_json_counts_as_json() -> None:
    ok = exchange(200, HEALTHY, content_type="application/health+json")
    assert health.content_type(HEALTH, [ok]).outcome == Outcome.PASSED


def test_schema_drift_fails_with_the_field() -> None:
    drifted = {k: v for k, v in HEALTHY.items() if k != "status"} | {
        "state": "healthy",
        "memory": "23%",
    }
    result = health.json_schema(HEALTH, [exchange(200, drifted)], STRICT)
    assert result.outcome == Outcome.FAILED
    assert "$" in result.observed
    assert "status" in result.observed or "memory" in result.observed
    # builtin:health accepts every common shape (a missing status included): only an
    # environment that names its own schema holds the service to the exact contract.
    assert (
        health.json_schema(HEALTH, [exchange(200, drifted)], builtin_schema("health")).outcome
        == Outcome.PASSED
    )


def test_reference_body_passes_strict_schema() -> None:
    assert health.json_schema(HEALTH, [exchange(200, HEALTHY)], STRICT).outcome == Outcome.PASSED


@pytest.mark.parametrize(
    "body",
    [
        {"status": "UP", "components": {"db": {"status": "UP"}}},
        {
            "status": "pass",
            "checks": {"fred:responseTime": [{"status": "pass", "observedValue": 12}]},
        },
        {"status": "ok", "checks": {"db": "ok", "cache": True}},
        {"status": "healthy"},
    ],
    ids=["spring", "ietf-draft", "strings", "minimal"],
)
def test_common_health_shapes_pass_the_default_schema_and_status(body: dict) -> None:
    assert (
        health.json_schema(HEALTH, [exchange(200, body)], builtin_schema("health")).outcome
        == Outcome.PASSED
    )
    assert health.overall_status(HEALTH, [exchange(200, body)], SETTINGS).outcome == Outcome.PASSED


@pytest.mark.parametrize(
    ("body", "outcome", "needle"),
    [
        ({"status": "unhealthy"}, Outcome.FAILED, "status='unhealthy'"),
        (
            {"status": "healthy", "checks": {"fred_api": {"status": "fail"}}},
            Outcome.FAILED,
            "failing: fred_api",
        ),
        (
            {"status": "UP", "components": {"db": {"status": "DOWN"}}},
            Outcome.FAILED,
            "Spring Boot Actuator status='UP'; failing: db",
        ),
        ({"status": "degraded"}, Outcome.WARNED, "degraded"),
        # No `status` field but another word the harness reads: never a failure.
        ({"state": "healthy"}, Outcome.PASSED, "state='healthy'"),
    ],
    ids=["unhealthy", "failing-subcheck", "spring-down", "degraded", "no-status"],
)
def test_overall_status(body: dict, outcome: Outcome, needle: str) -> None:
    result = health.overall_status(HEALTH, [exchange(200, body)], SETTINGS)
    assert result.outcome == outcome
    assert needle in result.observed


def test_degraded_can_be_configured_to_fail() -> None:
    strict = HealthSettings(degraded_is_failure=True)
    assert (
        health.overall_status(HEALTH, [exchange(200, {"status": "degraded"})], strict).outcome
        == Outcome.FAILED
    )


def test_head_must_have_no_body() -> None:
    head = target(method="HEAD")
    assert health.head_ok(head, [exchange(200, raw=b"")]).outcome == Outcome.PASSED
    assert health.head_ok(head, [exchange(200, raw=b"{}")]).outcome == Outcome.FAILED
    assert health.head_ok(head, [exchange(405, raw=b"")]).outcome == Outcome.FAILED


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        (HEALTHY, Outcome.PASSED),
        ({**HEALTHY, "memory": {"used": 471 * 2**20, "limit": 512 * 2**20}}, Outcome.FAILED),
        (
            {"status": "ok", "checks": {"memory": {"status": "pass", "usage_percent": 85.5}}},
            Outcome.FAILED,
        ),
        ({"status": "ok", "checks": {"memory": {"status": "warn"}}}, Outcome.WARNED),
        ({"status": "ok"}, Outcome.SKIPPED),
    ],
    ids=["healthy", "used-limit-92pct", "checks-percent", "self-reported-warn", "no-figures"],
)
def test_memory(body: dict, outcome: Outcome) -> None:
    result = memory.memory_usage(HEALTH, [exchange(200, body)], SETTINGS, 80.0)
    assert result.outcome == outcome
    if outcome == Outcome.FAILED and "memory" in body and isinstance(body["memory"], dict):
        assert "92.0 %" in result.observed
        assert "471 MiB of 512 MiB" in result.observed


def test_memory_percent_field_is_configurable() -> None:
    settings = HealthSettings(memory_percent_field="mem.pct")
    result = memory.memory_usage(
        HEALTH, [exchange(200, {"status": "ok", "mem": {"pct": "81%"}})], settings, 80.0
    )
    assert result.outcome == Outcome.FAILED


def test_readiness_false_in_body_fails() -> None:
    ready = target("ready", "/api/ready")
    assert probes.ready(ready, [exchange(200, {"ready": True})]).outcome == Outcome.PASSED
    assert probes.ready(ready, [exchange(200, {"ready": False})]).outcome == Outcome.FAILED
    result = probes.ready(ready, [exchange(503, {"ready": False})])
    assert result.outcome == Outcome.FAILED
    assert result.category == Category.READINESS


def test_liveness_judges_the_median() -> None:
    live = target("live", "/api/live")
    fast = [exchange(200, {"alive": True}, total_ms=t) for t in (3, 4, 5, 900, 6)]
    assert probes.liveness_fast(live, fast, 250).outcome == Outcome.PASSED
    slow = [exchange(200, {"alive": True}, total_ms=t) for t in (1001, 1003, 5, 1002, 999)]
    result = probes.liveness_fast(live, slow, 250)
    assert result.outcome == Outcome.FAILED
    assert result.category == Category.LIVENESS
    assert "median 1001.0 ms" in result.observed


def test_response_size_fails_on_truncated_body() -> None:
    big = exchange(200, raw=b"x" * 100, truncated=True)
    result = probes.response_size(HEALTH, [big], 1_000_000)
    assert result.outcome == Outcome.FAILED
    assert result.category == Category.RESPONSE_SIZE
    assert (
        probes.response_size(HEALTH, [exchange(200, HEALTHY)], 1_000_000).outcome == Outcome.PASSED
    )


def test_failing_fred_subcheck_is_attributed_to_a_failing_upstream() -> None:
    from synthcheck.verdicts.attribution import UpstreamHealth

    body = {"status": "degraded", "checks": {"fred_api": {"status": "fail"}}}
    down = UpstreamHealth(failing=True, summary="FRED answered 3x 503")
    result = health.overall_status(HEALTH, [exchange(200, body)], SETTINGS, down)
    assert result.outcome == Outcome.WARNED
    assert "attributed to the FRED upstream" in result.message
    # Our own probe says FRED is fine: the app's sub-check failing is the app's problem.
    fine = UpstreamHealth(failing=False, summary="FRED answered 3x 200")
    assert (
        health.overall_status(HEALTH, [exchange(200, body)], SETTINGS, fine).outcome
        == Outcome.FAILED
    )
    # Another dependency failing is never FRED's fault.
    db = {"status": "degraded", "checks": {"db": {"status": "fail"}}}
    assert (
        health.overall_status(HEALTH, [exchange(200, db)], SETTINGS, down).outcome == Outcome.FAILED
    )
    # An unhealthy service stays a failure whatever FRED does.
    sick = {"status": "unhealthy", "checks": {"fred_api": {"status": "fail"}}}
    assert (
        health.overall_status(HEALTH, [exchange(200, sick)], SETTINGS, down).outcome
        == Outcome.FAILED
    )


def test_overall_status_records_the_version_for_history() -> None:
    result = health.overall_status(HEALTH, [exchange(200, HEALTHY)], SETTINGS)
    assert result.metrics["version"] == "1.4.2"
