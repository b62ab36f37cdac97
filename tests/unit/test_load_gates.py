"""Load options and safety gates: consent before traffic leaves this machine (exit 2 otherwise)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from synthcheck.cli import _build_parser
from synthcheck.config import ConfigError, load_environment
from synthcheck.config.load_flags import LoadFlags
from synthcheck.config.model import Environment
from synthcheck.config.options import resolve_settings
from synthcheck.load.gates import check_gates, is_local, load_mode, vet_load_run
from synthcheck.verify import pytest_args


def settings(cli: dict[str, object] | None = None, environ: dict[str, str] | None = None):
    values = cli or {}
    return resolve_settings(lambda dest: values.get(dest), Path("."), environ or {})


@pytest.mark.parametrize(
    "url",
    [
        "embedded",
        "http://127.0.0.1:8000",
        "http://127.8.9.10",
        "http://localhost:80",
        "http://[::1]:8000",
        "https://LOCALHOST",
    ],
)
def test_loopback_targets_are_local(url: str) -> None:
    assert is_local(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5:8080",
        "http://192.168.1.2",
        "https://fred.example.com",
        "http://0.0.0.0:80",
        "http://127.0.0.1.example.com",
    ],
)
def test_anything_else_is_remote(url: str) -> None:
    assert not is_local(url)


def test_load_options_resolve_from_flags_and_variables() -> None:
    flags = settings(
        {"load_profile": "stress", "workers": "2", "allow_remote_load": True},
        {"SYNTHCHECK_LOAD_DURATION": "1m30s", "SYNTHCHECK_SMOKE_LOAD": "yes"},
    ).load
    assert flags == LoadFlags(
        profile="stress", duration_s=90, workers=2, allow_remote=True, smoke=True
    )
    assert settings().load == LoadFlags()


@pytest.mark.parametrize(
    ("cli", "environ", "message"),
    [
        (
            {"load_profile": "stres"},
            {},
            "--load-profile: 'stres' is not a load profile. Did you mean 'stress'?",
        ),
        (
            {},
            {"SYNTHCHECK_LOAD_PROFILE": "peak"},
            "$SYNTHCHECK_LOAD_PROFILE: 'peak' is not a load profile.",
        ),
        ({"workers": "-1"}, {}, "--workers: -1 is out of range (accepted: 0..64)"),
        ({"workers": "two"}, {}, "--workers: 'two' is not a whole number"),
        ({"load_users": "0"}, {}, "--load-users: 0 is out of range (accepted: at least 1)"),
        ({}, {"SYNTHCHECK_LOAD_USERS": "-5"}, "$SYNTHCHECK_LOAD_USERS: -5 is out of range"),
        (
            {"load_duration": "-10s"},
            {},
            "--load-duration: '-10s' is not a duration like 90, 90s, 5m or 1h30m",
        ),
        (
            {},
            {"SYNTHCHECK_ALLOW_REMOTE_LOAD": "sure"},
            "$SYNTHCHECK_ALLOW_REMOTE_LOAD: 'sure' is not one of 1, true",
        ),
    ],
)
def test_bad_load_options_name_their_source(
    cli: dict[str, object], environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        settings(cli, environ)
    assert str(caught.value).startswith(message)


def test_switches_travel_from_the_cli_to_pytest() -> None:
    ns = _build_parser().parse_args(
        ["verify", "--suite=load", "--allow-remote-load", "--workers=2"]
    )
    args = pytest_args(ns, [])
    # The prefixed names: no other pytest plugin can own them.
    assert "--synthcheck-allow-remote-load" in args
    assert "--synthcheck-workers=2" in args
    assert not any("smoke-load" in arg for arg in args)


def test_load_runs_only_in_the_load_suite_or_with_smoke_load() -> None:
    assert load_mode("load", LoadFlags()) == "suite"
    assert load_mode("all", LoadFlags()) == "suite"
    assert load_mode("postdeploy", LoadFlags()) is None
    assert load_mode("postdeploy", LoadFlags(smoke=True)) == "smoke"
    assert load_mode("canary", LoadFlags(smoke=True)) is None


@pytest.fixture
def production(env_dir: Path) -> Environment:
    return load_environment("production", env_dir)


def test_a_remote_target_needs_the_allow_flag(env_dir: Path) -> None:
    staging = load_environment("staging", env_dir)
    with pytest.raises(ConfigError) as caught:
        check_gates(staging, LoadFlags(), staging.base_url)
    assert str(caught.value) == (
        "load safety gate: --allow-remote-load: fred-dashboard-staging.example.com is not on"
        " this machine and a load run sends it real traffic; pass --allow-remote-load (or"
        " SYNTHCHECK_ALLOW_REMOTE_LOAD=1) to confirm"
    )
    check_gates(staging, LoadFlags(allow_remote=True), staging.base_url)
    check_gates(staging, LoadFlags(), "http://127.0.0.1:8000")


def test_production_needs_a_second_separate_confirmation(production: Environment) -> None:
    allowed = LoadFlags(allow_remote=True)
    with pytest.raises(ConfigError, match="--confirm-production-load=production as a second"):
        check_gates(production, allowed, production.base_url)
    with pytest.raises(ConfigError, match="'prod' does not name it"):
        check_gates(production, replace(allowed, confirm_production="prod"), production.base_url)
    # The production confirmation alone does not open the remote gate.
    with pytest.raises(ConfigError, match="--allow-remote-load"):
        check_gates(production, LoadFlags(confirm_production="production"), production.base_url)
    check_gates(production, replace(allowed, confirm_production="production"), production.base_url)


def test_vetting_runs_only_when_load_will_run(production: Environment) -> None:
    vet_load_run(production, "postdeploy", LoadFlags(), {})  # no load: nothing to refuse
    with pytest.raises(ConfigError, match="load safety gate"):
        vet_load_run(production, "load", LoadFlags(), {})
    with pytest.raises(ConfigError, match="load safety gate"):
        vet_load_run(production, "postdeploy", LoadFlags(smoke=True), {})
    with pytest.raises(ConfigError, match="exceed the cap"):
        vet_load_run(production, "load", LoadFlags(profile="stress"), {})
