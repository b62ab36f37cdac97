"""``reports/incident.md``: an incident report draft prefilled from the run and its history.

Written when a run fails or an alert fires, following the runbook's incident report
template (summary, detection, duration, impact, severity, timeline, immediate actions,
rollback), so the on-call engineer starts from facts instead of a blank page.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synthcheck.history.records import AlertState, RunRecord
from synthcheck.runbook import RunbookSection

__all__ = ["IncidentFacts", "render_incident", "write_incident"]

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


def render_incident(facts: IncidentFacts) -> str:
    summary = facts.summary
    failing = [c for c in summary.get("checks", []) if c["outcome"] in ("failed", "error")]
    severities = [c["severity"] for c in failing] + [a.severity for a in facts.firing]
    severity = min(severities, key=lambda s: _SEVERITY_ORDER.get(s, 9), default="P3")
    now = facts.history[0].started_at if facts.history else time.time()
    detected = _first_failure(facts.history, {c["id"] for c in failing})
    if facts.firing:
        detected = min([detected or now, *[a.since or now for a in facts.firing]])
    detected = detected or now
    anchors = list(
        dict.fromkeys([c["runbook"] for c in failing] + [a.runbook for a in facts.firing])
    )
    title = ", ".join(sorted({c["category"] for c in failing})) or ", ".join(
        a.rule for a in facts.firing
    )
    rollback = "no passing version in history: roll back to the previous release by hand"
    if facts.last_passing:
        version, at = facts.last_passing
        rollback = f"**yes**: roll back to `{version}` (last passed verification {_utc(at)})"
        if version == facts.current_version:
            # The same release passed before: a rollback alone will not fix this.
            rollback = (
                f"not by itself: `{version}` is the version under verification and passed"
                f" at {_utc(at)}; look at configuration, load and dependencies first"
            )
    lines = [
        f"# Incident report (draft): {title} on {summary['env']}",
        "",
        f"_Drafted by synthcheck at {_utc(now)} from run `{summary['suite']}` against "
        f"{summary['base_url']}. Sections marked TODO need a human._",
        "",
        "| field | value |",
        "|---|---|",
        f"| Severity | {severity} |",
        "| Status | Investigating |",
        f"| Environment | {summary['env']} ({summary['base_url']}) |",
        f"| Detected | {_utc(detected)} (first failing run in history) |",
        f"| Duration so far | {_duration(now - detected)} |",
        f"| Version under verification | {facts.current_version or 'unknown'} |",
        f"| Rollback | {rollback} |",
        "",
        "## Summary",
        "",
        f"{len(failing)} check(s) failing"
        + (f" and {len(facts.firing)} alert(s) firing" if facts.firing else "")
        + f" on {summary['env']}. TODO: one paragraph on what users see.",
        "",
        "## Impact",
        "",
    ]
    if failing:
        lines += [
            "| check | category | endpoint | severity | observed | budget |",
            "|---|---|---|---|---|---|",
        ]
        for c in sorted(failing, key=lambda c: (_SEVERITY_ORDER.get(c["severity"], 9), c["id"])):
            lines.append(
                f"| `{c['id']}` | {c['category']} | {c['endpoint'] or '-'} | {c['severity']}"
                f" | {c['observed']} | {c['budget']} |"
            )
    if facts.firing:
        lines += ["", "Alerts firing:", ""]
        lines += [
            f"- **{a.rule}** ({a.severity}) since {_utc(a.since or now)}: {a.detail}"
            for a in facts.firing
        ]
    lines += ["", "## Timeline (from the run history)", ""]
    for run in list(reversed(facts.history[:12])):
        bad = [c.check_id for c in run.checks if c.bad]
        note = f"{len(bad)} failing: " + ", ".join(bad[:3]) if bad else "all checks passed"
        version = f" version {run.version}" if run.version else ""
        lines.append(f"- {_utc(run.started_at)} {run.suite}{version}: {run.outcome} ({note})")
    for anchor in anchors:
        section = facts.runbook.get(anchor)
        lines += ["", f"## Immediate actions (runbook: {anchor})", ""]
        actions = section.immediate_actions if section else []
        if actions:
            lines += [f"{i}. {action}" for i, action in enumerate(actions, 1)]
        else:
            lines.append(f"See {facts.runbook_link}#{anchor}.")
    lines += [
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
    return "\n".join(lines)


def write_incident(path: Path, facts: IncidentFacts) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_incident(facts), encoding="utf-8")
    return path
