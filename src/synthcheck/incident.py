"""``reports/incident.md``: an incident report draft prefilled from the run and its history.

Written when a run fails or an alert fires, following the runbook's incident report
template (summary, detection, duration, impact, severity, timeline, immediate actions,
rollback), so the on-call engineer starts from facts instead of a blank page.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from synthcheck.history.records import AlertState, RunRecord
from synthcheck.runbook import RunbookSection

__all__ = [
    "DerivedIncident",
    "IncidentFacts",
    "derive_incident",
    "format_incident",
    "render_incident",
]

_SEVERITY_ORDER = {"P0": 0, "P1": 1, "P2": 2, "P3": 3}


@dataclass(frozen=True)
class IncidentFacts:
    summary: Mapping[str, Any]  # the run's summary.json (already redacted)
    history: Sequence[RunRecord]  # this environment's runs, newest first (this run included)
    firing: Sequence[AlertState]
    last_passing: tuple[str, float] | None  # (version, verified at)
    current_version: str | None
    runbook: Mapping[str, RunbookSection]
    runbook_link: str  # base link; "#anchor" is appended


def _utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min {secs} s"


def _first_failure(history: Sequence[RunRecord], check_ids: set[str]) -> float | None:
    """Start of the current streak of runs in which any of these checks failed."""
    start = None
    for run in history:  # newest first
        if any(c.bad and c.check_id in check_ids for c in run.checks):
            start = run.started_at
        else:
            break
    return start


@dataclass(frozen=True)
class DerivedIncident:
    """What the draft states, decided from the run and its history; no text yet."""

    env: str
    suite: str
    base_url: str
    now: float  # the run's start (the newest history entry), else the wall clock
    detected: float  # start of the failing streak, or the earliest firing alert
    severity: str  # the most severe of the failing checks and firing alerts
    title: str  # the failing categories, else the firing rules
    failing: tuple[Mapping[str, Any], ...]  # failed/error checks, most severe first
    firing: tuple[AlertState, ...]
    anchors: tuple[str, ...]  # runbook sections to act on, in order of appearance
    last_passing: tuple[str, float] | None  # (version, verified at)
    current_version: str | None
    timeline: tuple[RunRecord, ...]  # the last 12 runs, oldest first
    actions: Mapping[str, Sequence[str]]  # runbook anchor -> its immediate actions
    runbook_link: str

    @property
    def same_version_passed(self) -> bool:
        """The version under verification passed before: a rollback alone will not fix it."""
        return self.last_passing is not None and self.last_passing[0] == self.current_version


def _severity_rank(severity: str) -> int:
    return _SEVERITY_ORDER.get(severity, 9)


def derive_incident(facts: IncidentFacts) -> DerivedIncident:
    summary = facts.summary
    failing = [c for c in summary.get("checks", []) if c["outcome"] in ("failed", "error")]
    severities = [c["severity"] for c in failing] + [a.severity for a in facts.firing]
    now = facts.history[0].started_at if facts.history else time.time()
    detected = _first_failure(facts.history, {c["id"] for c in failing})
    if facts.firing:
        detected = min([detected or now, *[a.since or now for a in facts.firing]])
    anchors = dict.fromkeys([c["runbook"] for c in failing] + [a.runbook for a in facts.firing])
    title = ", ".join(sorted({c["category"] for c in failing})) or ", ".join(
        a.rule for a in facts.firing
    )
    return DerivedIncident(
        env=summary["env"],
        suite=summary["suite"],
        base_url=summary["base_url"],
        now=now,
        detected=detected or now,
        severity=min(severities, key=_severity_rank, default="P3"),
        title=title,
        failing=tuple(sorted(failing, key=lambda c: (_severity_rank(c["severity"]), c["id"]))),
        firing=tuple(facts.firing),
        anchors=tuple(anchors),
        last_passing=facts.last_passing,
        current_version=facts.current_version,
        timeline=tuple(reversed(facts.history[:12])),
        actions={
            anchor: section.immediate_actions
            for anchor in anchors
            if (section := facts.runbook.get(anchor)) is not None
        },
        runbook_link=facts.runbook_link,
    )


def _rollback(incident: DerivedIncident) -> str:
    if incident.last_passing is None:
        return "no passing version in history: roll back to the previous release by hand"
    version, at = incident.last_passing
    if incident.same_version_passed:
        return (
            f"not by itself: `{version}` is the version under verification and passed"
            f" at {_utc(at)}; look at configuration, load and dependencies first"
        )
    return f"**yes**: roll back to `{version}` (last passed verification {_utc(at)})"


def _header(incident: DerivedIncident) -> list[str]:
    i = incident
    return [
        f"# Incident report (draft): {i.title} on {i.env}",
        "",
        f"_Drafted by synthcheck at {_utc(i.now)} from run `{i.suite}` against "
        f"{i.base_url}. Sections marked TODO need a human._",
        "",
        "| field | value |",
        "|---|---|",
        f"| Severity | {i.severity} |",
        "| Status | Investigating |",
        f"| Environment | {i.env} ({i.base_url}) |",
        f"| Detected | {_utc(i.detected)} (first failing run in history) |",
        f"| Duration so far | {_duration(i.now - i.detected)} |",
        f"| Version under verification | {i.current_version or 'unknown'} |",
        f"| Rollback | {_rollback(i)} |",
        "",
        "## Summary",
        "",
        f"{len(i.failing)} check(s) failing"
        + (f" and {len(i.firing)} alert(s) firing" if i.firing else "")
        + f" on {i.env}. TODO: one paragraph on what users see.",
    ]


def _impact(incident: DerivedIncident) -> list[str]:
    lines = ["", "## Impact", ""]
    if incident.failing:
        lines += [
            "| check | category | endpoint | severity | observed | budget |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| `{c['id']}` | {c['category']} | {c['endpoint'] or '-'} | {c['severity']}"
            f" | {c['observed']} | {c['budget']} |"
            for c in incident.failing
        ]
    if incident.firing:
        lines += ["", "Alerts firing:", ""]
        lines += [
            f"- **{a.rule}** ({a.severity}) since {_utc(a.since or incident.now)}: {a.detail}"
            for a in incident.firing
        ]
    return lines


def _timeline(incident: DerivedIncident) -> list[str]:
    lines = ["", "## Timeline (from the run history)", ""]
    for run in incident.timeline:
        bad = [c.check_id for c in run.checks if c.bad]
        note = f"{len(bad)} failing: " + ", ".join(bad[:3]) if bad else "all checks passed"
        version = f" version {run.version}" if run.version else ""
        lines.append(f"- {_utc(run.started_at)} {run.suite}{version}: {run.outcome} ({note})")
    return lines


def _immediate_actions(incident: DerivedIncident) -> list[str]:
    lines: list[str] = []
    for anchor in incident.anchors:
        lines += ["", f"## Immediate actions (runbook: {anchor})", ""]
        actions = incident.actions.get(anchor)
        if actions:
            lines += [f"{i}. {action}" for i, action in enumerate(actions, 1)]
        else:
            lines.append(f"See {incident.runbook_link}#{anchor}.")
    return lines


_TEMPLATE_TAIL = [
    "",
    "## Root cause",
    "",
    "TODO",
    "",
    "## Resolution",
    "",
    "TODO",
    "",
    "## Action items",
    "",
    "- [ ] TODO",
    "",
    "## Lessons learned",
    "",
    "TODO",
    "",
]


def format_incident(incident: DerivedIncident) -> str:
    """The runbook's incident template, filled with the derived facts."""
    return "\n".join(
        _header(incident)
        + _impact(incident)
        + _timeline(incident)
        + _immediate_actions(incident)
        + _TEMPLATE_TAIL
    )


def render_incident(facts: IncidentFacts) -> str:
    return format_incident(derive_incident(facts))
