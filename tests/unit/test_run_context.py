"""The run context: what the harness's parts pass each other instead of ``os.environ``
(xdist workers through ``workerinput``, a locust child through one variable), and the
ini level of the plugin's options."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from synthcheck.config import ConfigError
from synthcheck.config.run_context import LOG_VAR, RUN_CONTEXT_VAR, RunContext
from synthcheck.embedded import run_keys
from synthcheck.load.context import context_from_environ
from tests.support.harness import TEST_KEYS

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
KEY = "0123456789abcdef0123456789abcdef"


def test_it_round_trips_and_never_shows_its_keys() -> None:
    context = RunContext(
        base_url="http://127.0.0.1:5",
        upstream_url="http://127.0.0.1:6",
        keys={"FRED_API_KEY": KEY},
        log_path="/tmp/reference.log",
        results_path="/tmp/results.json",
        options={"load_profile": "smoke", "budget": ["p95_ms=400"]},
    )
    assert RunContext.from_json(context.to_json()) == context
    assert KEY not in repr(context)
    assert context.embedded
    assert not RunContext().embedded


@pytest.mark.parametrize("text", ["not json", "[1]", '{"base_url": null, "shell": "rm"}'])
def test_a_bad_context_names_where_it_came_from(text: str) -> None:
    with pytest.raises(ConfigError, match=r"^\$SYNTHCHECK_RUN_CONTEXT: not a synthcheck run"):
        RunContext.from_json(text)


def test_the_environment_it_adds_and_what_it_leaves_alone() -> None:
    context = RunContext(
        upstream_url="http://127.0.0.1:6",
        keys={"FRED_API_KEY": KEY, "ALPHA_VANTAGE_API_KEY": "generated-av-key"},
        log_path="/tmp/reference.log",
    )
    base = {"ALPHA_VANTAGE_API_KEY": "the-users-own-key", "FRED_API_KEY": " ", "HOME": "/h"}
    seen = context.environ(base)
    assert seen["FRED_API_KEY"] == KEY  # blank in the verifier's environment: unset
    assert seen["ALPHA_VANTAGE_API_KEY"] == "the-users-own-key"  # the verifier's own wins
    assert seen["FRED_BASE_URL"] == "http://127.0.0.1:6"
    assert seen[LOG_VAR] == "/tmp/reference.log"
    assert seen["HOME"] == "/h"
    assert base["FRED_API_KEY"] == " "  # a copy: nothing written back


def test_run_keys_generates_only_what_is_unset() -> None:
    keys, generated = run_keys({"FRED_API_KEY": KEY, "ALPHA_VANTAGE_API_KEY": ""})
    assert generated == ["ALPHA_VANTAGE_API_KEY"]
    assert keys["FRED_API_KEY"] == KEY
    assert len(keys["ALPHA_VANTAGE_API_KEY"]) == 16


def test_the_locust_side_builds_its_settings_from_the_one_variable(tmp_path: Path) -> None:
    context = RunContext(
        keys={"FRED_API_KEY": KEY},
        results_path=str(tmp_path / "results.json"),
        options={
            "env": str(ROOT / "environments" / "staging.toml"),
            "load_profile": "smoke",
            "load_users": 3,
            "budget": ["p95_ms=400"],
        },
    )
    # A stray variable of the verifier ranks below what the controller resolved.
    environ = {RUN_CONTEXT_VAR: context.to_json(), "SYNTHCHECK_LOAD_PROFILE": "soak"}
    load = context_from_environ(environ)
    assert load.env.name == "staging"
    assert (load.flags.profile, load.flags.users) == ("smoke", 3)
    assert load.env.budgets.p95_ms == 400
    assert load.results_path == tmp_path / "results.json"
    assert load.redactor.redact(f"key={KEY}") == "key=[REDACTED:FRED_API_KEY]"


def test_a_locust_run_by_hand_reads_the_harness_variables(tmp_path: Path) -> None:
    environ = {
        "SYNTHCHECK_ENV": str(ROOT / "environments" / "staging.toml"),
        "SYNTHCHECK_LOAD_PROFILE": "spike",
        "SYNTHCHECK_LOAD_RESULTS": str(tmp_path / "r.json"),
    }
    load = context_from_environ(environ)
    assert load.flags.profile == "spike"
    assert load.results_path == tmp_path / "r.json"
    defaults = context_from_environ({"SYNTHCHECK_ENV": environ["SYNTHCHECK_ENV"]})
    assert defaults.results_path == Path("reports/load/results.json")


# -- through pytest: workerinput and the ini level -----------------------------------
CHECK = """
import json, os
import pytest
from synthcheck.catalog import Category
from synthcheck.verdicts import CheckResult


@pytest.mark.postdeploy
@pytest.mark.category("health")
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_sees(run, verdict, n):
    seen = {
        "base_url": run.base_url,
        "context": run.context.base_url,
        "fred": run.env.fred_base_url,
        "log": bool(run.environ.get("SYNTHCHECK_REFERENCE_LOG")),
        "inherited": os.environ.get("SYNTHCHECK_BASE_URL"),
        "worker": os.environ.get("PYTEST_XDIST_WORKER"),
        "embedded": run.embedded,
    }
    verdict(CheckResult.passed(Category.HEALTH, "seen", observed=json.dumps(seen)))
"""


@pytest.fixture
def checks(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    for name in list(os.environ):
        if name.startswith(("SYNTHCHECK_", "PYTEST_")) or name == "FRED_BASE_URL":
            monkeypatch.delenv(name)
    for name, value in TEST_KEYS.items():
        monkeypatch.setenv(name, value)
    pytester.makeconftest('pytest_plugins = ["synthcheck.pytest_plugin"]\n')
    pytester.makepyfile(test_checks=CHECK)
    return pytester


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        f"--env-dir={ROOT / 'environments'}",
        f"--reports-dir={pytester.path / 'reports'}",
        "--history=off",
        *args,
    )


def _seen(pytester: pytest.Pytester) -> list[dict[str, Any]]:
    summary = json.loads((pytester.path / "reports" / "summary.json").read_text())
    return [json.loads(c["observed"]) for c in summary["checks"] if c["id"].startswith("checks.")]


def test_xdist_workers_verify_the_embedded_service_through_workerinput(
    checks: pytest.Pytester,
) -> None:
    result = _run(checks, "--env=local", "-n", "2")
    assert result.ret == 0, result.stdout.str()
    seen = _seen(checks)
    assert len(seen) == 4
    assert {s["worker"] for s in seen} == {"gw0", "gw1"}
    [base_url] = {s["base_url"] for s in seen}
    assert base_url.startswith("http://127.0.0.1:")
    for s in seen:
        assert s["context"] == base_url
        assert s["embedded"] is True
        assert s["log"] is True
        assert s["fred"].startswith("http://127.0.0.1:")  # its stub, never the real FRED
        assert s["inherited"] is None  # nothing passed through the environment


def test_the_ini_key_ranks_below_the_variable_and_the_flag(
    checks: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks.makeini("[pytest]\nsynthcheck_base_url = http://127.0.0.1:9\n")
    assert _run(checks, "--env=staging").ret == 0
    assert {s["base_url"] for s in _seen(checks)} == {"http://127.0.0.1:9"}
    monkeypatch.setenv("SYNTHCHECK_BASE_URL", "http://127.0.0.1:8")
    assert _run(checks, "--env=staging").ret == 0
    assert {s["base_url"] for s in _seen(checks)} == {"http://127.0.0.1:8"}
    assert _run(checks, "--env=staging", "--base-url=http://127.0.0.1:7").ret == 0
    assert {s["base_url"] for s in _seen(checks)} == {"http://127.0.0.1:7"}
    checks.makeini("[pytest]\nsynthcheck_suite = canery\n")
    result = _run(checks, "--env=staging")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "ini synthcheck_suite: 'canery' is not a suite" in result.stderr.str()


def test_the_locust_child_gets_one_variable_and_rebuilds_the_same_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthcheck.config import load_environment
    from synthcheck.config.options import resolve_settings
    from synthcheck.load.loadrun import _child_environ, _workload
    from synthcheck.load.results import LoadPaths
    from synthcheck.plan import build_plan
    from synthcheck.secrets import KnownSecrets
    from synthcheck.session import VerificationRun

    monkeypatch.setenv("SYNTHCHECK_LOAD_USERS", "7")  # the verifier's shell
    monkeypatch.setenv("SYNTHCHECK_SUITE", "load")
    cli = {
        "env": "staging",
        "env_dir": str(ROOT / "environments"),
        "load_profile": "smoke",
        "budget": ["p95_ms=450"],
        "reports_dir": str(tmp_path / "reports"),
    }
    settings = resolve_settings(cli.get, ROOT)
    env = load_environment("staging", ROOT / "environments")
    run = VerificationRun(
        settings=settings,
        env=env,
        plan=build_plan(env, "postdeploy"),
        secrets=KnownSecrets(),
        context=RunContext(keys={"FRED_API_KEY": KEY}),
    )
    paths = LoadPaths.under(run.reports_dir)
    child = _child_environ(run, _workload(run), paths)
    assert [k for k in child if k.startswith("SYNTHCHECK_")] == [RUN_CONTEXT_VAR]
    load = context_from_environ(child)
    assert (load.flags.profile, load.flags.users) == ("smoke", 7)
    assert load.env.budgets.p95_ms == 450
    assert load.results_path == paths.results.resolve()
    assert load.redactor.redact(KEY) == "[REDACTED:FRED_API_KEY]"
