"""What happens after the checks: history, alert windows, notifications, incident, metrics.

Two steps around the final summary:

1. :func:`record_run` appends the run to the history and decides alert states in the
   same transaction; the firing alerts become ``alert.<rule>`` checks of the run, so the
   exit code and ``summary.json`` report them like any other failure.
2. :func:`publish` sends webhook notifications for alert transitions, writes
   ``incident.md`` when the run failed or an alert fires, and exports Prometheus metrics.

Nothing here may hang or crash a run: every step is bounded, and a failure becomes a
warning line and a ``history.store`` warning in the summary.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synthcheck.alerts import AlertRule, configured_rules, decide, lookback_s
from synthcheck.catalog import Category, Severity
from synthcheck.config import ConfigError, Environment
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
    "HistoryOutcome",
    "after_run_settings",
    "publish",
    "record_run",
    "version_of",
]

# Stamps the run with this epoch time in the history, so a sequence of runs can be
# replayed (or simulated in tests) against the alert windows without waiting.
CLOCK_ENV_VAR = "SYNTHCHECK_CLOCK"


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
    history_option: str | None,
    reports_dir: Path,
    environ: Mapping[str, str] | None = None,
) -> AfterRunSettings:
    """Settings from the environment file, the ``--history`` option and the variables."""
    environ = os.environ if environ is None else environ
    clock_text = environ.get(CLOCK_ENV_VAR, "").strip()
    try:
        clock = float(clock_text) if clock_text else None
    except ValueError:
        raise ConfigError(
            f"${CLOCK_ENV_VAR}", [f"{clock_text!r} is not a time in epoch seconds"]
        ) from None
    textfile = env.metrics.textfile
    return AfterRunSettings(
        history=resolve_location(history_option or env.history.location),
        rules=configured_rules(env.alerts),
        webhook=WebhookSettings(
            url=environ.get(env.notify.webhook_url_env, "").strip() or None,
            timeout_s=env.notify.timeout_s,
            retries=env.notify.retries,
            budget_s=env.notify.budget_s,
        ),
        runbook_link=env.runbook_link,
        incident_path=reports_dir / "incident.md",
        metrics_textfile=(reports_dir / textfile) if textfile else None,
        pushgateway_url=environ.get(env.metrics.pushgateway_url_env, "").strip() or None,
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


def record_run(summary: Mapping[str, Any], settings: AfterRunSettings) -> HistoryOutcome:
    outcome = HistoryOutcome(version=version_of(summary))
    if not settings.history:
        return outcome
    record = run_record_from_summary(summary, version=outcome.version, started_at=settings.clock)
    rules = list(settings.rules)

    def decide_now(
        runs: Sequence[RunRecord], current: Mapping[str, AlertState]
    ) -> Sequence[AlertState]:
        return decide(rules, runs, current)

    try:
        with open_store(settings.history) as store:
            outcome.run_id, outcome.transitions = store.record_and_decide(
                record, decide_now, lookback_s=lookback_s(rules)
            )
            states = store.alert_states(record.env)
            outcome.firing = sorted(
                (s for s in states.values() if s.firing), key=lambda s: (s.severity, s.rule)
            )
            outcome.history = store.runs(record.env, limit=50)
            outcome.last_passing = store.last_passing_version(record.env)
    except Exception as exc:  # a broken store must not take the verdict down with it
        outcome.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return outcome


def publish(
    summary: Mapping[str, Any],
    outcome: HistoryOutcome,
    settings: AfterRunSettings,
    redactor: Redactor,
) -> list[str]:
    """Notify, draft the incident, export metrics; returns lines for the terminal."""
    lines: list[str] = []
    deliveries: list[Delivery] = send_transitions(
        outcome.transitions,
        settings.webhook,
        env=str(summary["env"]),
        base_url=str(summary["base_url"]),
        redactor=redactor,
        runbook_link=settings.runbook_link,
    )
    for d in deliveries:
        status = "sent" if d.delivered else f"NOT delivered ({d.error}, {d.attempts} attempts)"
        lines.append(f"notification {d.rule} {d.state}: {status}")
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
        settings.incident_path.parent.mkdir(parents=True, exist_ok=True)
        settings.incident_path.write_text(redactor.redact(render_incident(facts)), encoding="utf-8")
        lines.append(f"incident draft: {settings.incident_path}")
    else:
        settings.incident_path.unlink(missing_ok=True)
    text = redactor.redact(render_metrics(summary, outcome.firing))
    if settings.metrics_textfile is not None:
        write_textfile(settings.metrics_textfile, text)
        lines.append(f"metrics: {settings.metrics_textfile}")
    if settings.pushgateway_url:
        error = push_metrics(
            settings.pushgateway_url, text, job="synthcheck", env=str(summary["env"])
        )
        lines.append(f"pushgateway: {'pushed' if not error else 'NOT pushed (' + error + ')'}")
    return lines
