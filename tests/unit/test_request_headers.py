"""Request headers: ``${VAR}`` expansion, secrets, the User-Agent, what the probe sends."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from synthcheck import __version__
from synthcheck.config import ConfigError, Environment, HttpSettings, load_environment
from synthcheck.leaks import LeakScanner
from synthcheck.leaks.exchanges import ExchangeScanner
from synthcheck.load.request_options import default_headers, probe_headers
from synthcheck.load.workload import _requests
from synthcheck.plan import build_plan
from synthcheck.probe import Recorder
from synthcheck.probe.client import RecordingClient
from synthcheck.probe.curl import curl_command, request_headers
from synthcheck.secrets import KnownSecrets, Redactor
from tests.support.exchanges import exchange

TOKEN = "st-9f8e7d6c5b4a39281706f5e4"
ENVIRON = {"STATUS_TOKEN": TOKEN, "CANARY_HOST": "canary.fred.example.com", "TENANT": "acme"}

ENV_FILE = """\
schema_version = 1
name = "behind-auth"
base_url = "http://127.0.0.1:9"

[http]
headers = { Authorization = "Bearer ${STATUS_TOKEN}", Host = "${CANARY_HOST}" }

[[endpoints]]
role = "health"
path = "/api/health"

[[endpoints]]
role = "data"
path = "/api/fred-data"
params = { series = "UNRATE" }
headers = { "X-Tenant" = "${TENANT}", Accept = "application/json" }
"""


def _env(tmp_path: Path, text: str = ENV_FILE, environ: dict[str, str] = ENVIRON) -> Environment:
    path = tmp_path / "behind-auth.toml"
    path.write_text(text)
    return load_environment(str(path), tmp_path, environ=environ)


def _config_error(tmp_path: Path, text: str, environ: dict[str, str]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        _env(tmp_path, text, environ)
    assert caught.value.source == str(tmp_path / "behind-auth.toml")
    return caught.value


# -- the environment file ------------------------------------------------------------


def test_variables_are_expanded_from_the_verifiers_environment(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert dict(env.http.headers) == {
        "Authorization": f"Bearer {TOKEN}",
        "Host": "canary.fred.example.com",
    }
    data = next(ep for ep in env.endpoints if ep.role == "data")
    assert data.headers == (("X-Tenant", "acme"), ("Accept", "application/json"))


def test_a_missing_variable_names_the_file_the_field_and_the_variable(tmp_path: Path) -> None:
    error = _config_error(tmp_path, ENV_FILE, {"CANARY_HOST": "h", "TENANT": "acme"})
    assert error.problems == [
        "http.headers.Authorization: ${STATUS_TOKEN} is not set (or empty) in the verifier's"
        " environment; export it, or remove the header"
    ]
    assert str(error).startswith(f"{tmp_path / 'behind-auth.toml'}: http.headers.Authorization")


def test_an_empty_variable_is_missing_too_and_endpoints_are_named(tmp_path: Path) -> None:
    error = _config_error(tmp_path, ENV_FILE, {**ENVIRON, "TENANT": ""})
    assert error.problems == [
        "endpoints[1].headers.X-Tenant: ${TENANT} is not set (or empty) in the verifier's"
        " environment; export it, or remove the header"
    ]


def test_a_line_break_from_a_variable_is_refused(tmp_path: Path) -> None:
    error = _config_error(tmp_path, ENV_FILE, {**ENVIRON, "CANARY_HOST": "a\r\nX-Evil: 1"})
    assert error.problems == [
        "http.headers.Host: the value contains a line break (after ${VAR} expansion)"
    ]


def test_a_header_name_that_is_not_a_token_is_a_schema_error(tmp_path: Path) -> None:
    text = ENV_FILE.replace('Host = "${CANARY_HOST}"', '"Bad Name" = "x"')
    error = _config_error(tmp_path, text, ENVIRON)
    assert any("http.headers" in p and "Bad Name" in p for p in error.problems), error.problems


def test_credential_variables_become_secrets_routing_ones_do_not(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert "STATUS_TOKEN" in env.secret_env
    assert "TENANT" in env.secret_env  # an unknown header may authenticate: a secret
    assert "CANARY_HOST" not in env.secret_env  # a service may echo its own host name


def test_the_user_agent_names_the_harness_its_version_and_the_environment(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert env.http.user_agent == f"synthcheck/{__version__} (+synthetic check; env=behind-auth)"


def test_header_values_never_show_in_a_repr(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert TOKEN not in repr(env)
    assert TOKEN not in repr(env.endpoints)


# -- what the probe sends ------------------------------------------------------------


def _sent_by_recorder(env: Environment) -> dict[str, httpx.Headers]:
    seen: dict[str, httpx.Headers] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.path] = request.headers
        return httpx.Response(200, json={"status": "healthy"})

    plan = build_plan(env, "postdeploy")
    recorder = Recorder(plan, env.http, transport=httpx.MockTransport(handler))
    try:
        recorder.collect_many([(t, 1) for t in plan.targets])
    finally:
        recorder.close()
    return seen


def test_every_probe_sends_the_user_agent_and_the_headers(tmp_path: Path) -> None:
    env = _env(tmp_path)
    seen = _sent_by_recorder(env)
    health, data = seen["/api/health"], seen["/api/fred-data"]
    for headers in (health, data):
        assert headers["user-agent"] == env.http.user_agent
        assert headers["authorization"] == f"Bearer {TOKEN}"
        assert headers["host"] == "canary.fred.example.com"
    assert data["x-tenant"] == "acme"
    assert "x-tenant" not in health  # an endpoint's headers are its own


def _one_request(http: HttpSettings, headers: tuple[tuple[str, str], ...] = ()) -> httpx.Headers:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    async def go() -> None:
        transport = httpx.MockTransport(handler)
        client = RecordingClient(http, transport=transport)
        try:
            await client.record(
                target_id="t", method="GET", url="http://svc/x", seq=1, headers=headers
            )
        finally:
            await client.aclose()

    asyncio.run(go())
    return seen[0].headers


def test_a_configured_user_agent_replaces_the_harness_one_in_any_spelling() -> None:
    http = HttpSettings(user_agent="synthcheck/x", headers={"user-agent": "probe-bot/2"})
    assert _one_request(http).get_list("user-agent") == ["probe-bot/2"]
    endpoint = (("USER-AGENT", "ep-bot/1"),)
    assert _one_request(HttpSettings(user_agent="synthcheck/x"), endpoint).get_list(
        "user-agent"
    ) == ["ep-bot/1"]


def test_an_endpoint_header_replaces_the_environment_one() -> None:
    http = HttpSettings(headers={"Authorization": "Bearer env-wide"})
    sent = _one_request(http, (("authorization", "Bearer endpoint"),))
    assert sent.get_list("authorization") == ["Bearer endpoint"]


def test_load_requests_send_the_same_headers(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert default_headers(env.http) == {"User-Agent": env.http.user_agent, **env.http.headers}
    overridden = HttpSettings(user_agent="synthcheck/x", headers={"User-Agent": "mine"})
    assert default_headers(overridden) == {"User-Agent": "mine"}
    data = next(r for r in _requests(env) if r.name == "/api/fred-data")
    assert data.headers == (("X-Tenant", "acme"), ("Accept", "application/json"))
    # The health sampler during a load run: the same, plus the endpoint's own headers.
    sampled = probe_headers(env.http, (("authorization", "Bearer other"),))
    assert sampled == {
        "User-Agent": env.http.user_agent,
        "authorization": "Bearer other",
        "Host": "canary.fred.example.com",
    }


# -- secrets: masked, reproduced as ${VAR}, scanned for -------------------------------


def test_curl_reproductions_print_the_variable_not_the_token(tmp_path: Path) -> None:
    env = _env(tmp_path)
    secrets = KnownSecrets.from_environ(env.secret_env, ENVIRON)
    data = next(ep for ep in env.endpoints if ep.role == "data")
    command = curl_command(
        "GET",
        "http://127.0.0.1:9/api/fred-data?series=UNRATE",
        headers=request_headers(env.http, data.headers),
        secrets=secrets,
        redactor=Redactor(secrets),
    )
    assert TOKEN not in command
    assert '-H "Authorization: Bearer ${STATUS_TOKEN}"' in command
    assert '-H "X-Tenant: ${TENANT}"' in command
    assert '-H "Host: canary.fred.example.com"' in command


def test_the_token_is_masked_in_any_text(tmp_path: Path) -> None:
    env = _env(tmp_path)
    redactor = Redactor(KnownSecrets.from_environ(env.secret_env, ENVIRON))
    assert redactor.redact(f"auth failed for Bearer {TOKEN}") == (
        "auth failed for Bearer [REDACTED:STATUS_TOKEN]"
    )


def test_a_service_echoing_the_token_back_is_a_key_leak(tmp_path: Path) -> None:
    env = _env(tmp_path)
    scanner = ExchangeScanner(LeakScanner(list(KnownSecrets.from_environ(env.secret_env, ENVIRON))))
    echoed = exchange(200, {"debug": {"authorization": f"Bearer {TOKEN}"}})
    (leak,) = scanner.scan(echoed)
    assert leak.finding.describe().startswith(f"STATUS_TOKEN ({len(TOKEN)} chars)")
    host_only = exchange(200, {"links": {"self": "https://canary.fred.example.com/api"}})
    assert scanner.scan(host_only) == []
