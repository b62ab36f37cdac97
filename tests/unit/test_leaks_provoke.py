"""Error-path probes and the page's scripts: what is sent, and what stays same-origin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from synthcheck.config import Endpoint, Environment, HttpSettings
from synthcheck.plan import build_plan
from synthcheck.probe import Recorder
from synthcheck.probe.provoke import (
    OVERSIZED_LENGTH,
    UNKNOWN_SERIES,
    LeakProbes,
    provocations,
    script_urls,
    source_map_url,
)
from tests.support.exchanges import exchange

PAGE = """<!doctype html><html><head>
<link rel="modulepreload" href="/static/chunk.js">
<link rel="stylesheet" href="/static/app.css">
<script src="https://cdn.other.example/lib.js?key=abc"></script>
</head><body><script src="/static/app.js"></script><script>inline()</script></body></html>"""


def _env() -> Environment:
    endpoints = (
        Endpoint(name="health", role="health", method="GET", path="/api/health"),
        Endpoint(
            name="data",
            role="data",
            method="GET",
            path="/api/fred-data",
            params=(("series", ("UNRATE",)),),
        ),
        Endpoint(name="page", role="page", method="GET", path="/"),
    )
    http = HttpSettings(max_rps=10_000)  # no pacing against the in-memory transport
    return Environment(
        name="t", source=Path("t.toml"), base_url="http://svc", endpoints=endpoints, http=http
    )


def _handler(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path == "/":
        return httpx.Response(200, text=PAGE, headers={"content-type": "text/html"})
    if path == "/static/app.js":
        return httpx.Response(200, text="run();\n//# sourceMappingURL=app.js.map\n")
    if path == "/static/chunk.js":
        return httpx.Response(200, text="chunk();", headers={"SourceMap": "/maps/chunk.js.map"})
    if path.endswith(".map"):
        return httpx.Response(200, json={"version": 3, "sources": []})
    if path == "/api/fred-data" and request.method == "GET":
        return httpx.Response(200, json={"series": "UNRATE"})
    return httpx.Response(404, json={"error": "not found"})


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    env = _env()
    rec = Recorder(build_plan(env, "postdeploy"), env.http, transport=httpx.MockTransport(_handler))
    yield rec
    rec.close()


def test_provocations_walk_the_error_paths() -> None:
    wanted = provocations(build_plan(_env(), "postdeploy"))
    assert [p.label for p in wanted] == [
        f"unknown value (series={UNKNOWN_SERIES})",
        "malformed parameter (series)",
        f"oversized parameter (series, {OVERSIZED_LENGTH} characters)",
        "missing parameter (series)",
        "POST with an empty body",
        "POST with a small JSON body",
        "unknown API path",
        "unknown page",
    ]
    ids = [p.target.id for p in wanted]
    assert ids[0] == f"GET /api/fred-data?series={UNKNOWN_SERIES}"
    assert ids[3] == "GET /api/fred-data"
    assert ids[4] == "POST /api/fred-data?series=UNRATE"
    assert ids[5] == "POST /api/fred-data"
    assert wanted[5].json_body == {"series": "UNRATE"}
    assert ids[6:] == ["GET /api/synthcheck-no-such-path", "GET /synthcheck-no-such-path"]


def test_provoked_requests_are_sent_once_and_kept_apart_from_the_plan(recorder: Recorder) -> None:
    probes = LeakProbes(recorder, recorder.plan)
    provoked = probes.provoked()
    assert probes.provoked() is provoked  # fetched once per run
    statuses = {p.label: [e.status for e in exchanges] for p, exchanges in provoked}
    assert statuses["unknown page"] == [404]
    assert statuses["POST with an empty body"] == [404]
    assert statuses["POST with a small JSON body"] == [404]
    plan_ids = {t.id for t in recorder.plan.targets}
    assert all(p.target.id not in plan_ids for p, _ in provoked)
    data = recorder.plan.by_role("data")[0]
    assert all(e.status == 200 for e in recorder.exchanges(data))


def test_provoking_can_be_switched_off(recorder: Recorder) -> None:
    assert LeakProbes(recorder, recorder.plan, provoke=False).provoked() == []


def test_script_urls_and_source_maps() -> None:
    assert script_urls(PAGE, "http://svc/") == [
        "https://cdn.other.example/lib.js?key=abc",
        "http://svc/static/app.js",
        "http://svc/static/chunk.js",
    ]
    script = exchange(200, raw=b"x();\n//# sourceMappingURL=app.js.map\n")
    script.url = "http://svc/static/app.js"
    assert source_map_url(script) == "http://svc/static/app.js.map"
    inline = exchange(200, raw=b"x();\n//# sourceMappingURL=data:application/json;base64,e30=\n")
    assert source_map_url(inline) is None


def test_same_origin_scripts_and_maps_are_fetched_within_the_limit(recorder: Recorder) -> None:
    probes = LeakProbes(recorder, recorder.plan, max_scripts=10)
    fetched = [e.target_id for e in probes.scripts()]
    assert fetched == [
        "GET /static/app.js",
        "GET /static/chunk.js",
        "GET /static/app.js.map",
        "GET /maps/chunk.js.map",
    ]
    assert probes.skipped_scripts == [
        "https://cdn.other.example/lib.js (other origin: not fetched)"
    ]


def test_the_script_limit_is_kept(recorder: Recorder) -> None:
    probes = LeakProbes(recorder, recorder.plan, max_scripts=1)
    assert [e.target_id for e in probes.scripts()] == ["GET /static/app.js"]
    assert any("over the limit of 1" in note for note in probes.skipped_scripts)
