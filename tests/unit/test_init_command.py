"""`synthcheck init` in process: the file it writes, its exit codes, what it never writes."""

from __future__ import annotations

import argparse
import asyncio
import json
import tomllib
from pathlib import Path
from typing import Any

import httpx
import pytest

from synthcheck.config import load_environment
from synthcheck.init import command
from synthcheck.init.propose import propose_timeouts
from synthcheck.init.write import InitBug, render_toml, validate

SECRET = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
HEALTH = {
    "status": "healthy",
    "memory": {"used": 100, "total": 1000, "limit": 1000},
    "checks": {"db": {"status": "pass"}},
}
OPENAPI = {
    "openapi": "3.0.3",
    "paths": {
        "/v1/observations": {
            "get": {
                "parameters": [
                    {"name": "series", "in": "query", "required": True, "example": "GDPC1"}
                ]
            },
            "post": {},
            "delete": {},
        }
    },
}


class Service:
    """A hand-built service: the answers init sees, and every request it sent."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.routes.get(request.url.raw_path.decode())
        if answer is None:
            return httpx.Response(404, json={"error": "not found"})
        if isinstance(answer, str):
            return httpx.Response(200, text=answer, headers={"content-type": "text/plain"})
        return httpx.Response(200, json=answer)


def _ns(tmp_path: Path, *args: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers())
    return parser.parse_args(
        ["init", "--base-url=http://svc.test", "--name=svc", f"--env-dir={tmp_path}", *args]
    )


def _init(tmp_path: Path, service: Service, *args: str) -> int:
    return command.run(_ns(tmp_path, *args), tmp_path, transport=httpx.MockTransport(service))


def test_the_file_written_loads_and_names_what_was_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service = Service(
        {
            "/api/health": HEALTH,
            "/readyz": "ok",
            "/livez": "ok",
            "/api/fred-data?series=UNRATE": {"series": "UNRATE", "observations": []},
        }
    )
    assert _init(tmp_path, service) == 0
    env = load_environment(str(tmp_path / "svc.toml"), tmp_path)
    by_role = {e.role: e for e in env.endpoints}
    assert by_role["health"].path == "/api/health"
    assert by_role["health"].schema == tmp_path / "schemas" / "svc.health.schema.json"
    assert (by_role["ready"].path, by_role["ready"].content_type) == ("/readyz", "text/plain")
    assert by_role["live"].path == "/livez"
    assert by_role["data"].params == (("series", ("UNRATE",)),)
    assert env.health.format == "runbook"
    assert env.budgets.p95_ms == 500
    assert env.budgets.p95_critical_ms == 1000
    assert env.http.read_timeout_s >= 2.0
    out = capsys.readouterr().out
    assert "health  GET /api/health: 200 application/json, format runbook" in out
    assert "timeouts  connect 2 s, read 2 s, total 6 s" in out
    schema = json.loads((tmp_path / "schemas" / "svc.health.schema.json").read_text())
    assert schema["properties"]["status"] == {"enum": ["healthy", "degraded", "unhealthy"]}


def test_an_openapi_document_gives_the_data_endpoint_and_nothing_unsafe_is_sent(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(OPENAPI))
    service = Service(
        {"/api/health": HEALTH, "/v1/observations?series=GDPC1": {"observations": [{"v": 1}]}}
    )
    assert _init(tmp_path, service, f"--openapi={spec}") == 0
    env = load_environment(str(tmp_path / "svc.toml"), tmp_path)
    data = next(e for e in env.endpoints if e.role == "data")
    assert (data.path, data.params) == ("/v1/observations", (("series", ("GDPC1",)),))
    assert {r.method for r in service.requests} == {"GET"}
    assert len(service.requests) <= 60


def test_the_openapi_document_is_discovered_on_the_service(tmp_path: Path) -> None:
    service = Service(
        {
            "/v3/api-docs": OPENAPI,
            "/api/health": HEALTH,
            "/v1/observations?series=GDPC1": {"observations": []},
        }
    )
    assert _init(tmp_path, service) == 0
    assert '"/v1/observations"' in (tmp_path / "svc.toml").read_text()


def test_no_secret_reaches_the_file_or_a_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRED_API_KEY", SECRET)
    service = Service({"/api/health": {**HEALTH, "debug": f"api_key={SECRET}"}})
    assert _init(tmp_path, service) == 0
    written = "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())
    assert SECRET not in written
    assert 'env = ["FRED_API_KEY", "ALPHA_VANTAGE_API_KEY"]' in written
    assert "holds the value of $FRED_API_KEY: not copied" in capsys.readouterr().out


def test_an_existing_file_is_kept_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "svc.toml").write_text("keep me")
    service = Service({"/api/health": HEALTH})
    assert _init(tmp_path, service) == 2
    assert f"{tmp_path / 'svc.toml'} exists; pass --force" in capsys.readouterr().err
    assert (tmp_path / "svc.toml").read_text() == "keep me"
    assert service.requests == []
    assert _init(tmp_path, service, "--force") == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-url=ftp://x"], "is not an http(s) URL"),
        (["--name=../etc"], "letters, digits"),
        (["--openapi=/no/such/api.json"], "--openapi /no/such/api.json: no such file"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _init(tmp_path, Service({}), *args) == 2
    assert message in capsys.readouterr().err


def test_nothing_found_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    assert _init(tmp_path, Service({})) == 1
    assert not (tmp_path / "svc.toml").exists()


def test_a_service_that_does_not_answer_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    code = command.run(_ns(tmp_path), tmp_path, transport=httpx.MockTransport(refuse))
    assert code == 1
    assert "did not answer" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("p95_ms", "read", "connect"),
    [(None, 2.0, 2.0), (5.0, 2.0, 2.0), (450.0, 4.5, 2.0), (1800.0, 18.0, 6.0), (9000, 30.0, 10.0)],
)
def test_timeouts_are_ten_times_the_p95_within_bounds(
    p95_ms: float | None, read: float, connect: float
) -> None:
    proposed = propose_timeouts(p95_ms)
    assert (proposed.read_s, proposed.connect_s) == (read, connect)
    assert proposed.total_s == read + connect + 2.0


def test_rendered_toml_reads_back_identically() -> None:
    doc = {
        "name": "x",
        "n": 1,
        "f": 2.5,
        "b": False,
        "http": {"read_timeout_s": 2.0},
        "endpoints": [{"path": '/a"b', "params": {"series": ["A", "B"]}, "odd key": 1}],
    }
    assert tomllib.loads(render_toml(doc, "# header\n")) == doc


def test_a_file_the_loader_refuses_is_a_bug_of_init(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('schema_version = 1\nname = "bad"\nbase_url = "http://x"\nendpoints = []\n')
    with pytest.raises(InitBug, match="does not load"):
        validate(path)


def test_a_health_path_that_answers_503_is_kept_and_the_failure_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/actuator/health":
            return httpx.Response(503, json={"status": "DOWN"})
        return httpx.Response(404, json={"error": "not found"})

    code = command.run(_ns(tmp_path), tmp_path, transport=httpx.MockTransport(handler))
    assert code == 0
    env = load_environment(str(tmp_path / "svc.toml"), tmp_path)
    (health,) = env.endpoints
    assert health.path == "/actuator/health"
    assert health.schema is not None
    assert health.schema.name == "health.schema.json"  # builtin:health: no 2xx body to learn from
    assert "it answered 503: the service reports a failure now" in capsys.readouterr().out


def test_a_slow_service_is_told_it_will_fail_on_latency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/health":
            return httpx.Response(200, json=HEALTH)
        return httpx.Response(404, json={"error": "not found"})

    ns = _ns(tmp_path)

    class SlowTransport(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(0.6 if request.url.path == "/api/health" else 0)
            return handler(request)

    assert command.run(ns, tmp_path, transport=SlowTransport()) == 0
    out = capsys.readouterr().out
    assert "note: health already answers above the runbook's 500 ms" in out
    env = load_environment(str(tmp_path / "svc.toml"), tmp_path)
    assert 6.0 < env.http.read_timeout_s <= 8.0  # 10x the >= 600 ms observed, in 0.5 s steps


def test_only_the_document_values_the_service_answers_are_kept(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    param = {"name": "series", "in": "query", "required": True, "schema": {"enum": ["A", "B", "C"]}}
    spec.write_text(
        json.dumps(
            {"openapi": "3.1.0", "paths": {"/api/fred-data": {"get": {"parameters": [param]}}}}
        )
    )
    service = Service(
        {
            "/api/health": HEALTH,
            "/api/fred-data?series=A": {"series": "A"},
            "/api/fred-data?series=C": {"series": "C"},
        }
    )
    assert _init(tmp_path, service, f"--openapi={spec}") == 0
    env = load_environment(str(tmp_path / "svc.toml"), tmp_path)
    data = next(e for e in env.endpoints if e.role == "data")
    assert data.params == (("series", ("A", "C")),)
