"""Every fault's observable effect, in-process (connection-level ones are also run for
real in test_reference_launcher.py).  A fault without a check here fails the suite."""

from __future__ import annotations

import asyncio
import base64
import re
import time
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from synthcheck.reference import FAULTS
from synthcheck.reference.fault_specs import parse_fault_specs
from synthcheck.reference.faults import FaultSet
from synthcheck.reference.primitives import MIB

Check = Callable[..., Awaitable[None]]
CHECKS: dict[str, tuple[str, Check, dict]] = {}


def check(name: str, spec: str | None = None, **options):
    """Register the check for fault `name`, run with `spec` (default: the bare name)."""

    def wrap(fn: Check) -> Check:
        CHECKS[name] = (spec or name, fn, options)
        return fn

    return wrap


async def timed(coro):
    started = time.monotonic()
    result = await coro
    return result, time.monotonic() - started


def health_of(response):
    assert response.headers["content-type"] == "application/json"
    return response.json()


# --------------------------------------------------------------------------- connection level


@check("down")
@check("hang")
@check("garbage")
async def _connection(h, name=None):
    for af in h.faults.active:
        mode, found = h.faults.connection_mode("app")
        assert found is af
        assert mode == af.name
    assert h.faults.connection_mode("upstream") is None


# --------------------------------------------------------------------------- health & co


@check("unhealthy")
async def _unhealthy(h):
    response = await h.client.get("/api/health")
    assert response.status_code == 503
    assert health_of(response)["status"] == "unhealthy"
    head = await h.client.head("/api/health")
    assert head.status_code == 503
    assert (await h.client.get("/api/live")).status_code == 200


@check("unhealthy_body")
async def _unhealthy_body(h):
    response = await h.client.get("/api/health")
    assert response.status_code == 200
    body = health_of(response)
    assert body["status"] == "unhealthy"
    assert body["checks"]["fred_api"]["status"] == "fail"


@check("degraded")
async def _degraded(h):
    response = await h.client.get("/api/health")
    body = health_of(response)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    warned = [n for n, c in body["checks"].items() if c["status"] == "warn"]
    assert warned == ["cache"]


@check("schema_drift")
async def _schema_drift(h):
    body = health_of(await h.client.get("/api/health"))
    assert "status" not in body
    assert body["state"] == "healthy"
    assert re.fullmatch(r"\d+%", body["memory"])
    assert isinstance(body["checks"], list)
    assert {c["name"] for c in body["checks"]} == {"fred_api", "cache", "memory"}


@check("health_format")
async def _health_format(h):
    # The default shape: IETF health+json with the runbook body's facts.
    response = await h.client.get("/api/health")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/health+json"
    body = response.json()
    assert body["status"] == "pass"
    assert body["releaseId"]
    [memory] = body["checks"]["memory:utilization"]
    assert memory["observedUnit"] == "percent"
    assert 0 < memory["observedValue"] < 80


@check("html_health")
async def _html_health(h):
    response = await h.client.get("/api/health")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.lower().startswith("<!doctype html>")


@check("unready")
async def _unready(h):
    response = await h.client.get("/api/ready")
    assert response.status_code == 503
    assert response.json()["ready"] is False
    assert (await h.client.get("/api/health")).status_code == 200


@check("slow_live")
async def _slow_live(h):
    response, took = await timed(h.client.get("/api/live"))
    assert response.status_code == 200
    assert took >= 0.9  # a 1000 ms delay
    _, fast = await timed(h.client.get("/api/ready"))
    assert fast < 0.9


@check("slow_data", "slow_data:ms=600")
async def _slow_data(h):
    response, took = await timed(h.client.get("/api/fred-data?series=UNRATE"))
    assert response.status_code == 200
    assert took >= 0.55
    # Only the data route waits; the service answers everywhere else at once.
    for path in ("/api/health", "/api/live", "/api/ready"):
        _, fast = await timed(h.client.get(path))
        assert fast < 0.3, path


@check("slow_huge_body", "slow_huge_body:mb=1,s=0.6")
async def _slow_huge_body(h):
    # The in-process transport hands over the body when it is complete: what it shows
    # is a whole JSON-looking body of the announced size that took its `s` to produce.
    response, took = await timed(h.client.get("/api/fred-data?series=UNRATE"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert len(response.content) == int(response.headers["content-length"]) == MIB
    assert response.content.startswith(b'{"success":true,"padding":"')
    assert took >= 0.5
    _, fast = await timed(h.client.get("/api/health"))
    assert fast < 0.3


@check("huge_body", "huge_body:mb=1")
async def _huge_body(h):
    response = await h.client.get("/api/health")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert len(response.content) == int(response.headers["content-length"]) == MIB
    assert response.content.startswith(b'{"status":"healthy","padding":"')
    assert response.content.endswith(b'"}')
    head = await h.client.head("/api/health")
    assert head.headers["content-length"] == str(MIB)
    assert head.content == b""


@check("redirect_loop")
async def _redirect_loop(h):
    first = await h.client.get("/api/health")
    assert first.status_code == 302
    assert first.headers["location"] == "/api/health?_loop=1"
    second = await h.client.get(first.headers["location"])
    assert second.status_code == 302
    assert second.headers["location"] == "/api/health"
    data = await h.client.get("/api/fred-data?series=UNRATE")
    assert data.headers["location"] == "/api/fred-data?series=UNRATE&_loop=1"
    assert (await h.client.get("/")).status_code == 200


# --------------------------------------------------------------------------- memory


@check("memory_high")
async def _memory_high(h):
    body = health_of(await h.client.get("/api/health"))
    total = body["memory"]["total"]
    assert body["memory"]["used"] == int(total * 0.92)
    assert body["checks"]["memory"] == {"status": "warn", "usage_percent": 92.0}


@check("memory_leak", "memory_leak:mb_per_s=150")
async def _memory_leak(h):
    before = health_of(await h.client.get("/api/health"))["memory"]["used"]
    await asyncio.sleep(0.4)
    after = health_of(await h.client.get("/api/health"))
    grown = after["memory"]["used"] - before
    assert grown >= 30 * MIB  # ~60 MiB expected after 0.4 s at 150 MiB/s
    assert after["memory"]["used"] <= after["memory"]["total"]
    ballast = h.faults.active[0].state["ballast"]
    assert len(ballast) >= 30


# --------------------------------------------------------------------------- latency & errors


@check("slow_tail", "slow_tail:ms=300,p=1")
async def _slow_tail(h):
    _, took = await timed(h.client.get("/api/live"))
    assert took >= 0.25
    _, fast = await timed(h.client.get("/"))
    assert fast < 0.25


@check("slow_all", "slow_all:ms=300,jitter_ms=20")
async def _slow_all(h):
    for path in ("/api/live", "/api/ready"):
        _, took = await timed(h.client.get(path))
        assert took >= 0.25


@check("latency", "latency:ms=150")
async def _latency(h):
    for path in ("/", "/static/app.js", "/api/live"):
        _, took = await timed(h.client.get(path))
        assert took >= 0.12


@check("error_spike", "error_spike:p=0.25", seed=5)
async def _error_spike(h):
    statuses = [(await h.client.get("/api/fred-data?series=UNRATE")).status_code for _ in range(80)]
    errors = statuses.count(500)
    assert 8 <= errors <= 35
    assert set(statuses) == {200, 500}
    assert (await h.client.get("/api/health")).status_code == 200


@check("series_errors")
async def _series_errors(h):
    assert (await h.client.get("/api/fred-data?series=GDPC1")).status_code == 502
    assert (await h.client.get("/api/fred-data?series=gdpc1")).status_code == 502
    assert (await h.client.get("/api/fred-data?series=UNRATE")).status_code == 200


# --------------------------------------------------------------------------- upstream


@check("upstream_slow", "upstream_slow:ms=300", upstream_timeout=0.5, startup=False)
async def _upstream_slow(h):
    # health's first (single-call) probe fits in the 0.5 s deadline but is slow
    body = health_of(await h.client.get("/api/health"))
    assert body["checks"]["fred_api"]["status"] == "pass"
    assert body["checks"]["fred_api"]["latency_ms"] >= 250
    # a fetch is two sequential 300 ms calls: it misses the deadline
    response = await h.client.get("/api/fred-data?series=UNRATE")
    assert response.status_code == 502
    assert response.json() == {"error": "upstream unavailable"}
    assert "error=timeout" in h.log_text()
    body = health_of(await h.client.get("/api/health"))
    assert body["checks"]["fred_api"] | {"latency_ms": 0} == {
        "status": "fail",
        "latency_ms": 0,
        "error": "timeout",
        "rate_limit": body["checks"]["fred_api"]["rate_limit"],
    }


@check("upstream_down")
async def _upstream_down(h):
    response = await h.client.get("/api/fred-data?series=UNRATE")
    assert response.status_code == 502
    body = health_of(await h.client.get("/api/health"))
    assert body["checks"]["fred_api"]["status"] == "fail"
    assert body["checks"]["fred_api"]["error"] == "HTTP 503"
    assert body["status"] == "degraded"
    ready = await h.client.get("/api/ready")
    assert ready.json() == {"ready": True, "checks": {"upstream": "degraded", "cache": "ok"}}


async def variant_upstream_down_refuse_mode(stack):
    async with stack("upstream_down:mode=refuse") as h:
        assert h.faults.connection_mode("upstream")[0] == "down"
        assert h.faults.connection_mode("app") is None
        assert (await h.client.get("/api/fred-data?series=UNRATE")).status_code == 502
        body = health_of(await h.client.get("/api/health"))
        assert body["checks"]["fred_api"]["status"] == "fail"


@check("rate_limit_high")
async def _rate_limit_high(h):
    response = await h.client.get("/api/fred-data?series=FEDFUNDS")
    assert response.headers["x-ratelimit-limit"] == "120"
    assert int(response.headers["x-ratelimit-remaining"]) <= 12
    body = health_of(await h.client.get("/api/health"))
    assert body["checks"]["fred_api"]["rate_limit"]["remaining"] <= 12


# --------------------------------------------------------------------------- leaks


@check("leak_body")
async def _leak_body(h):
    body = health_of(await h.client.get("/api/health"))
    assert body["debug"]["upstream"] == (
        f"{h.settings.fred_base_url}/series/observations?series_id=UNRATE"
        f"&api_key={h.settings.fred_api_key}&file_type=json"
    )


@check("leak_header")
async def _leak_header(h):
    response = await h.client.get("/api/fred-data?series=UNRATE")
    assert response.headers["x-debug-upstream-key"] == h.settings.fred_api_key
    assert "x-debug-upstream-key" not in (await h.client.get("/api/health")).headers


@check("leak_redirect")
async def _leak_redirect(h):
    response = await h.client.get("/api/fred-data?series=CPIAUCSL")
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert parse_qs(location.query)["api_key"] == [h.settings.fred_api_key]
    assert parse_qs(location.query)["series_id"] == ["CPIAUCSL"]


@check("leak_error_page")
async def _leak_error_page(h):
    response = await h.client.get("/api/fred-data?series=NOSUCH")
    assert response.status_code == 404
    assert f"api_key={h.settings.fred_api_key}" in response.json()["upstream_url"]
    ok = await h.client.get("/api/fred-data?series=UNRATE")
    assert h.settings.fred_api_key not in ok.text


@check("leak_prefix")
async def _leak_prefix(h):
    body = health_of(await h.client.get("/api/health"))
    assert body["checks"]["fred_api"]["key_prefix"] == h.settings.fred_api_key[:8]
    assert h.settings.fred_api_key not in str(body)


@check("leak_percent")
async def _leak_percent(h):
    response = await h.client.get("/api/health")
    token = response.headers["x-debug-token"]
    assert token.startswith("%30%31%32")  # "012..." byte by byte
    assert bytes.fromhex(token.replace("%", "")).decode() == h.settings.fred_api_key


async def variant_leak_percent_in_body(stack):
    async with stack("leak_percent:where=body") as h:
        body = (await h.client.get("/api/live")).json()
        decoded = bytes.fromhex(body["trace_token"].replace("%", "")).decode()
        assert decoded == h.settings.fred_api_key


@check("leak_base64")
async def _leak_base64(h):
    cookie = (await h.client.get("/api/live")).headers["set-cookie"]
    token = cookie.split(";")[0].split("=", 1)[1]
    assert base64.b64decode(token).decode() == f"api_key={h.settings.fred_api_key}"


async def variant_leak_base64_header_and_alpha_vantage_key(stack):
    async with stack("leak_base64:where=header,key=alpha_vantage") as h:
        token = (await h.client.get("/api/live")).headers["x-debug-context"]
        assert base64.b64decode(token).decode() == f"apikey={h.settings.alpha_vantage_api_key}"


@check("leak_alpha_vantage")
async def _leak_alpha_vantage(h):
    body = health_of(await h.client.get("/api/health"))
    assert f"apikey={h.settings.alpha_vantage_api_key}" in body["quote_source"]


@check("leak_script")
async def _leak_script(h):
    script = (await h.client.get("/static/app.js")).text
    assert script.startswith(f'const FRED_KEY = "{h.settings.fred_api_key}";\n')
    assert script.rstrip().endswith("//# sourceMappingURL=app.js.map")


@check("leak_log")
async def _leak_log(h):
    await h.client.get("/api/fred-data?series=UNRATE")
    await h.client.get("/api/fred-data?series=UNRATE")  # a cache hit still logs it
    await h.client.get("/api/health")
    lines = [line for line in h.log_text().splitlines() if " request " in line]
    leaked = [line for line in lines if f"api_key={h.settings.fred_api_key}" in line]
    assert len(leaked) == 2
    assert all("path=/api/fred-data" in line for line in leaked)


# --------------------------------------------------------------------------- headers, disclosure


@check("missing_headers")
async def _missing_headers(h):
    for path in ("/", "/api/health", "/nope"):
        response = await h.client.get(path)
        for name in (
            "x-content-type-options",
            "x-frame-options",
            "content-security-policy",
            "referrer-policy",
        ):
            assert name not in response.headers, (path, name)
        assert "x-request-id" in response.headers


@check("version_banner")
async def _version_banner(h):
    response = await h.client.get("/api/live")
    assert re.fullmatch(r"uvicorn/\d+\.\d+ Python/3\.\d+", response.headers["server"])
    assert response.headers["x-powered-by"] == "synthcheck-reference/1.4.2"


@check("stack_trace")
async def _stack_trace(h):
    for path in ("/api/fred-data?series=NOSUCH", "/no/such/page"):
        response = await h.client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/plain")
        assert "Traceback (most recent call last):" in response.text
        assert re.search(r'File "[^"]+", line \d+, in \w+', response.text)
    assert (await h.client.get("/api/health")).status_code == 200
    assert "Traceback" not in (await h.client.get("/api/health")).text


# --------------------------------------------------------------------------- data, version, CORS


@check("wrong_series")
async def _wrong_series(h):
    for series in ("GDPC1", "CPIAUCSL", "UNRATE"):
        body = (await h.client.get(f"/api/fred-data?series={series}")).json()
        assert body["series"] == "UNRATE"
    gdpc1 = (await h.client.get("/api/fred-data?series=GDPC1")).json()
    assert gdpc1["frequency"] == "Quarterly"  # the data itself is still GDPC1's


@check("stale_data")
async def _stale_data(h):
    response = await h.client.get("/api/fred-data?series=UNRATE")
    assert response.status_code == 200
    body = response.json()
    assert body["observations"][-1] == {"date": "2019-12-01", "value": 3.6}
    assert body["count"] == len(body["observations"]) == 120
    assert "fallback" not in body


@check("fallback_flag")
async def _fallback_flag(h):
    body = (await h.client.get("/api/fred-data?series=UNRATE")).json()
    assert body["success"] is True
    assert body["fallback"] is True
    assert body["warning"]
    assert body["observations"]
    assert "fallback" not in (await h.client.get("/api/health")).json()


@check("version_mix", "version_mix:p=0.3", seed=11)
async def _version_mix(h):
    versions = [(await h.client.get("/api/health")).json()["version"] for _ in range(60)]
    assert set(versions) == {"1.4.2", "1.4.1"}
    assert 8 <= versions.count("1.4.1") <= 30


@check("cors_reflect")
async def _cors_reflect(h):
    origin = "https://evil.example"
    preflight = await h.client.options(
        "/api/fred-data?series=UNRATE",
        headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
    )
    response = await h.client.get("/api/fred-data?series=UNRATE", headers={"Origin": origin})
    for answer in (preflight, response):
        assert answer.headers["access-control-allow-origin"] == origin
        assert answer.headers["access-control-allow-credentials"] == "true"
    plain = await h.client.get("/api/health")
    assert "access-control-allow-origin" not in plain.headers


# --------------------------------------------------------------------------- runner


def test_every_registered_fault_has_a_check():
    assert sorted(CHECKS) == sorted(FAULTS)


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_effect(name, stack):
    spec, fn, options = CHECKS[name]

    async def scenario():
        async with stack(spec, **options) as h:
            await fn(h)

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "fn",
    [
        variant_upstream_down_refuse_mode,
        variant_leak_percent_in_body,
        variant_leak_base64_header_and_alpha_vantage_key,
    ],
    ids=lambda fn: fn.__name__,
)
def test_fault_variants(fn, stack):
    asyncio.run(fn(stack))


def test_connection_faults_are_not_app_hooks():
    for name in ("down", "hang", "garbage"):
        fault_set = FaultSet(parse_fault_specs(name))
        assert fault_set.select("/api/health", frozenset({"before", "after"})) == []
