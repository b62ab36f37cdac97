"""Health formats: each standard shape parses into the one model, and is judged right.

Bodies follow the formats' own documentation: the IETF draft's example
(draft-inadarei-api-health-check), Spring Boot Actuator's health endpoint, ASP.NET
Core HealthChecks (plain text and HealthChecks.UI.Client's writer), Kubernetes
``/readyz?verbose``, and what health libraries answer.
"""

from __future__ import annotations

from typing import Any

import pytest

from synthcheck.config import HealthSettings
from synthcheck.verdicts import Outcome, health
from synthcheck.verdicts.health_formats import detect, parse_answer
from synthcheck.verdicts.health_model import HealthAnswer, status_word
from tests.support.exchanges import exchange, target

SETTINGS = HealthSettings()
HEALTH = target()

IETF_PASS = {
    "status": "pass",
    "version": "1",
    "releaseId": "1.2.2",
    "notes": [""],
    "output": "",
    "serviceId": "f03e522f-1f44-4062-9b55-9587f91c9c41",
    "description": "health of authz service",
    "checks": {
        "cassandra:responseTime": [
            {
                "componentId": "dfd6cf2b-1b6e-4412-a0b8-f6f7797a60d2",
                "componentType": "datastore",
                "observedValue": 250,
                "observedUnit": "ms",
                "status": "pass",
                "affectedEndpoints": ["/users/{userId}", "/customers/{customerId}/status"],
                "time": "2018-01-17T03:36:48Z",
                "output": "",
            }
        ],
        "cassandra:connections": [
            {
                "componentId": "dfd6cf2b-1b6e-4412-a0b8-f6f7797a60d2",
                "componentType": "datastore",
                "observedValue": 75,
                "status": "warn",
                "time": "2018-01-17T03:36:48Z",
                "output": "",
                "links": {"self": "http://api.example.com/dbnode/dfd6cf2b/health"},
            }
        ],
        "uptime": [
            {
                "componentType": "system",
                "observedValue": 1209600.245,
                "observedUnit": "s",
                "status": "pass",
                "time": "2018-01-17T03:36:48Z",
            }
        ],
        "cpu:utilization": [
            {
                "componentId": "6fd416e0-8920-410f-9c7b-c479000f7227",
                "node": 1,
                "componentType": "system",
                "observedValue": 85,
                "observedUnit": "percent",
                "status": "warn",
                "time": "2018-01-17T03:36:48Z",
                "output": "",
            },
            {
                "componentId": "6fd416e0-8920-410f-9c7b-c479000f7227",
                "node": 2,
                "componentType": "system",
                "observedValue": 85,
                "observedUnit": "percent",
                "status": "warn",
                "time": "2018-01-17T03:36:48Z",
                "output": "",
            },
        ],
        "memory:utilization": [
            {
                "componentId": "6fd416e0-8920-410f-9c7b-c479000f7227",
                "node": 1,
                "componentType": "system",
                "observedValue": 8.5,
                "observedUnit": "GiB",
                "status": "warn",
                "time": "2018-01-17T03:36:48Z",
                "output": "",
            }
        ],
    },
}
IETF_FAIL = {
    "status": "fail",
    "output": "database unreachable",
    "checks": {
        "postgres:connections": [
            {"componentType": "datastore", "status": "fail", "output": "connection refused"}
        ],
        "uptime": [{"componentType": "system", "observedValue": 12, "status": "pass"}],
    },
}
ACTUATOR_UP = {
    "status": "UP",
    "components": {
        "db": {
            "status": "UP",
            "details": {"database": "PostgreSQL", "validationQuery": "isValid()"},
        },
        "diskSpace": {
            "status": "UP",
            "details": {"total": 250685575168, "free": 118725824512, "threshold": 10485760},
        },
        "ping": {"status": "UP"},
    },
}
ACTUATOR_DOWN = {
    "status": "DOWN",
    "components": {
        "db": {
            "status": "DOWN",
            "components": {
                "primary": {"status": "UP"},
                "replica": {
                    "status": "DOWN",
                    "details": {"error": "org.postgresql.util.PSQLException: Connection refused"},
                },
            },
        },
        "ping": {"status": "UP"},
    },
}
ASPNET_HEALTHY = {
    "status": "Healthy",
    "totalDuration": "00:00:00.0123456",
    "entries": {
        "self": {"data": {}, "duration": "00:00:00.0000157", "status": "Healthy", "tags": []},
        "sql": {"data": {}, "duration": "00:00:00.0101", "status": "Healthy", "tags": ["db"]},
    },
}
ASPNET_UNHEALTHY = {
    "status": "Unhealthy",
    "totalDuration": "00:00:05.0001",
    "entries": {
        "self": {"data": {}, "duration": "00:00:00.0000157", "status": "Healthy", "tags": []},
        "redis": {
            "data": {},
            "description": "It was not possible to connect to the redis server(s).",
            "duration": "00:00:05",
            "exception": "It was not possible to connect to the redis server(s).",
            "status": "Unhealthy",
            "tags": ["cache"],
        },
    },
}
K8S_PASSED = (
    "[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]poststarthook/start-informers ok\nreadyz check passed\n"
)
K8S_FAILED = "[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\nreadyz check failed\n"


def _text(status: int, text: str, content_type: str = "text/plain") -> Any:
    return exchange(status, raw=text.encode(), content_type=content_type)


def _parse(ex: Any, settings: HealthSettings = SETTINGS) -> HealthAnswer:
    return parse_answer(ex, settings)


# ------------------------------------------------------------------ mapping


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[(w, "pass") for w in ("pass", "UP", "Healthy", "ok", "success", "up", "healthy")],
        (True, "pass"),
        (200, "pass"),
        *[(w, "warn") for w in ("warn", "Degraded", "degraded", "WARNING")],
        *[(w, "fail") for w in ("fail", "DOWN", "OUT_OF_SERVICE", "Unhealthy", "error", "down")],
        *[(w, "fail") for w in ("unhealthy", "false")],
        (False, "fail"),
        (503, "fail"),
        ("UNKNOWN", "unknown"),
        ("banana", "unknown"),
        (None, "unknown"),
    ],
)
def test_status_words_map_to_pass_warn_fail(value: Any, expected: str) -> None:
    assert status_word(value) == expected


# ------------------------------------------------------------------ detection and parsing


@pytest.mark.parametrize(
    ("ex", "fmt"),
    [
        (exchange(200, IETF_PASS, content_type="application/health+json"), "ietf"),
        (exchange(200, {"status": "pass"}), "ietf"),
        (
            exchange(200, ACTUATOR_UP, content_type="application/vnd.spring-boot.actuator.v3+json"),
            "actuator",
        ),
        (exchange(200, ASPNET_HEALTHY), "aspnet"),
        (_text(200, "Healthy"), "aspnet"),
        (_text(200, K8S_PASSED), "kubernetes"),
        (_text(200, "ok"), "kubernetes"),
        (exchange(200, {"status": "healthy", "checks": {"db": {"status": "pass"}}}), "runbook"),
        (exchange(200, {"uptime": 0.3}), "generic"),
        (_text(200, "<!doctype html><html><body></body></html>", "text/html"), "html"),
    ],
    ids=[
        "ietf-type",
        "ietf-words",
        "actuator",
        "aspnet-json",
        "aspnet-text",
        "k8s",
        "k8s-ok",
        "runbook",
        "generic",
        "html",
    ],
)
def test_format_is_detected(ex: Any, fmt: str) -> None:
    assert detect(ex) == fmt


def test_ietf_components_keep_name_value_unit_and_status() -> None:
    answer = _parse(exchange(200, IETF_PASS, content_type="application/health+json"))
    assert answer.format == "ietf"
    assert answer.status == "pass"
    assert answer.version == "1"
    by_name = {c.name: c for c in answer.components}
    assert by_name["cassandra:responseTime"].observed_value == 250
    assert by_name["cassandra:responseTime"].observed_unit == "ms"
    assert by_name["cassandra:connections"].status == "warn"
    cpu = [c for c in answer.components if c.name.startswith("cpu:utilization[")]
    assert [c.observed_unit for c in cpu] == ["percent", "percent"]
    assert answer.body_status() == "warn"


def test_ietf_fail_must_come_with_an_error_code() -> None:
    answer = _parse(exchange(200, IETF_FAIL))
    assert answer.named("fail")[0].name == "postgres:connections"
    assert answer.named("fail")[0].message == "connection refused"
    assert "4xx-5xx" in answer.coupling
    assert "200" in answer.coupling
    assert _parse(exchange(503, IETF_FAIL)).coupling == ""
    assert "2xx-3xx" in _parse(exchange(503, {"status": "pass"})).coupling


def test_actuator_nested_components_name_the_failing_leaf() -> None:
    answer = _parse(exchange(503, ACTUATOR_DOWN))
    assert answer.format == "actuator"
    assert answer.status == "fail"
    failing = answer.named("fail")
    assert [c.name for c in failing] == ["db/replica"]
    assert "Connection refused" in failing[0].message
    assert answer.coupling == ""
    assert "503" in _parse(exchange(200, ACTUATOR_DOWN)).coupling


def test_actuator_older_layouts() -> None:
    boot20 = {"status": "UP", "details": {"db": {"status": "UP", "details": {}}}}
    assert [c.name for c in _parse(exchange(200, boot20)).components] == ["db"]
    boot1 = {"status": "DOWN", "db": {"status": "DOWN"}, "diskSpace": {"status": "UP"}}
    answer = _parse(exchange(503, boot1))
    assert [c.name for c in answer.named("fail")] == ["db"]
    out_of_service = _parse(exchange(503, {"status": "OUT_OF_SERVICE"}))
    assert out_of_service.status == "fail"
    assert _parse(exchange(200, {"status": "UNKNOWN"})).status == "unknown"


def test_aspnet_json_and_text() -> None:
    answer = _parse(exchange(503, ASPNET_UNHEALTHY))
    assert answer.format == "aspnet"
    assert [c.name for c in answer.named("fail")] == ["redis"]
    assert "redis server" in answer.named("fail")[0].message
    assert _parse(_text(200, "Degraded")).status == "warn"
    assert _parse(_text(503, "Unhealthy")).status == "fail"
    assert "503" in _parse(_text(200, "Unhealthy")).coupling
    assert _parse(_text(200, "Degraded")).coupling == ""  # Degraded answers 200 by default


def test_kubernetes_verbose_lines() -> None:
    passed = _parse(_text(200, K8S_PASSED))
    assert passed.status == "pass"
    assert {c.name for c in passed.components} >= {"ping", "etcd"}
    failed = _parse(_text(500, K8S_FAILED))
    assert failed.status == "fail"
    assert [(c.name, c.message) for c in failed.named("fail")] == [("etcd", "reason withheld")]
    assert _parse(_text(200, "ok")).status == "pass"


@pytest.mark.parametrize(
    ("body", "status", "components"),
    [
        ({}, "unknown", {}),
        ({"uptime": 0.3}, "unknown", {}),
        ({"Database": "OK", "Cache": "OK"}, "unknown", {"Database": "pass", "Cache": "pass"}),
        (
            {"healthy": True, "checks": [{"name": "db", "healthy": True}]},
            "pass",
            {"db": "pass"},
        ),
        ({"status": "success"}, "pass", {}),
        ({"status": 200, "title": "OK"}, "pass", {}),
        (
            {
                "status": "failure",
                "results": [{"checker": "db_ok", "passed": False, "output": "x"}],
            },
            "fail",
            {"db_ok": "fail"},
        ),
        (
            {"status": "error", "info": {}, "error": {"db": "connection refused"}},
            "fail",
            {"db": "fail"},
        ),
        (
            {"status": "DOWN", "checks": [{"name": "database", "state": "DOWN", "data": {}}]},
            "fail",
            {"database": "fail"},
        ),
    ],
    ids=[
        "empty",
        "uptime",
        "per-check-strings",
        "booleans",
        "success",
        "problem-json",
        "py-healthcheck",
        "terminus-error",
        "cloud-health",
    ],
)
def test_library_shapes(body: Any, status: str, components: dict[str, str]) -> None:
    answer = _parse(exchange(200, body))
    assert answer.status == status
    assert {c.name: c.status for c in answer.components} == components


def test_the_environment_file_can_name_the_format() -> None:
    # "ok\n" alone is ambiguous text; a kubernetes override reads it so.
    forced = HealthSettings(format="kubernetes")
    assert _parse(_text(200, "[+]ping ok\nlivez check passed"), forced).format == "kubernetes"
    runbook = HealthSettings(format="runbook")
    assert _parse(exchange(200, {"status": "pass"}), runbook).format == "runbook"


# ------------------------------------------------------------------ verdicts


def _overall(*exchanges: Any, settings: HealthSettings = SETTINGS) -> Any:
    return health.overall_status(HEALTH, list(exchanges), settings)


@pytest.mark.parametrize(
    ("ex", "needles"),
    [
        (exchange(503, IETF_FAIL), ["IETF health+json", "postgres:connections", "HTTP 503"]),
        (exchange(200, IETF_FAIL), ["postgres:connections", "4xx-5xx"]),
        (exchange(503, ACTUATOR_DOWN), ["Spring Boot Actuator", "db/replica"]),
        (exchange(503, ASPNET_UNHEALTHY), ["ASP.NET Core HealthChecks", "redis"]),
        (_text(500, K8S_FAILED), ["Kubernetes", "etcd", "reason withheld"]),
        (exchange(200, {"status": "healthy", "checks": {"db": {"status": "fail"}}}), ["db"]),
        (exchange(503, {"status": 503, "title": "database down"}), ["database down"]),
    ],
    ids=["ietf-503", "ietf-200", "actuator", "aspnet", "k8s", "runbook", "problem-json"],
)
def test_a_failing_component_fails_naming_it_and_the_format(ex: Any, needles: list[str]) -> None:
    result = _overall(ex)
    assert result.outcome == Outcome.FAILED
    for needle in needles:
        assert needle in result.message, result.message


@pytest.mark.parametrize(
    "ex",
    [
        exchange(200, IETF_PASS, content_type="application/health+json"),
        _text(200, "Degraded"),
        exchange(200, {"status": "healthy", "checks": {"cache": {"status": "warn"}}}),
        exchange(200, {"status": "UP", "components": {"disk": {"status": "degraded"}}}),
    ],
    ids=["ietf-warn-components", "aspnet-degraded", "runbook", "actuator"],
)
def test_a_degraded_component_warns_naming_it(ex: Any) -> None:
    result = _overall(ex)
    assert result.outcome == Outcome.WARNED
    assert "degraded" in result.message


def test_ietf_warning_names_the_component() -> None:
    result = _overall(exchange(200, IETF_PASS, content_type="application/health+json"))
    assert "cassandra:connections" in result.message


@pytest.mark.parametrize(
    "ex",
    [
        exchange(200, ACTUATOR_UP),
        exchange(200, ASPNET_HEALTHY),
        _text(200, K8S_PASSED),
        _text(200, "ok"),
        _text(200, "Healthy"),
        exchange(200, {}),
        exchange(200, {"uptime": 0.3}),
        exchange(200, {"Database": "OK"}),
        exchange(200, {"healthy": True, "checks": [{"name": "db", "healthy": True}]}),
        exchange(200, {"status": "success"}),
        exchange(200, {"status": 200, "title": "OK"}, content_type="application/problem+json"),
        exchange(200, {"status": "ok"}, content_type=""),
        exchange(200, raw=b""),
    ],
    ids=[
        "actuator",
        "aspnet",
        "k8s",
        "ok",
        "aspnet-text",
        "empty",
        "uptime",
        "strings",
        "booleans",
        "success",
        "problem-json",
        "no-content-type",
        "empty-body",
    ],
)
def test_healthy_answers_pass(ex: Any) -> None:
    result = _overall(ex)
    assert result.outcome == Outcome.PASSED, result.message


def test_an_unknown_status_word_on_2xx_warns_at_most() -> None:
    result = _overall(exchange(200, {"status": "banana"}))
    assert result.outcome == Outcome.WARNED
    assert "healthy_values" in result.message
    assert _overall(exchange(503, {"status": "banana"})).outcome == Outcome.FAILED


def test_the_http_code_comes_first() -> None:
    result = _overall(exchange(503, {"status": "pass"}))
    assert result.outcome == Outcome.FAILED
    assert "HTTP 503" in result.message


def test_an_html_page_on_the_health_route_fails_as_a_catch_all() -> None:
    page = _text(200, "<!doctype html><html><body><div id=root></div></body></html>", "text/html")
    result = _overall(page)
    assert result.outcome == Outcome.FAILED
    assert "catch-all" in result.message


# ------------------------------------------------------------------ content type


def test_content_type_warns_without_one_and_accepts_native_text() -> None:
    missing = health.content_type(HEALTH, [exchange(200, {"status": "ok"}, content_type="")])
    assert missing.outcome == Outcome.WARNED
    assert "without a Content-Type" in missing.message
    assert health.content_type(HEALTH, [_text(200, K8S_PASSED)]).outcome == Outcome.PASSED
    assert health.content_type(HEALTH, [_text(200, "Healthy")]).outcome == Outcome.PASSED
    labelled = health.content_type(
        HEALTH, [exchange(200, {"status": "ok"}, content_type="text/plain")]
    )
    assert labelled.outcome == Outcome.WARNED
    html = _text(200, "<html><body>app</body></html>", "text/html")
    assert health.content_type(HEALTH, [html]).outcome == Outcome.FAILED
    garbage = _text(200, "hello there, this is not a health answer")
    assert health.content_type(HEALTH, [garbage]).outcome == Outcome.FAILED


# ------------------------------------------------------------------ readiness bodies


def test_a_2xx_readiness_body_that_says_down_fails_naming_the_component() -> None:
    ready = target("ready", "/api/ready")
    lying = _text(200, "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed")
    result = health.body_verdict(ready, [lying], SETTINGS)
    assert result.outcome == Outcome.FAILED
    assert result.category.value == "readiness"
    assert "etcd" in result.message
    fine = exchange(200, {"ready": True, "checks": {"upstream": "ok", "cache": "ok"}})
    assert health.body_verdict(ready, [fine], SETTINGS).outcome == Outcome.PASSED
    degraded = exchange(200, {"ready": True, "checks": {"upstream": "degraded"}})
    assert health.body_verdict(ready, [degraded], SETTINGS).outcome == Outcome.WARNED
    # A 503 is readiness.ready's to judge: nothing here to add.
    unready = exchange(503, {"ready": False})
    assert health.body_verdict(ready, [unready], SETTINGS).outcome == Outcome.SKIPPED
