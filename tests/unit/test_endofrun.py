"""The end of a run, in process: gather, freeze once, publish once (synthcheck.endofrun).

Real history (SQLite), real reports, real redactor; the planted self-leaks are the
ways a secret reaches a run's own output: a file pytest wrote under reports/ (JUnit
keeps captured output), the output guard's finding, and a rendered text.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from synthcheck import cli
from synthcheck.afterrun import AfterRunSettings
from synthcheck.alerts import configured_rules
from synthcheck.catalog import Category
from synthcheck.endofrun import Finished, RunFacts, finish_run
from synthcheck.history import open_store
from synthcheck.notify import WebhookSettings
from synthcheck.reporting import RunInfo, render_summary
from synthcheck.reporting.frozen import FrozenSummary
from synthcheck.reporting.output_guard import OutputLeak, output_leak_result
from synthcheck.secrets import KnownSecrets, Redactor
from synthcheck.verdicts import CheckResult
from tests.support.harness import SUMMARY_SCHEMA, TEST_KEYS
from tests.support.runs import T0

KEY = TEST_KEYS["FRED_API_KEY"]
PROD = "https://fred.example.com"
THROWAWAY = "https://throwaway.example.net"
# A leaked key fires the runbook's security alert at once: the leak is gathered before
# the alert evaluation, so the alert sees it (it did not when the self-scan came last).
SECURITY_ALERT = ("alert.security", "key_leak")
REDACTOR = Redactor(KnownSecrets.from_environ(["FRED_API_KEY"], {"FRED_API_KEY": KEY}))


def _terminal(summary: FrozenSummary) -> str:
    return render_summary(summary.data(), summary.results(), lambda a: f"#{a}", "reports")


def _health(version: str) -> CheckResult:
    return CheckResult.passed(
        Category.HEALTH,
        "healthy",
        id="health.status[GET /api/health]",
        endpoint="GET /api/health",
        metrics={"version": version},
    )


def _down() -> CheckResult:
    return CheckResult.failed(
        Category.AVAILABILITY,
        "no answer",
        id="availability.reachable[GET /api/health]",
        budget="answers",
        observed="connection refused",
    )


def _finish(
    tmp_path: Path,
    at: float,
    *results: CheckResult,
    target: str = PROD,
    output_leak: CheckResult | None = None,
    render=_terminal,
    plant_junit: str | None = None,
) -> Finished:
    reports = tmp_path / f"reports-{int(at)}"
    reports.mkdir()
    if plant_junit is not None:
        (reports / "junit.xml").write_text(plant_junit)
    after = AfterRunSettings(
        history=str(tmp_path / "history.sqlite"),
        rules=configured_rules(),
        webhook=WebhookSettings(url=None),
        runbook_link=lambda anchor: f"docs/runbook.md#{anchor}",
        incident_path=reports / "incident.md",
        metrics_textfile=reports / "synthcheck.prom",
        clock=at,
    )
    facts = RunFacts(
        info=RunInfo("production", target, "canary", at, at + 2),
        target=target,
        results=tuple(results),
        reports_dir=reports,
        output_leak=output_leak,
    )
    return finish_run(facts, after, REDACTOR, render)


def _failing(finished: Finished) -> set[tuple[str, str]]:
    return {
        (c["id"], c["category"])
        for c in finished.summary.data()["checks"]
        if c["outcome"] in ("failed", "error")
    }


def _written(finished: Finished, tmp_path: Path, at: float) -> dict:
    reports = tmp_path / f"reports-{int(at)}"
    summary = json.loads((reports / "summary.json").read_text())
    jsonschema.validate(summary, SUMMARY_SCHEMA)
    assert summary == finished.summary.data()  # the file is the frozen summary
    return summary


def _stored(tmp_path: Path, target: str = PROD):
    with open_store(str(tmp_path / "history.sqlite")) as store:
        return store.runs("production", target=target), store.last_passing_version(
            "production", target
        )


def _assert_failed_everywhere(finished: Finished, tmp_path: Path, at: float) -> None:
    summary = _written(finished, tmp_path, at)
    assert summary["outcome"] == "failed"
    assert summary["rollback_recommended"] is True
    runs, last_passing = _stored(tmp_path)
    assert runs[0].outcome == "failed"
    assert runs[0].version == "2.0.0"
    assert last_passing == ("1.0.0", T0)  # the leaking run is never the rollback target
    reports = tmp_path / f"reports-{int(at)}"
    incident = (reports / "incident.md").read_text()
    assert "key_leak" in incident
    metrics = (reports / "synthcheck.prom").read_text()
    assert 'probe_success{env="production",suite="canary"} 0' in metrics
    for path in reports.rglob("*"):
        if path.name != "junit.xml":  # the planted file itself
            assert KEY[:8] not in path.read_text(), path


def test_a_secret_in_a_file_under_reports_fails_the_run_in_every_place(tmp_path: Path) -> None:
    first = _finish(tmp_path, T0, _health("1.0.0"))
    assert first.summary.outcome == "passed"
    planted = f"<testsuite><system-out>key {KEY}</system-out></testsuite>"
    finished = _finish(tmp_path, T0 + 60, _health("2.0.0"), plant_junit=planted)
    assert _failing(finished) == {("reports.self_scan", "key_leak"), SECURITY_ALERT}
    _assert_failed_everywhere(finished, tmp_path, T0 + 60)


def test_the_output_guards_finding_fails_the_run_in_every_place(tmp_path: Path) -> None:
    _finish(tmp_path, T0, _health("1.0.0"))
    leak = output_leak_result([OutputLeak("stdout", "FRED_API_KEY", "plain")])
    finished = _finish(tmp_path, T0 + 60, _health("2.0.0"), output_leak=leak)
    assert _failing(finished) == {("output.self_scan", "key_leak"), SECURITY_ALERT}
    _assert_failed_everywhere(finished, tmp_path, T0 + 60)
    out = _history_cli(tmp_path, "--runs")
    assert "rollback target of production @ https://fred.example.com: 1.0.0" in out
    assert "2.0.0 (passed" not in out


def test_a_secret_in_a_rendered_text_is_found_before_anything_is_written(tmp_path: Path) -> None:
    _finish(tmp_path, T0, _health("1.0.0"))

    def leaky(summary: FrozenSummary) -> str:
        return _terminal(summary) + f"\nplanted: {KEY}"

    finished = _finish(tmp_path, T0 + 60, _health("2.0.0"), render=leaky)
    assert _failing(finished) == {("reports.self_scan", "key_leak"), SECURITY_ALERT}
    check = next(c for c in finished.summary.data()["checks"] if c["id"] == "reports.self_scan")
    assert check["observed"] == "found in terminal summary"
    assert KEY[:8] not in finished.terminal  # printed masked
    _assert_failed_everywhere(finished, tmp_path, T0 + 60)


def test_a_clean_run_passes_and_writes_no_incident(tmp_path: Path) -> None:
    finished = _finish(tmp_path, T0, _health("1.0.0"))
    assert _failing(finished) == set()
    summary = _written(finished, tmp_path, T0)
    assert summary["target"] == PROD
    assert summary["history"]["last_passing_version"] == "1.0.0"
    assert not (tmp_path / f"reports-{int(T0)}" / "incident.md").exists()
    assert finished.after_lines == (f"metrics: {tmp_path / f'reports-{int(T0)}'}/synthcheck.prom",)


def _alerts(finished: Finished) -> list[str]:
    return [a["rule"] for a in finished.summary.data()["alerts"]]


def test_two_targets_under_one_environment_keep_separate_alert_windows(tmp_path: Path) -> None:
    # application_down fires on two failing runs in a row. Interleaved, production's
    # and a throwaway host's single failures would make two in a row; kept apart,
    # only production's own second failure fires it, and the throwaway host's passing
    # run does not resolve it.
    assert _alerts(_finish(tmp_path, T0, _down())) == []
    other = _finish(tmp_path, T0 + 30, _down(), target=THROWAWAY)
    assert _alerts(other) == []
    assert _failing(other) == {("availability.reachable[GET /api/health]", "availability")}
    fired = _finish(tmp_path, T0 + 60, _down())
    assert _alerts(fired) == ["application_down"]
    assert ("alert.application_down", "availability") in _failing(fired)
    healthy_other = _finish(tmp_path, T0 + 90, _health("9.9.9"), target=THROWAWAY)
    assert _alerts(healthy_other) == []
    assert healthy_other.summary.outcome == "passed"
    with open_store(str(tmp_path / "history.sqlite")) as store:
        assert store.alert_states("production", PROD)["application_down"].state == "firing"
        assert store.alert_states("production", THROWAWAY) == {}
        stored = store.runs("production", target=PROD)
        assert store.last_passing_version("production", PROD) is None
        assert store.last_passing_version("production", THROWAWAY) == ("9.9.9", T0 + 90)
    assert [r.outcome for r in stored] == ["failed", "failed"]
    # The firing alert is a check of the run, not a record that feeds its own window.
    assert all(not c.check_id.startswith("alert.") for r in stored for c in r.checks)


def _history_cli(tmp_path: Path, *args: str) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["history", f"--history={tmp_path / 'history.sqlite'}", *args])
    assert code == 0
    return out.getvalue()


def test_history_shows_which_target_each_run_verified(tmp_path: Path) -> None:
    _finish(tmp_path, T0, _health("1.0.0"))
    _finish(tmp_path, T0 + 30, _down(), target=THROWAWAY)
    out = _history_cli(tmp_path, "--runs")
    lines = out.splitlines()
    assert lines[1].split()[-1] == THROWAWAY
    assert lines[1].split()[4] == "failed"
    assert lines[2].split()[-1] == PROD
    assert lines[2].split()[4] == "passed"
    assert f"rollback target of production @ {THROWAWAY}: none (no passing run)" in out
    only = _history_cli(tmp_path, "--runs", f"--target={THROWAWAY}/")
    assert PROD not in only.replace(f"@ {PROD}", "")
    assert len(only.splitlines()) == 3  # header, one run, its rollback line


@pytest.mark.parametrize("text", ["https://FRED.example.com/", "https://fred.example.com"])
def test_target_keys_ignore_case_of_the_host_and_a_trailing_slash(text: str) -> None:
    from synthcheck.history.records import target_key

    assert target_key(text) == PROD
    assert target_key(text, embedded=True) == "embedded"
