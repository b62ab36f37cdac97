"""The end of a check and of the run: each check's result goes into its test report
(the one channel pytest-xdist forwards), and the controller's :class:`Reporter` gathers
them and hands them to :mod:`synthcheck.endofrun` after pytest's own output."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from synthcheck.afterrun import AfterRunSettings
from synthcheck.endofrun import Finished, RunFacts, finish_run
from synthcheck.plugin.state import RESULT_KEY, active_run, category_of, check_id, output_guard
from synthcheck.reporting import RunInfo, render_summary
from synthcheck.reporting.frozen import FrozenSummary
from synthcheck.session import VerificationRun
from synthcheck.verdicts import CheckResult, Outcome

PROPERTY = "synthcheck_result"


def _result_from_report(item: pytest.Item, report: pytest.TestReport) -> CheckResult | None:
    category = category_of(item)
    if category is None:
        return None
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else "skipped"
        return CheckResult.skipped(category, str(reason).removeprefix("Skipped: "))
    if report.failed:
        text = str(report.longreprtext).strip().splitlines()
        last = text[-1] if text else "the check raised an error"
        return CheckResult(category, Outcome.ERROR, f"check crashed: {last[:300]}")
    # A check that passes without recording a verdict asserted nothing: a defect.
    return CheckResult(category, Outcome.ERROR, "check recorded no verdict")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    run = active_run(item.config)
    if run is None or category_of(item) is None:
        return
    final = report.when == "call" or (report.when == "setup" and not report.passed)
    if not final:
        return
    result = item.stash.get(RESULT_KEY, None)
    if result is None or (report.failed and result.outcome != Outcome.FAILED):
        result = _result_from_report(item, report)
    if result is None:
        return
    result.id = result.id or check_id(item)
    payload = run.redactor.redact(json.dumps(result.to_dict()))
    report.user_properties.append((PROPERTY, payload))


class Reporter:
    """Registered on the controller only: gathers results and ends the run.

    Results arrive through test reports, the one channel pytest-xdist forwards from
    its workers, as redacted JSON. The end of the run (:func:`finish_run`) runs after
    everything pytest itself prints (its failure sections, short summary and final
    line), so the output guard has seen all of that when the summary is frozen.
    """

    def __init__(self, run: VerificationRun, after: AfterRunSettings) -> None:
        self.run = run
        self.after = after
        self.finished: Finished | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == PROPERTY:
                self.run.results.append(CheckResult.from_dict(json.loads(str(value))))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Iterator[None]:
        yield  # junitxml writes its file, the terminal reporter prints its end
        config = session.config
        run = self.run
        if session.exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED and not run.results:
            # A selection of no checks is a usage error (exit 2), not a verified run:
            # nothing is published, so no history record, incident draft, metrics or
            # notification says "failed" (or "passed") about a service nobody checked.
            return
        allure_dir = getattr(config.option, "allure_report_dir", None)
        guard = output_guard(config)
        facts = RunFacts(
            info=RunInfo(
                run.env.name, run.base_url, run.settings.suite, run.started_at, time.time()
            ),
            target=run.target,
            results=tuple(run.results),
            reports_dir=run.reports_dir,
            allure_dir=Path(allure_dir) if allure_dir else None,
            history_label=self.after.history and _mask_location(self.after.history),
            output_leak=guard.result() if guard is not None else None,
        )
        allure_text = allure_dir or "(allure off)"
        paths = f"{run.reports_dir / 'summary.json'}, {config.option.xmlpath}, {allure_text}"

        def terminal(summary: FrozenSummary) -> str:
            return render_summary(summary.data(), summary.results(), run.runbook_link, paths)

        self.finished = finish_run(facts, self.after, run.redactor, terminal)
        if self.finished.summary.failed and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        self._print(config, self.finished)

    @staticmethod
    def _print(config: pytest.Config, finished: Finished) -> None:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            return
        reporter.write_sep("=", "synthcheck summary")
        for line in [*finished.terminal.splitlines(), *finished.after_lines]:
            markup: dict[str, bool] = {}
            if line.startswith(("FAILED", "RESULT: FAILED")):
                markup = {"red": True, "bold": True}
            elif line.startswith("WARNINGS"):
                markup = {"yellow": True}
            elif line.startswith("RESULT: PASSED"):
                markup = {"green": True, "bold": True}
            reporter.write_line(line, **markup)


def _mask_location(location: str) -> str:
    """A PostgreSQL URL may carry a password: never put it in a report."""
    from synthcheck.history.postgres import mask_url

    return mask_url(location)
