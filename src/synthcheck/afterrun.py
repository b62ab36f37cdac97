"""What happens after the checks: history, alert windows, notifications, incident, metrics.

Around the one frozen summary (see :mod:`synthcheck.endofrun` for the order):

1. before it is frozen, :func:`evaluate_history` reads the target's history and decides
   the alert states this run would bring (read only); the firing alerts become
   ``alert.<rule>`` checks of the run, so the exit code and ``summary.json`` report them;
2. :func:`draft_after_run` renders the incident draft and the metrics in memory;
3. :func:`publish` stores the frozen run and its alert transitions (one transaction),
   notifies about the transitions it stored, writes ``incident.md`` and the metrics.

Nothing here may hang or crash a run: every step is bounded, and a failure becomes a
warning line and a ``history.store`` warning in the summary.

Why one module past ~300 lines (just): these three steps share the after-run settings,
the history outcome and the error handling that turns a failing store into a warning;
the rules, the store, the notifiers, the incident and the metrics live in their own
packages, so what is left here is the order of the steps.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from synthcheck.alerts import AlertRule, configured_rules, decide, lookback_s
from synthcheck.catalog import Category, Severity
from synthcheck.config import Environment
from synthcheck.config.clock import CLOCK_ENV_VAR, run_clock
from synthcheck.config.precedence import Resolved, variable
from synthcheck.history import (
    AlertState,
    RunRecord,
    Transition,
    open_store,
    resolve_location,
    run_record_from_summary,
)
from synthcheck.incident import IncidentFacts, render_incident
from synthcheck.notify import Delivery, WebhookSettings, send_transitions
from synthcheck.prometheus import push_metrics, render_metrics, write_textfile
from synthcheck.runbook import find_runbook, read_runbook
from synthcheck.secrets import Redactor
from synthcheck.verdicts import CheckResult

__all__ = [
    "CLOCK_ENV_VAR",
    "AfterRunSettings",
    "Drafts",
    "HistoryOutcome",
    "after_run_settings",
    "commit_history",
    "draft_after_run",
    "evaluate_history",
    "publish",
    "version_of",
]

# Stamps the run with this epoch time in the history, so a sequence of runs can be
# replayed (or simulated in tests) against the alert windows without waiting.


@dataclass(frozen=True)
class AfterRunSettings:
    history: str | None  # SQLite path or postgresql:// URL; None turns history off
    rules: Sequence[AlertRule]
    webhook: WebhookSettings
    runbook_link: Callable[[str], str]
    incident_path: Path
    metrics_textfile: Path | None = None
    pushgateway_url: str | None = None
    runbook_file: Path | None = None
    clock: float | None = None  # stamp the run with this time (replays and tests)


@dataclass
class HistoryOutcome:
    run_id: int | None = None
    transitions: list[Transition] = field(default_factory=list)
    firing: list[AlertState] = field(default_factory=list)
    history: list[RunRecord] = field(default_factory=list)
    last_passing: tuple[str, float] | None = None
    version: str | None = None
    error: str = ""

    def results(self, rules: Sequence[AlertRule]) -> list[CheckResult]:
        """Firing alerts as checks of this run; a broken store as a warning.

        An alert whose condition holds through failed checks fails the run (exit 1)
        under the category of the check that failed; one that holds only through a
        figure over its threshold while the checks merely warn (rate-limit usage
        between 80 and 100 %, say) is listed as a warning.
        """
        by_name = {r.name: r for r in rules}
        this_run = self.history[0].checks if self.history else ()
        results = []
        for alert in self.firing:
            rule = by_name.get(alert.rule)
            categories = rule.categories if rule else ()
            related = [c for c in this_run if c.category in categories]
            failing = [c for c in related if c.bad]
            category = (failing or related)[0] if (failing or related) else None
            since = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(alert.since or 0))
            make = CheckResult.failed if failing else CheckResult.warned
            results.append(
                make(
                    Category(category.category if category else categories[0]),
                    f"alert {alert.rule} firing since {since}: {alert.detail}",
                    id=f"alert.{alert.rule}",
                    budget=rule.description if rule else "",
                    observed=alert.detail,
                    runbook=alert.runbook,
                    severity=Severity(alert.severity),
                    metrics={"since": alert.since, "window_s": rule.window_s if rule else None},
                )
            )
        if self.error:
            results.append(
                CheckResult.warned(
                    Category.CONFIG,
                    f"run history unavailable, alert windows not evaluated: {self.error}",
                    id="history.store",
                    budget="the history store accepts the run",
                    observed=self.error,
                )
            )
        return results

    def alerts_json(self) -> list[dict[str, Any]]:
        changed = {t.after.rule: t.after.state for t in self.transitions}
        return [
            {
                "rule": a.rule,
                "state": a.state,
                "severity": a.severity,
                "runbook": a.runbook,
                "since": a.since,
                "detail": a.detail,
                "new": a.rule in changed,
            }
            for a in self.firing
        ]


def after_run_settings(
    env: Environment,
    history: Resolved,
    reports_dir: Path,
    environ: Mapping[str, str] | None = None,
) -> AfterRunSettings:
    """Settings from the environment file, the resolved history location (see
    ``Settings.history_setting``) and the variables the file names."""
    environ = os.environ if environ is None else environ
    clock = run_clock(environ)
    textfile = env.metrics.textfile
    return AfterRunSettings(
        history=resolve_location(str(history.value)),
        rules=configured_rules(env.alerts),
        webhook=WebhookSettings(
            url=variable(environ, env.notify.webhook_url_env),
            timeout_s=env.notify.timeout_s,
            retries=env.notify.retries,
            budget_s=env.notify.budget_s,
        ),
        runbook_link=env.runbook_link,
        incident_path=reports_dir / "incident.md",
        metrics_textfile=(reports_dir / textfile) if textfile else None,
        pushgateway_url=variable(environ, env.metrics.pushgateway_url_env),
        runbook_file=find_runbook(env.runbook_url, env.source.parent.parent, env.source.parent),
        clock=clock,
    )


def version_of(summary: Mapping[str, Any]) -> str | None:
    """The service version the health endpoint reported during the run."""
    for check in summary.get("checks", []):
        version = (check.get("metrics") or {}).get("version")
        if isinstance(version, str) and version:
            return version
    return None


def evaluate_history(record: RunRecord, settings: AfterRunSettings) -> HistoryOutcome:
    """Alert evaluation of ``record`` on top of its target's history: read only.

    Part of gathering the run's result (the firing alerts become ``alert.<rule>``
    checks); the run itself is stored later, from the frozen summary, by
    :func:`publish`, which decides the transitions again under the store's lock.
    """
    outcome = HistoryOutcome(version=record.version)
    if not settings.history:
        return outcome
    rules = list(settings.rules)
    decide_now = partial(decide, rules)

    try:
        with open_store(settings.history) as store:
            states, outcome.transitions, recent = store.peek(
                record, decide_now, lookback_s=lookback_s(rules)
            )
            outcome.firing = sorted(
                (s for s in states if s.firing), key=lambda s: (s.severity, s.rule)
            )
            outcome.history = recent[:50]
            stored = store.last_passing_version(record.env, record.target)
    except Exception as exc:  # a broken store must not take the verdict down with it
        outcome.error = _error_text(exc)
        return outcome
    if record.outcome == "passed" and record.version:
        outcome.last_passing = (record.version, record.started_at)
    else:
        outcome.last_passing = stored
    return outcome


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


@dataclass(frozen=True)
class Drafts:
    """What the after-run will write besides the summary views, rendered in memory so the
    end of the run can scan it before anything is published."""

    incident: str | None  # None: no incident (a stale draft is removed)
    metrics: str


def draft_after_run(
    summary: Mapping[str, Any], outcome: HistoryOutcome, settings: AfterRunSettings
) -> Drafts:
    incident = None
    if summary["outcome"] == "failed" or outcome.firing:
        facts = IncidentFacts(
            summary=summary,
            history=outcome.history,
            firing=outcome.firing,
            last_passing=outcome.last_passing,
            current_version=outcome.version,
            runbook=read_runbook(settings.runbook_file) if settings.runbook_file else {},
            runbook_link=settings.runbook_link("").rstrip("#"),
        )
        incident = render_incident(facts)
    return Drafts(incident, render_metrics(summary, outcome.firing))


def commit_history(
    summary: Mapping[str, Any], version: str | None, settings: AfterRunSettings
) -> tuple[list[Transition], str]:
    """Store the frozen run and its alert transitions in one transaction: (transitions,
    error). Exactly one runner sees a given transition, so only it notifies."""
    if not settings.history:
        return [], ""
    record = run_record_from_summary(summary, version=version, started_at=settings.clock)
    rules = list(settings.rules)
    decide_now = partial(decide, rules)

    try:
        with open_store(settings.history) as store:
            _, transitions = store.record_and_decide(
                record, decide_now, lookback_s=lookback_s(rules)
            )
    except Exception as exc:
        return [], _error_text(exc)
    return transitions, ""


def publish(
    summary: Mapping[str, Any],
    outcome: HistoryOutcome,
    drafts: Drafts,
    settings: AfterRunSettings,
    redactor: Redactor,
) -> list[str]:
    """History, notifications, incident draft, metrics, from the frozen summary;
    returns lines for the terminal."""
    lines: list[str] = []
    transitions, error = commit_history(summary, outcome.version, settings)
    if error:
        lines.append(f"history: NOT stored ({redactor.redact(error)})")
    deliveries: list[Delivery] = send_transitions(
        transitions,
        settings.webhook,
        env=str(summary["env"]),
        base_url=str(summary["base_url"]),
        redactor=redactor,
        runbook_link=settings.runbook_link,
    )
    for d in deliveries:
        status = "sent" if d.delivered else f"NOT delivered ({d.error}, {d.attempts} attempts)"
        lines.append(f"notification {d.rule} {d.state}: {status}")
    if drafts.incident is not None:
        settings.incident_path.parent.mkdir(parents=True, exist_ok=True)
        settings.incident_path.write_text(redactor.redact(drafts.incident), encoding="utf-8")
        lines.append(f"incident draft: {settings.incident_path}")
    else:
        settings.incident_path.unlink(missing_ok=True)
    metrics = redactor.redact(drafts.metrics)
    if settings.metrics_textfile is not None:
        write_textfile(settings.metrics_textfile, metrics)
        lines.append(f"metrics: {settings.metrics_textfile}")
    if settings.pushgateway_url:
        error = push_metrics(
            settings.pushgateway_url, metrics, job="synthcheck", env=str(summary["env"])
        )
        lines.append(f"pushgateway: {'pushed' if not error else 'NOT pushed (' + error + ')'}")
    return lines
