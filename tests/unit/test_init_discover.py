"""Discovery by `synthcheck init`: which answers count, GET only, bounded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from synthcheck.init.discover import DISCOVERY_HTTP, Prober, accepts, describe_answer
from synthcheck.init.survey import Discovery, discover
from synthcheck.probe import RecordingClient, TransportErrorKind
from tests.support.exchanges import exchange

Routes = dict[str, httpx.Response]


def _run(
    handler: Callable[[httpx.Request], httpx.Response], max_requests: int = 60
) -> tuple[Discovery, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    client = RecordingClient(DISCOVERY_HTTP, transport=httpx.MockTransport(record))
    prober = Prober("http://svc.test", max_requests=max_requests, client=client)
    return asyncio.run(discover(prober, None)), seen


def _routes(routes: Routes) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        key = request.url.raw_path.decode()
        return routes.get(key, httpx.Response(404, json={"error": "not found"}))

    return handler


@pytest.mark.parametrize(
    ("answer", "ok", "why"),
    [
        (exchange(200, {"status": "UP"}), True, ""),
        (exchange(200, {}), True, ""),  # fastapi-health: judged by the code
        (exchange(503, {"status": "DOWN"}), True, ""),  # unhealthy now, but it is the path
        (exchange(503, raw=b"Service Unavailable", content_type="text/plain"), False, "HTTP 503"),
        (exchange(404, {"error": "not found"}), False, "HTTP 404"),
        (exchange(401, {"error": "auth"}), False, "needs credentials"),
        (
            exchange(200, raw=b"<!doctype html><html></html>", content_type="text/html"),
            False,
            "catch-all",
        ),
        (exchange(None, error=TransportErrorKind.CONNECT_REFUSED), False, "connect_refused"),
    ],
)
def test_which_answers_are_a_health_endpoint(answer: object, ok: bool, why: str) -> None:
    accepted, reason = accepts(answer)  # type: ignore[arg-type]
    assert accepted is ok
    assert why in reason


def test_behind_a_catch_all_only_a_body_with_a_status_counts() -> None:
    assert not accepts(exchange(200, {}), catch_all=True)[0]
    assert accepts(exchange(200, {"status": "ok"}), catch_all=True)[0]


def test_the_answer_is_described_with_its_format() -> None:
    text = describe_answer(exchange(200, {"status": "UP", "components": {"db": {"status": "UP"}}}))
    assert text == "200 application/json, format actuator (status='UP'; 1 components)"


def test_a_spring_service_is_found_on_its_actuator_paths_with_get_only() -> None:
    up = {"status": "UP", "components": {"db": {"status": "UP"}}}
    result, seen = _run(
        _routes(
            {
                "/actuator/health": httpx.Response(200, json=up),
                "/actuator/health/readiness": httpx.Response(200, json={"status": "UP"}),
                "/actuator/health/liveness": httpx.Response(200, json={"status": "UP"}),
            }
        )
    )
    assert {r: f.path for r, f in result.found.items()} == {
        "health": "/actuator/health",
        "ready": "/actuator/health/readiness",
        "live": "/actuator/health/liveness",
    }
    assert {r.method for r in seen} == {"GET"}
    assert all(len(f.exchanges) == 6 for f in result.found.values())  # 1 + 5 latency samples
    assert "/api/fred-data?series=UNRATE: 404" in result.misses["data"][0]


def test_an_spa_that_answers_html_everywhere_yields_nothing() -> None:
    page = httpx.Response(
        200, text="<html><body>app</body></html>", headers={"content-type": "text/html"}
    )
    result, seen = _run(lambda request: page)
    assert result.found == {}
    assert result.answered == len(seen) > 0
    assert "catch-all" in result.misses["health"][0]


def test_the_request_cap_holds() -> None:
    result, seen = _run(_routes({}), max_requests=12)
    assert len(seen) == 12 == result.sent
    assert any("request cap of 12" in miss for misses in result.misses.values() for miss in misses)


def test_a_service_that_does_not_answer_is_asked_once() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    result, seen = _run(refuse)
    assert len(seen) == 1
    assert result.answered == 0
    assert result.first_error
