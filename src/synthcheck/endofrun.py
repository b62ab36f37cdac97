"""The end of a run, one way through: gather, freeze once, publish once.

1. **Gather** every result: the checks' verdicts; the self-scan of what pytest and
   Allure already wrote under the reports directory (JUnit keeps captured output);
   the output guard's findings (``synthcheck verify`` / ``deploy-verify.sh``); the
   alert evaluation of the run on top of its target's history (read only).
2. **Freeze**: the summary is built once (:class:`~synthcheck.reporting.FrozenSummary`).
3. **Render in memory and scan**: summary.json/HTML/Markdown, the Allure extras, the
   incident draft, the metrics and the terminal summary. A known secret in any of them
   (a redaction that missed) joins the results as a failed ``reports.self_scan`` and
   the run is gathered and frozen again: the one way a second summary is built, and
   nothing of the first is ever written.
4. **Publish** from the frozen summary: the history (the run and its alert
   transitions, one transaction), the report files, notifications, incident, metrics.

A run whose reports or output held a secret is therefore failed in the summary, the
history (never a rollback target or a baseline), the metrics, and has an incident draft.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from synthcheck.afterrun import (
    AfterRunSettings,
    Drafts,
    HistoryOutcome,
    draft_after_run,
    evaluate_history,
    publish,
    version_of,
)
from synthcheck.catalog import Category
from synthcheck.history import run_record_from_summary
from synthcheck.reporting import RunInfo, scan_reports
from synthcheck.reporting.frozen import FrozenSummary, freeze
from synthcheck.reporting.summary import run_outcome
from synthcheck.reporting.views import render_views, write_texts
from synthcheck.secrets import Redactor
from synthcheck.verdicts import CheckResult

__all__ = ["Finished", "RunFacts", "finish_run"]

REPORTS_SELF_SCAN = "reports.self_scan"


@dataclass(frozen=True)
class RunFacts:
    """What the plugin knows of a finished run."""

    info: RunInfo  # env, base_url, suite, start and end
    target: str  # the history key of what was verified (history.records.target_key)
    results: tuple[CheckResult, ...]  # the checks' verdicts (redacted)
    reports_dir: Path
    allure_dir: Path | None = None
    history_label: str | None = None  # the history's location, password masked
    output_leak: CheckResult | None = None  # the output guard's finding, if any


@dataclass(frozen=True)
class Finished:
    summary: FrozenSummary
    terminal: str  # the terminal summary (rendered and scanned with the reports)
    after_lines: tuple[str, ...]  # what publishing did: notifications, incident, metrics


@dataclass(frozen=True)
class _Prepared:
    summary: FrozenSummary
    history: HistoryOutcome
    views: dict[Path, str]
    drafts: Drafts
    terminal: str

    def texts(self) -> dict[str, str]:
        named = {str(path): text for path, text in self.views.items()}
        named["incident draft"] = self.drafts.incident or ""
        named["metrics"] = self.drafts.metrics
        named["terminal summary"] = self.terminal
        return named


def _reports_leak(places: Sequence[str]) -> CheckResult:
    return CheckResult.failed(
        Category.KEY_LEAK,
        "a known secret reached the harness's own reports; treat it as exposed and rotate it",
        id=REPORTS_SELF_SCAN,
        budget="no known secret in any file under the reports directory",
        observed=f"found in {', '.join(sorted(set(places)))}",
        details=sorted(set(places)),
    )


def _record_input(facts: RunFacts, results: Sequence[CheckResult]) -> dict[str, Any]:
    """The run as the history will store it, before its summary exists (for the alert
    evaluation): the same fields ``summary.json`` gives the store."""
    return {
        "env": facts.info.env,
        "suite": facts.info.suite,
        "base_url": facts.info.base_url,
        "target": facts.target,
        "duration_s": round(facts.info.finished_at - facts.info.started_at, 3),
        "outcome": run_outcome(results),
        "checks": [r.to_dict() for r in results],
    }


def _prepare(
    facts: RunFacts,
    results: Sequence[CheckResult],
    after: AfterRunSettings,
    redactor: Redactor,
    render_terminal: Callable[[FrozenSummary], str],
) -> _Prepared:
    checks = list(results)
    draft = _record_input(facts, checks)
    record = run_record_from_summary(
        redactor.redact_obj(draft),  # type: ignore[arg-type]
        version=version_of(draft),
        started_at=after.clock if after.clock is not None else facts.info.started_at,
    )
    history = evaluate_history(record, after)
    info = replace(
        facts.info,
        extra={
            "target": facts.target,
            "alerts": history.alerts_json(),
            "history": {
                "location": facts.history_label,
                "target": facts.target,
                "version": history.version,
                "last_passing_version": history.last_passing[0] if history.last_passing else None,
                "error": history.error or None,
            },
        },
    )
    summary = freeze(info, [*checks, *history.results(after.rules)], redactor)
    data = summary.data()
    return _Prepared(
        summary,
        history,
        render_views(facts.reports_dir, summary, facts.allure_dir),
        draft_after_run(data, history, after),
        render_terminal(summary),
    )


def _leaked_texts(prepared: _Prepared, redactor: Redactor) -> list[str]:
    return [name for name, text in prepared.texts().items() if text and redactor.hits(text)]


def finish_run(
    facts: RunFacts,
    after: AfterRunSettings,
    redactor: Redactor,
    render_terminal: Callable[[FrozenSummary], str],
) -> Finished:
    """Gather, freeze, scan, publish: the whole end of a run (controller only)."""
    results = list(facts.results)
    # What pytest and Allure wrote already (JUnit keeps captured output, Allure its
    # attachments), and what the output guard saw of stdout/stderr.
    on_disk = [str(leak.path) for leak in scan_reports(facts.reports_dir, redactor)]
    if on_disk:
        results.append(_reports_leak(on_disk))
    if facts.output_leak is not None:
        results.append(facts.output_leak)
    prepared = _prepare(facts, results, after, redactor, render_terminal)
    leaked = _leaked_texts(prepared, redactor)
    if leaked:
        results = [r for r in results if r.id != REPORTS_SELF_SCAN]
        results.append(_reports_leak([*on_disk, *leaked]))
        prepared = _prepare(facts, results, after, redactor, render_terminal)
    # Publish: every text through the redactor once more, so the spans the scan found
    # are written masked. The report files first: they exist even if a slow webhook
    # or Pushgateway takes its whole (bounded) time.
    write_texts({path: redactor.redact(text) for path, text in prepared.views.items()})
    data = prepared.summary.data()
    lines = publish(data, prepared.history, _masked(prepared.drafts, redactor), after, redactor)
    return Finished(prepared.summary, redactor.redact(prepared.terminal), tuple(lines))


def _masked(drafts: Drafts, redactor: Redactor) -> Drafts:
    incident = redactor.redact(drafts.incident) if drafts.incident is not None else None
    return Drafts(incident, redactor.redact(drafts.metrics))
