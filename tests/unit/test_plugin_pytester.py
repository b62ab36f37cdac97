"""The pytest plugin itself, with pytester: activation, options and precedence, suite
selection, the report header, the verdict fixture, exit codes, and good manners in a
pytest run that is not a synthcheck run.

The check suites here are tiny and probe nothing (their target is a closed loopback
port), so every run takes well under a second in process.
"""

from __future__ import annotations

import pytest

from tests.support.harness import TEST_KEYS
from tests.support.plugin_suite import make_suite
from tests.support.plugin_suite import outcomes as _outcomes
from tests.support.plugin_suite import run_suite as _run
from tests.support.plugin_suite import summary as _summary

pytest_plugins = ["pytester"]


@pytest.fixture
def checks(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    return make_suite(pytester, monkeypatch)


# -- good manners -----------------------------------------------------------------
def test_an_unrelated_suite_sees_no_option_fixture_or_hook(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_plain="def test_plain(request):\n"
        "    assert 'verdict' not in request.fixturenames\n"
        "    assert not request.config.pluginmanager.has_plugin('synthcheck.pytest_plugin')\n"
    )
    help_text = pytester.runpytest("-p", "no:cacheprovider", "--help").stdout.str()
    assert "synthcheck" not in help_text
    assert "--env=" not in help_text
    assert "--suite=" not in help_text
    result = pytester.runpytest("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)
    assert "synthcheck" not in result.stdout.str()
    assert not (pytester.path / "reports").exists()
    unknown = pytester.runpytest("-p", "no:cacheprovider", "--env=staging")
    assert unknown.ret == pytest.ExitCode.USAGE_ERROR


def test_loading_the_plugin_registers_every_option_with_its_prefixed_name(
    checks: pytest.Pytester,
) -> None:
    from synthcheck.config.options import OPTIONS

    help_text = checks.runpytest("-p", "no:cacheprovider", "--help").stdout.str()
    for option in OPTIONS:
        assert f"--synthcheck-{option.flag[2:]}" in help_text, option.flag
        assert f"{option.flag}=" in help_text or option.switch, option.flag
    assert not (checks.path / "reports").exists()  # --help starts no run


# -- options, precedence, suites ---------------------------------------------------
def test_the_flag_beats_the_variable_beats_the_default(
    checks: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(checks).ret == 0
    default = _summary(checks)
    assert default["suite"] == "postdeploy"
    assert set(_outcomes(checks)) == {"checks.passes"}
    monkeypatch.setenv("SYNTHCHECK_SUITE", "canary")
    assert _run(checks).ret == 0
    assert _summary(checks)["suite"] == "canary"
    assert set(_outcomes(checks)) == {"checks.canary", "checks.forgets_its_verdict"}
    assert _run(checks, "--suite=postdeploy").ret == 0
    assert _summary(checks)["suite"] == "postdeploy"
    assert _run(checks, "--synthcheck-suite=all").ret == 0
    assert set(_outcomes(checks)) == {
        "checks.passes",
        "checks.canary",
        "checks.forgets_its_verdict",
    }


def test_a_bad_value_is_a_usage_error_that_names_its_source(
    checks: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(checks, "--suite=canery")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--suite" in result.stderr.str()
    assert "'canary'" in result.stderr.str()
    monkeypatch.setenv("SYNTHCHECK_SAMPLES", "many")
    result = _run(checks)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "$SYNTHCHECK_SAMPLES" in result.stderr.str()


def test_the_report_header_names_what_is_verified(checks: pytest.Pytester) -> None:
    result = _run(checks)
    result.stdout.fnmatch_lines(
        [
            "synthcheck: env=staging (*staging.toml) suite=postdeploy base_url=http://127.0.0.1:9",
            "synthcheck: * endpoints x * samples*secrets known: FRED_API_KEY*",
        ]
    )
    assert TEST_KEYS["FRED_API_KEY"] not in result.stdout.str()


# -- the verdict fixture and exit codes --------------------------------------------
def test_a_failed_verdict_fails_the_test_and_the_run(
    checks: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANT", "fail")
    result = _run(checks, "--suite=canary")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*availability (P0): no answer", "*budget:    answers"])
    summary = _summary(checks)
    assert (summary["outcome"], summary["rollback_recommended"]) == ("failed", True)
    assert _outcomes(checks) == {
        "checks.canary": "failed",
        "checks.forgets_its_verdict": "skipped",
    }
    result.stdout.fnmatch_lines(["*synthcheck summary*", "RESULT: FAILED: 1 failed*"])


def test_a_check_that_records_no_verdict_is_an_error(
    checks: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANT", "no-verdict")
    result = _run(checks, "--suite=canary")
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # the test passed; the run did not
    result.assert_outcomes(passed=2)
    check = next(c for c in _summary(checks)["checks"] if c["id"] == "checks.forgets_its_verdict")
    assert (check["outcome"], check["message"]) == ("error", "check recorded no verdict")


def test_a_key_in_junits_captured_output_fails_the_run_everywhere(
    checks: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANT", "print-key")
    result = _run(checks, "--suite=canary", "-o", "junit_logging=system-out")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    failing = {
        (c["id"], c["category"])
        for c in _summary(checks)["checks"]
        if c["outcome"] in ("failed", "error")
    }
    assert failing == {("reports.self_scan", "key_leak"), ("alert.security", "key_leak")}
    assert "junit.xml" in next(
        c["observed"] for c in _summary(checks)["checks"] if c["id"] == "reports.self_scan"
    )
    assert (checks.path / "reports" / "incident.md").is_file()
    from synthcheck.history import open_store

    with open_store(str(checks.path / "history.sqlite")) as store:
        [stored] = store.runs("staging", target="http://127.0.0.1:9")
    assert stored.outcome == "failed"
    assert TEST_KEYS["FRED_API_KEY"][:8] not in result.stdout.str()


def test_results_from_xdist_workers_reach_the_one_summary(
    checks: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANT", "fail")
    result = _run(checks, "--suite=all", "-n", "2")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert _outcomes(checks) == {
        "checks.passes": "passed",
        "checks.canary": "failed",
        "checks.forgets_its_verdict": "skipped",
    }
    from synthcheck.history import open_store

    with open_store(str(checks.path / "history.sqlite")) as store:
        [stored] = store.runs("staging", target="http://127.0.0.1:9")
    assert (stored.outcome, len(stored.checks)) == ("failed", 3)
