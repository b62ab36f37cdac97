"""Requests real services need, through deploy-verify.sh: auth headers, internal TLS.

A service behind bearer auth (tests/support/other_service.py with a token) is verified
with ``[http] headers``; the token is a secret (never in output or reports, a leak when
echoed). A private-CA HTTPS service verifies with ``[http] ca_bundle`` and not without.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from tests.support.harness import base_environ, deploy_verify, files_containing
from tests.support.other_service import other_service
from tests.support.tls_server import PrivateCA, https_server

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
OTHER = ROOT / "tests" / "data" / "environments" / "other-service.toml"
# Made fresh each run, so no token of the tests sits in the tree for the secret scan.
TOKEN = "st-" + secrets.token_hex(12)
AUTH = '[http]\nheaders = { Authorization = "Bearer ${STATUS_TOKEN}" }\n\n'


def _behind_auth(tmp_path: Path) -> Path:
    text = OTHER.read_text().replace('name = "other-service"', 'name = "behind-auth"')
    path = tmp_path / "behind-auth.toml"
    path.write_text(text.replace("[health]\n", AUTH + "[health]\n", 1))
    return path


def test_a_service_behind_bearer_auth_passes_and_the_token_stays_secret(tmp_path: Path) -> None:
    env, seen = _behind_auth(tmp_path), []
    with other_service(token=TOKEN, seen=seen) as url:
        run = deploy_verify(
            f"--env={env}",
            f"--base-url={url}",
            reports=tmp_path / "r",
            environ=base_environ(STATUS_TOKEN=TOKEN),
        )
    assert run.code == 0, run.output
    assert run.categories() == set()
    assert seen, "the service saw no request"
    assert {h.get("Authorization") for h in seen} == {f"Bearer {TOKEN}"}
    assert {h.get("User-Agent") for h in seen} == {
        "synthcheck/0.1.0 (+synthetic check; env=behind-auth)"
    }
    assert TOKEN not in run.output
    assert files_containing(tmp_path / "r", TOKEN) == []


def test_load_requests_carry_the_token_and_the_user_agent(tmp_path: Path) -> None:
    env, seen = _behind_auth(tmp_path), []
    with other_service(token=TOKEN, seen=seen) as url:
        run = deploy_verify(
            f"--env={env}",
            f"--base-url={url}",
            "--suite=load",
            reports=tmp_path / "r",
            environ=base_environ(STATUS_TOKEN=TOKEN),
        )
    assert run.code == 0, run.output
    load = {c["id"]: c["outcome"] for c in run.summary["checks"] if c["category"] == "load"}
    assert load["load.failure_ratio"] == "passed", load
    agents = {h.get("User-Agent") for h in seen}
    assert agents == {"synthcheck/0.1.0 (+synthetic check; env=behind-auth)"}  # locust's too
    assert len(seen) > 100  # the load run's requests, not only the probes
    assert {h.get("Authorization") for h in seen} == {f"Bearer {TOKEN}"}
    assert files_containing(tmp_path / "r", TOKEN) == []


def test_an_unset_token_variable_is_a_config_error(tmp_path: Path) -> None:
    env = _behind_auth(tmp_path)
    environ = base_environ()
    environ.pop("STATUS_TOKEN", None)
    run = deploy_verify(f"--env={env}", "--base-url=http://127.0.0.1:9", reports=tmp_path / "r",
                        environ=environ)  # fmt: skip
    assert run.code == 2, run.output
    assert f"{env}: http.headers.Authorization: ${{STATUS_TOKEN}} is not set" in run.output


def test_a_service_echoing_the_token_is_a_key_leak(tmp_path: Path) -> None:
    env = _behind_auth(tmp_path)
    with other_service(token=TOKEN, echo_auth=True) as url:
        run = deploy_verify(
            f"--env={env}",
            f"--base-url={url}",
            reports=tmp_path / "r",
            environ=base_environ(STATUS_TOKEN=TOKEN),
        )
    assert run.code == 1, run.output
    assert run.categories() == {"key_leak"}
    leaks = [c for c in run.checks("failed") if c["category"] == "key_leak"]
    assert any("STATUS_TOKEN" in c["message"] for c in leaks), leaks
    reproductions = [c.get("reproduce", "") for c in leaks if c.get("reproduce")]
    assert reproductions, leaks
    assert all("Authorization: Bearer ${STATUS_TOKEN}" in r for r in reproductions)
    assert TOKEN not in run.output
    assert files_containing(tmp_path / "r", TOKEN) == []


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> PrivateCA:
    return PrivateCA.create(tmp_path_factory.mktemp("ca"))


def _local(tmp_path: Path, http_lines: str) -> Path:
    text = (ROOT / "environments" / "local.toml").read_text()
    text = text.replace('"schemas/', f'"{ROOT / "environments" / "schemas"}/')
    path = tmp_path / "internal.toml"
    path.write_text(text.replace("[http]\n", f"[http]\n{http_lines}", 1))
    return path


@pytest.mark.parametrize("bundle", [False, True], ids=["without-ca_bundle", "with-ca_bundle"])
def test_internal_tls_verifies_only_with_the_ca_bundle(
    tmp_path: Path, ca: PrivateCA, bundle: bool
) -> None:
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "internal-ca.pem").write_bytes(ca.cert.read_bytes())
    env = _local(tmp_path, 'ca_bundle = "certs/internal-ca.pem"\n' if bundle else "")
    with https_server(tmp_path, ca=ca) as url:
        run = deploy_verify(f"--env={env}", f"--base-url={url}", "--", "-k",
                            "tls or availability", reports=tmp_path / "r")  # fmt: skip
    checks = {c["id"]: c for c in run.summary["checks"]}
    if bundle:
        assert run.code == 0, run.output
        assert run.categories() == set()
        assert checks["tls.certificate_trusted"]["outcome"] == "passed"
        return
    assert run.code == 1, run.output
    assert run.categories() == {"availability"}  # no client can talk to it
    reachable = checks["availability.reachable"]
    assert reachable["outcome"] == "failed"
    assert reachable["observed"].endswith(
        "TLS handshake failed: unable to get local issuer certificate"
    )
