"""The app's runbook contract, in-process (no faults)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid

from synthcheck.reference import parse_fault_specs

SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
}
ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def run(coro):
    return asyncio.run(coro)


def assert_security_headers(response):
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, name
    assert uuid.UUID(response.headers["x-request-id"]).version == 4
    assert "server" not in response.headers
    assert "x-powered-by" not in response.headers


def test_health_body_is_exactly_the_contract(stack):
    async def scenario():
        async with stack() as h:
            response = await h.client.get("/api/health")
            assert response.status_code == 200
            assert response.headers["content-type"] == "application/json"
            assert response.headers["cache-control"] == "no-store"
            assert_security_headers(response)
            body = response.json()
            assert list(body) == [
                "status",
                "timestamp",
                "version",
                "uptime",
                "memory",
                "cpu",
                "checks",
            ]
            assert body["status"] == "healthy"
            assert ISO_Z.match(body["timestamp"])
            assert body["version"] == "1.4.2"
            assert isinstance(body["uptime"], float)
            assert body["uptime"] >= 0
            assert isinstance(body["memory"]["used"], int)
            assert body["memory"]["used"] > 0
            assert body["memory"]["total"] == 512 * 1024 * 1024
            assert isinstance(body["cpu"]["percent"], float)
            checks = body["checks"]
            assert list(checks) == ["fred_api", "cache", "memory"]
            assert checks["fred_api"]["status"] == "pass"
            assert isinstance(checks["fred_api"]["latency_ms"], float)
            assert checks["fred_api"]["rate_limit"]["limit"] == 120
            assert isinstance(checks["fred_api"]["rate_limit"]["remaining"], int)
            assert checks["cache"] == {"status": "pass", "entries": 0}
            assert checks["memory"]["status"] == "pass"
            assert isinstance(checks["memory"]["usage_percent"], float)

    run(scenario())


def test_head_health_has_the_same_status_and_headers_and_no_body(stack):
    async def scenario():
        async with stack() as h:
            get = await h.client.get("/api/health")
            head = await h.client.head("/api/health")
            assert head.status_code == get.status_code == 200
            assert head.content == b""
            assert head.headers["content-length"] == get.headers["content-length"]
            assert head.headers["content-type"] == get.headers["content-type"]
            assert_security_headers(head)

    run(scenario())


def test_health_uses_the_cached_upstream_result(stack):
    async def scenario():
        async with stack() as h:
            calls_after_startup = len(h.counter.calls)
            for _ in range(25):
                assert (await h.client.get("/api/health")).status_code == 200
            assert len(h.counter.calls) == calls_after_startup  # fresh result: no upstream call

    run(scenario())


def test_health_without_startup_waits_for_the_first_probe_only(stack):
    async def scenario():
        async with stack(startup=False) as h:
            ready = await h.client.get("/api/ready")
            assert ready.status_code == 503
            assert ready.json() == {
                "ready": False,
                "checks": {"upstream": "pending", "cache": "ok"},
            }
            body = (await h.client.get("/api/health")).json()
            assert body["checks"]["fred_api"]["status"] == "pass"
            assert len(h.counter.calls) == 1

    run(scenario())


def test_ready_and_live(stack):
    async def scenario():
        async with stack() as h:
            ready = await h.client.get("/api/ready")
            assert ready.status_code == 200
            assert ready.json() == {"ready": True, "checks": {"upstream": "ok", "cache": "ok"}}
            live = await h.client.get("/api/live")
            assert live.status_code == 200
            assert live.json() == {"alive": True}
            assert_security_headers(live)

    run(scenario())


def test_fred_data_miss_then_hit_with_rate_limit_headers(stack):
    async def scenario():
        async with stack() as h:
            first = await h.client.get("/api/fred-data", params={"series": "unrate", "limit": "3"})
            assert first.status_code == 200
            assert first.headers["x-cache"] == "MISS"
            body = first.json()
            assert list(body) == [
                "series",
                "title",
                "units",
                "frequency",
                "observations",
                "count",
                "source",
                "fetched_at",
            ]
            assert body["series"] == "UNRATE"
            assert body["title"] == "Unemployment Rate"
            assert (body["units"], body["frequency"]) == ("Percent", "Monthly")
            assert body["count"] == 3
            assert body["observations"][-1] == {"date": "2026-06-01", "value": 4.2}
            assert body["source"] == "upstream"
            assert ISO_Z.match(body["fetched_at"])
            assert first.headers["x-ratelimit-limit"] == "120"
            assert int(first.headers["x-ratelimit-remaining"]) < 120
            assert first.headers["x-ratelimit-reset"].isdigit()
            second = await h.client.get("/api/fred-data", params={"series": "UNRATE"})
            assert second.headers["x-cache"] == "HIT"
            assert second.json()["source"] == "cache"
            assert second.json()["count"] > 100
            assert second.headers["x-ratelimit-limit"] == "120"
            nulls = [o for o in second.json()["observations"] if o["value"] is None]
            assert nulls == [{"date": "2025-10-01", "value": None}]  # FRED's "." becomes null

    run(scenario())


def test_fred_data_errors_never_expose_the_key_or_upstream(stack):
    async def scenario():
        async with stack() as h:
            cases = [
                ({}, 400),
                ({"series": ""}, 400),
                ({"series": "UN RATE!"}, 400),
                ({"series": "UNRATE", "limit": "x"}, 400),
                ({"series": "UNRATE", "limit": "0"}, 400),
                ({"series": "NOSUCH"}, 404),
            ]
            for params, status in cases:
                response = await h.client.get("/api/fred-data", params=params)
                assert response.status_code == status, params
                assert "error" in response.json()
                assert h.settings.fred_api_key not in response.text
                assert "upstream.test" not in response.text
            assert (await h.client.get("/api/fred-data", params={"series": "NOSUCH"})).json() == {
                "error": "unknown series",
                "series": "NOSUCH",
            }

    run(scenario())


def test_upstream_failure_gives_502_or_stale_cache(stack):
    async def scenario():
        async with stack(cache_ttl=0.0) as h:
            ok = await h.client.get("/api/fred-data", params={"series": "GDPC1"})
            assert ok.headers["x-cache"] == "MISS"
            h.faults.replace(parse_fault_specs("upstream_down"))
            stale = await h.client.get("/api/fred-data", params={"series": "GDPC1"})
            assert stale.status_code == 200
            assert stale.headers["x-cache"] == "STALE"
            assert stale.json()["source"] == "cache"
            missing = await h.client.get("/api/fred-data", params={"series": "FEDFUNDS"})
            assert missing.status_code == 502
            assert missing.json() == {"error": "upstream unavailable"}
            log = h.log_text()
            assert "upstream_error" in log
            assert "api_key=****" in log
            assert h.settings.fred_api_key not in log

    run(scenario())


def test_dashboard_page_script_and_source_map(stack):
    async def scenario():
        async with stack() as h:
            page = await h.client.get("/")
            assert page.status_code == 200
            assert page.headers["content-type"].startswith("text/html")
            assert '<script src="/static/app.js"></script>' in page.text
            assert_security_headers(page)
            script = await h.client.get("/static/app.js")
            assert script.headers["content-type"].startswith("application/javascript")
            assert script.text.rstrip().endswith("//# sourceMappingURL=app.js.map")
            assert h.settings.fred_api_key not in script.text
            source_map = await h.client.get("/static/app.js.map")
            doc = json.loads(source_map.text)
            assert doc["version"] == 3
            assert doc["file"] == "app.js"
            assert len(doc["mappings"].split(";")) == len(script.text.rstrip("\n").split("\n"))

    run(scenario())


def test_unknown_path_404_and_wrong_method_405(stack):
    async def scenario():
        async with stack() as h:
            missing = await h.client.get("/api/nothing")
            assert missing.status_code == 404
            assert missing.json() == {"error": "not found", "path": "/api/nothing"}
            assert_security_headers(missing)
            wrong = await h.client.post("/api/health")
            assert wrong.status_code == 405
            assert wrong.headers["allow"] == "GET, HEAD"
            assert wrong.json() == {"error": "method not allowed"}
            assert_security_headers(wrong)
            static = await h.client.delete("/static/app.js")
            assert static.status_code == 405

    run(scenario())


def test_request_ids_differ_and_log_has_one_line_per_request(stack):
    async def scenario():
        async with stack() as h:
            ids = set()
            for path in ("/api/health", "/api/live", "/api/ready", "/nope"):
                ids.add((await h.client.get(path)).headers["x-request-id"])
            await h.client.get("/api/fred-data", params={"series": "CPIAUCSL"})
            assert len(ids) == 4
            lines = [line for line in h.log_text().splitlines() if " request " in line]
            assert len(lines) == 5
            assert all(f"id={i}" in "\n".join(lines) for i in ids)
            assert "series=CPIAUCSL cache=MISS" in lines[-1]
            assert h.settings.fred_api_key not in h.log_text()

    run(scenario())


def test_fault_admin_is_off_by_default_and_switches_faults(stack):
    async def scenario():
        async with stack() as h:
            assert (await h.client.put("/__faults__", content="unhealthy")).status_code == 404
        async with stack(admin=True) as h:
            assert (await h.client.get("/__faults__")).json() == {"spec": "", "faults": []}
            put = await h.client.put("/__faults__", content="unhealthy;slow_all:ms=1")
            assert put.status_code == 200
            assert put.json()["spec"] == "unhealthy;slow_all:ms=1.0"
            assert (await h.client.get("/api/health")).status_code == 503
            bad = await h.client.put("/__faults__", content="slow_tial")
            assert bad.status_code == 400
            assert bad.json()["error"].startswith(
                "unknown fault 'slow_tial'. Did you mean 'slow_tail'?"
            )
            conn = await h.client.put("/__faults__", content="hang")
            assert conn.status_code == 400
            assert "only be set at startup" in conn.json()["error"]
            refuse = await h.client.put("/__faults__", content="upstream_down:mode=refuse")
            assert refuse.status_code == 400
            assert (await h.client.get("/api/health")).status_code == 503  # unchanged by bad PUTs
            cleared = await h.client.put("/__faults__", content="")
            assert cleared.json() == {"spec": "", "faults": []}
            assert (await h.client.get("/api/health")).status_code == 200
            assert "faults_changed" in h.log_text()

    run(scenario())


def test_no_response_of_a_healthy_service_contains_a_key(stack):
    async def scenario():
        async with stack() as h:
            secrets = (h.settings.fred_api_key, h.settings.alpha_vantage_api_key)
            paths = [
                "/",
                "/static/app.js",
                "/static/app.js.map",
                "/api/health",
                "/api/ready",
                "/api/live",
                "/api/fred-data?series=UNRATE",
                "/api/fred-data?series=NOPE",
                "/api/fred-data",
                "/missing",
            ]
            for path in paths:
                response = await h.client.get(path)
                blob = response.text + "".join(f"{k}: {v}\n" for k, v in response.headers.items())
                for secret in secrets:
                    assert secret not in blob, path
                    assert secret[:8] not in blob, path
            for secret in secrets:
                assert secret not in h.log_text()

    run(scenario())
