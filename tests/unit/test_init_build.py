"""What `synthcheck init` proposes from a discovery, byte for byte, on hand-built answers.

The expected outputs in ``tests/data/init_build/`` (environment document, schemas,
report lines) were produced before ``build`` was split into ``derive`` (facts) and
``environment_of`` / ``report_lines`` (documents and text); a change to either shows
here as a diff. Latencies are set by hand, so every figure in the report is fixed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synthcheck.init.build import build, derive, report_lines
from synthcheck.init.discover import Found
from synthcheck.init.survey import Discovery
from tests.support.exchanges import exchange

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "init_build"
SECRET = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
HEALTH = {"status": "healthy", "memory": {"used": 100, "total": 1000}, "checks": {"db": "ok"}}
ACTUATOR = {"status": "UP", "components": {"db": {"status": "UP"}}}
SERIES = {"series": "UNRATE", "observations": [{"date": "2026-06-01", "value": "4.1"}]}


def _found(role: str, path: str, body: Any, ms: list[float], **kw: Any) -> Found:
    answers = [exchange(200, body, total_ms=t, seq=i, **kw) for i, t in enumerate(ms, 1)]
    return Found(role, path, answers)


def _runbook_service() -> Discovery:
    return Discovery(
        found={
            "health": _found("health", "/api/health", HEALTH, [12.0, 14.0, 30.0]),
            "ready": _found("ready", "/api/ready", {"ready": True}, [8.0, 9.0]),
            "live": _found("live", "/api/live", {"alive": True}, [2.0, 3.0]),
            "data": Found(
                "data",
                "/api/fred-data?series=UNRATE",
                [exchange(200, SERIES, total_ms=40.0)],
                (("series", ("UNRATE",)),),
            ),
        },
        misses={"health": [], "ready": [], "live": [], "data": []},
    )


def _slow_spring_service() -> Discovery:
    return Discovery(
        found={
            "health": _found("health", "/actuator/health", ACTUATOR, [700.0, 900.0]),
            "live": _found("live", "/actuator/health/liveness", {"status": "UP"}, [300.0]),
        },
        misses={
            "health": [],
            "ready": ["/api/ready: HTTP 404", "/readyz: HTTP 404"],
            "live": [],
            "data": ["/api/fred-data?series=UNRATE: HTTP 404, not a JSON answer"],
        },
    )


def _leaky_text_service() -> Discovery:
    failing = {"status": "unhealthy", "key": SECRET}
    return Discovery(
        found={
            "health": Found("health", "/health", [exchange(503, failing, total_ms=5.0)]),
            "data": _found("data", "/metrics", None, [4.0], raw=b"up 1", content_type="text/plain"),
        },
        misses={"ready": ["/ready: HTTP 404"], "live": ["/live: HTTP 404"]},
    )


CASES = {
    "runbook-service": _runbook_service,
    "slow-spring-service": _slow_spring_service,
    "leaky-text-service": _leaky_text_service,
}


def _render(name: str) -> dict[str, Any]:
    doc, schemas, lines = build(name, "http://svc.test", CASES[name](), {"FRED_API_KEY": SECRET})
    return {"doc": doc, "schemas": schemas, "lines": lines}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_proposal_is_the_one_built_before_the_split(name: str) -> None:
    expected = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(_render(name))) == expected


def test_facts_of_a_slow_service_name_the_roles_over_the_runbook() -> None:
    facts = derive("slow", "http://svc.test", _slow_spring_service(), {})
    assert [r.role for r in facts.roles] == ["health", "ready", "live", "data"]
    health, ready, live, _ = facts.roles
    assert ready.found is None
    assert ready.misses == ("/api/ready: HTTP 404", "/readyz: HTTP 404")
    assert health.p95 == 900.0
    assert facts.health_format == "actuator"
    assert live.budgets is None  # 300 ms is no live endpoint for a 100 ms budget
    assert [(role, limit) for role, limit, _ in facts.over_runbook] == [
        ("health", 500),
        ("live", 250),
    ]


def test_a_secret_in_an_answer_is_named_and_never_copied() -> None:
    facts = derive("leaky", "http://svc.test", _leaky_text_service(), {"FRED_API_KEY": SECRET})
    health = facts.roles[0]
    assert health.leaked == ("FRED_API_KEY",)
    lines = report_lines(facts)
    assert "          its answer holds the value of $FRED_API_KEY: not copied" in lines
    assert SECRET not in json.dumps(_render("leaky-text-service"))
