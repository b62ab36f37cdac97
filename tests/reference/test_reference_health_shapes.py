"""The `health_format` fault: each shape in its format's words and HTTP code."""

from __future__ import annotations

import asyncio

import pytest

from tests.reference.conftest import StackFactory

CASES = [
    ("ietf", "fail", 503, "application/health+json", '"postgres:connections"'),
    ("actuator", "fail", 503, "application/vnd.spring-boot.actuator.v3+json", '"DOWN"'),
    ("actuator", "warn", 503, "application/vnd.spring-boot.actuator.v3+json", "OUT_OF_SERVICE"),
    ("aspnet", "pass", 200, "application/json", '"Healthy"'),
    ("aspnet", "warn", 200, "application/json", '"Degraded"'),
    ("aspnet", "fail", 503, "application/json", '"Unhealthy"'),
    ("aspnet_text", "pass", 200, "text/plain; charset=utf-8", "Healthy"),
    ("aspnet_text", "fail", 503, "text/plain; charset=utf-8", "Unhealthy"),
    ("kubernetes", "pass", 200, "text/plain; charset=utf-8", "healthz check passed"),
    ("kubernetes", "fail", 500, "text/plain; charset=utf-8", "[-]postgres failed"),
    ("node_heap", "pass", 200, "application/json", '"memory":{"used":95,"total":98}'),
]


@pytest.mark.parametrize(
    ("shape", "state", "code", "media", "needle"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_health_shape(
    shape: str, state: str, code: int, media: str, needle: str, stack: StackFactory
) -> None:
    async def scenario() -> None:
        async with stack(f"health_format:shape={shape},state={state}") as h:
            response = await h.client.get("/api/health")
            assert response.status_code == code
            assert response.headers["content-type"] == media
            assert needle in response.text
            head = await h.client.head("/api/health")
            assert head.status_code == code

    asyncio.run(scenario())
