"""The plugin through its public surface, with pytester: the ini key's place in the
precedence (flag > variable > ini > default), the embedded service's URL and keys
reaching pytest-xdist workers, and the exit codes of ``synthcheck verify``.

tests/unit/test_plugin_pytester.py has the rest (good manners, flag > variable,
suites, the report header, the verdict fixture, xdist results). Settings are set the
way a user sets them (flags, variables, ini/pyproject keys), never through the
resolver's internals.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.harness import base_environ
from tests.support.inprocess import verify_inprocess
from tests.support.plugin_suite import make_suite, outcomes, run_suite, summary

pytest_plugins = ["pytester"]

CANARY = {"checks.canary", "checks.forgets_its_verdict"}
POSTDEPLOY = {"checks.passes"}


@pytest.fixture
def checks(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    return make_suite(pytester, monkeypatch)


# -- the ini key in the precedence -------------------------------------------------
def test_the_ini_key_beats_the_default_and_loses_to_the_variable_and_the_flag(
    checks: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks.makeini("[pytest]\nsynthcheck_suite = canary\n")
    assert run_suite(checks).ret == 0
    assert (summary(checks)["suite"], set(outcomes(checks))) == ("canary", CANARY)
    monkeypatch.setenv("SYNTHCHECK_SUITE", "postdeploy")
    assert run_suite(checks).ret == 0
    assert (summary(checks)["suite"], set(outcomes(checks))) == ("postdeploy", POSTDEPLOY)
    monkeypatch.delenv("SYNTHCHECK_SUITE")
    assert run_suite(checks, "--suite=postdeploy").ret == 0
    assert (summary(checks)["suite"], set(outcomes(checks))) == ("postdeploy", POSTDEPLOY)


def test_the_key_is_read_from_pyproject_too(checks: pytest.Pytester) -> None:
    checks.makepyprojecttoml('[tool.pytest.ini_options]\nsynthcheck_suite = "canary"\n')
    assert run_suite(checks).ret == 0
    assert set(outcomes(checks)) == CANARY


def test_a_bad_ini_value_is_a_usage_error_naming_the_key(checks: pytest.Pytester) -> None:
    checks.makeini("[pytest]\nsynthcheck_suite = canery\n")
    result = run_suite(checks)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "ini synthcheck_suite" in result.stderr.str()
    assert "'canary'" in result.stderr.str()  # did you mean
    assert not (checks.path / "reports" / "summary.json").exists()


# -- xdist transport ----------------------------------------------------------------
WHERE = """
import os
import pytest
from synthcheck.catalog import Category
from synthcheck.verdicts import CheckResult


@pytest.mark.postdeploy
@pytest.mark.category("availability")
@pytest.mark.parametrize("n", range(4))
def test_where(run, verdict, n):
    seen = f"{os.environ.get('PYTEST_XDIST_WORKER')} {run.base_url} {','.join(run.secrets.names())}"
    verdict(CheckResult.passed(Category.AVAILABILITY, "seen", observed=seen))
"""


def test_workers_verify_the_controllers_embedded_service_with_its_generated_keys(
    checks: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--env=local``: the controller starts the service on a free port and generates
    the keys it runs with; workers learn both through ``workerinput``, not variables."""
    monkeypatch.delenv("FRED_API_KEY")
    monkeypatch.delenv("ALPHA_VANTAGE_API_KEY")
    checks.makepyfile(test_checks=WHERE)
    result = run_suite(checks, "--env=local", "-n", "2", target=False)
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(
        # fnmatch: "[[]" is a literal "["
        ["synthcheck: env=local * base_url=http://127.0.0.1:* [[]embedded reference service]"]
    )
    data = summary(checks)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", data["base_url"]), data["base_url"]
    seen = [c["observed"] for c in data["checks"]]
    assert len(seen) == 4
    workers = {s.split()[0] for s in seen}
    assert workers <= {"gw0", "gw1"}
    assert all(s.split()[1] == data["base_url"] for s in seen), seen
    assert all(
        set(s.split()[2].split(",")) >= {"FRED_API_KEY", "ALPHA_VANTAGE_API_KEY"} for s in seen
    ), seen


# -- exit codes of `synthcheck verify` ---------------------------------------------
@pytest.mark.parametrize(
    ("plant", "args", "code", "said"),
    [
        ("", [], 0, "RESULT: PASSED"),
        ("fail", ["--suite=canary"], 1, "RESULT: FAILED"),
        ("", ["--suite=canery"], 2, "'canary'"),  # a bad flag value: did you mean
        ("", ["--env=nowhere"], 2, "nowhere"),  # an environment file that does not exist
        ("", ["--", "-k", "matches_nothing"], 2, "selects no checks"),  # an empty selection
    ],
    ids=["passed", "failed", "bad-flag", "no-env-file", "empty-selection"],
)
def test_verify_maps_the_run_onto_the_exit_code_contract(
    checks: pytest.Pytester, plant: str, args: list[str], code: int, said: str
) -> None:
    env_args = [] if any(a.startswith("--env=") for a in args) else ["--env=staging"]
    run = verify_inprocess(
        f"--checks-dir={checks.path}",
        f"--env-dir={Path(__file__).resolve().parents[2] / 'environments'}",
        *env_args,
        "--base-url=http://127.0.0.1:9",
        *args,
        reports=checks.path / "reports",
        environ=base_environ(PLANT=plant),
    )
    assert run.code == code, run.output
    assert said in (run.stdout if code != 2 else run.stderr), run.output
    if code != 2:
        assert summary(checks)["outcome"] == ("passed" if code == 0 else "failed")
    else:
        # A usage error verifies nothing, so it publishes nothing: no summary saying
        # "failed", no incident draft, no metrics, no rollback recommendation.
        published = {"summary.json", "incident.md", "synthcheck.prom"}
        assert not published & {p.name for p in (checks.path / "reports").glob("*")}
        assert "rollback recommended" not in run.output
