"""Memory means utilization: only a percent of a limit is judged against 80 %."""

from __future__ import annotations

from typing import Any

import pytest

from synthcheck.config import HealthSettings
from synthcheck.verdicts import Outcome, memory
from tests.support.exchanges import exchange, target

MIB = 2**20
HEALTH = target()
SETTINGS = HealthSettings()
NODE_HEAP = {"memory": {"used": 95, "total": 98}, "checks": {"memory": {"status": "ok"}}}


def _judge(body: Any, settings: HealthSettings = SETTINGS) -> Any:
    return memory.memory_usage(HEALTH, [exchange(200, body)], settings, 80.0)


def test_a_node_heap_near_its_allocation_is_information_not_a_failure() -> None:
    result = _judge(NODE_HEAP)
    assert result.outcome == Outcome.PASSED
    assert "95 used of 98 allocated" in result.observed
    assert "not a utilization" in result.observed
    assert "memory_percent" not in result.metrics


@pytest.mark.parametrize(
    "body",
    [
        {"memory": {"heapUsed": 180 * MIB, "heapTotal": 190 * MIB, "rss": 250 * MIB}},
        {"memory": {"used": 900 * MIB, "total": 950 * MIB}},  # JVM used/committed
        {
            "status": "pass",
            "checks": {"memory:utilization": [{"observedValue": 8.5, "observedUnit": "GiB"}]},
        },
    ],
    ids=["node-process-memoryUsage", "jvm-used-committed", "ietf-gib"],
)
def test_figures_that_are_not_a_utilization_are_not_judged(body: Any) -> None:
    assert _judge(body).outcome == Outcome.SKIPPED


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"memory": {"used": 471 * MIB, "total": 512 * MIB, "limit": 512 * MIB}}, "memory.limit"),
        ({"memory": {"used": 3700 * MIB, "heapSizeLimit": 4096 * MIB}}, "memory.heapSizeLimit"),
        ({"memory": {"used": 90, "max": 100}}, "memory.max"),
        ({"memory": {"percent": 91}}, "memory.percent=91"),
        ({"checks": {"memory": {"status": "pass", "usage_percent": 85.5}}}, "usage_percent"),
        (
            {
                "status": "pass",
                "checks": {
                    "memory:utilization": [
                        {"observedValue": 93, "observedUnit": "percent", "status": "pass"}
                    ]
                },
            },
            "observedValue=93 percent",
        ),
        (
            {"checks": {"memory": [{"observedValue": "88", "observedUnit": "%"}]}},
            "observedValue=88 %",
        ),
    ],
    ids=[
        "used-limit",
        "heap-size-limit",
        "max",
        "percent",
        "checks-percent",
        "ietf-percent",
        "ietf-%",
    ],
)
def test_a_utilization_over_the_budget_fails(body: Any, needle: str) -> None:
    result = _judge(body)
    assert result.outcome == Outcome.FAILED, result.observed
    assert needle in result.observed
    assert result.metrics["memory_percent"] > 80


def test_rss_against_a_configured_limit() -> None:
    settings = HealthSettings(memory_used_field="process.rss", memory_limit_mb=1024)
    body = {"process": {"rss": 900 * MIB}}
    result = _judge(body, settings)
    assert result.outcome == Outcome.FAILED
    assert "configured 1024 MiB limit" in result.observed
    assert _judge({"process": {"rss": 300 * MIB}}, settings).outcome == Outcome.PASSED
    # Without the configured limit the RSS alone says nothing about utilization.
    assert _judge(body, HealthSettings(memory_used_field="process.rss")).outcome == Outcome.SKIPPED


def test_the_services_own_memory_status_counts() -> None:
    failing = _judge(
        {"memory": {"used": 95, "total": 98}, "checks": {"memory": {"status": "fail"}}}
    )
    assert failing.outcome == Outcome.FAILED
    assert "failing" in failing.message
    warning = _judge({"checks": {"memory": {"status": "warn"}}})
    assert warning.outcome == Outcome.WARNED
    ietf = {"status": "warn", "checks": {"memory:utilization": [{"status": "fail"}]}}
    assert _judge(ietf).outcome == Outcome.FAILED


def test_within_budget_passes_with_the_figure() -> None:
    result = _judge({"memory": {"used": 100 * MIB, "limit": 512 * MIB}})
    assert result.outcome == Outcome.PASSED
    assert result.metrics["memory_percent"] == pytest.approx(19.53, abs=0.01)
