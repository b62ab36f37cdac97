"""Decide each rule's state from the run history: fire after the window, resolve on clear.

Time is the runs' own timestamps, never the wall clock, so a sequence of runs can be
replayed (or simulated in tests) and gives the same decisions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from synthcheck.alerts.rules import AlertRule, TrendRule
from synthcheck.history.records import AlertState, RunRecord

__all__ = ["decide", "lookback_s"]


def lookback_s(rules: Sequence[AlertRule]) -> float:
    """How much history the decisions need: the longest window, with room for gaps."""
    longest = max((r.window_s for r in rules), default=0.0)
    return max(3600.0, longest * 3)


def _streak(rule: AlertRule, runs: Sequence[RunRecord]) -> tuple[list[RunRecord], str]:
    """The newest runs, newest first, in which the condition held without a break."""
    streak: list[RunRecord] = []
    detail = ""
    for run in runs:
        held, why = rule.condition(run)
        if not held:
            break
        streak.append(run)
        detail = detail or why
    return streak, detail


def decide(
    rules: Sequence[AlertRule],
    runs: Sequence[RunRecord],
    current: Mapping[str, AlertState],
) -> list[AlertState]:
    """New state for every rule, given runs newest first (the newest is "now")."""
    if not runs:
        return []
    now = runs[0].started_at
    env, target = runs[0].env, runs[0].target
    states: list[AlertState] = []
    for rule in rules:
        previous = current.get(rule.name)
        was_firing = previous is not None and previous.firing
        held_since: float | None
        if isinstance(rule, TrendRule):
            # The window is inside the trend: it holds now, or it does not.
            held, detail = rule.trend(runs)
            streak, held_since, long_enough = runs[:1] if held else [], now, held
        else:
            streak, detail = _streak(rule, runs)
            held_since = streak[-1].started_at if streak else None
            long_enough = (
                held_since is not None
                and len(streak) >= rule.min_runs
                and now - held_since >= rule.window_s
            )
        # Once firing, an alert stays firing while the condition holds: it resolves
        # when a run shows it cleared, not when the window slides.
        if long_enough or (was_firing and streak):
            since = held_since
            if was_firing and previous is not None and previous.since is not None:
                since = previous.since
            state = AlertState(
                env, rule.name, "firing", since, now, rule.severity, rule.runbook, detail, target
            )
        elif previous is None:
            continue  # never fired: nothing to remember
        else:
            cleared_at = now if was_firing else previous.since
            state = AlertState(
                env, rule.name, "ok", cleared_at, now, rule.severity, rule.runbook, "", target
            )
        states.append(state)
    return states
