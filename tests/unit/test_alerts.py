"""Alert windows on simulated clocks: runs carry their own timestamps, nothing sleeps."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from synthcheck.alerts import DEFAULT_RULES, AlertRule, configured_rules, decide
from synthcheck.history import AlertState, RunRecord
from tests.support.runs import T0, check, run

RULES = {r.name: r for r in DEFAULT_RULES}


def replay(rule: AlertRule, runs: Sequence[RunRecord]) -> list[str]:
    """Feed runs one by one (oldest first) as a canary would; the state after each run."""
    seen: list[RunRecord] = []
    current: dict[str, AlertState] = {}
    states = []
    for r in runs:
        seen.insert(0, r)
        for state in decide([rule], seen, current):
            current[state.rule] = state
        states.append(current.get(rule.name).state if rule.name in current else "-")
    return states


def every_5_min(*checks_per_run: Sequence) -> list[RunRecord]:
    return [run(T0 + i * 300, *cs) for i, cs in enumerate(checks_per_run)]


OK = [check("error_rate", error_rate=0.01)]
BAD = [check("error_rate", "failed", error_rate=0.08)]


def test_error_rate_fires_only_after_its_5_minute_window() -> None:
    # Runs every 5 minutes: bad at 5 and 10 min -> the streak is 5 minutes old at 10 min.
    states = replay(RULES["error_rate"], every_5_min(OK, BAD, BAD, BAD, OK, OK))
    assert states == ["-", "-", "firing", "firing", "ok", "ok"]


def test_a_single_bad_run_inside_the_window_never_fires() -> None:
    assert replay(RULES["error_rate"], every_5_min(OK, BAD, OK, BAD, OK)) == ["-"] * 5


def test_window_counts_time_not_runs() -> None:
    # A canary every minute needs 6 bad runs (0..5 min) for the 5-minute window.
    runs = [run(T0 + i * 60, *BAD) for i in range(7)]
    assert replay(RULES["error_rate"], runs) == ["-"] * 5 + ["firing", "firing"]


def test_latency_uses_the_p95_metric_against_the_critical_line() -> None:
    slow = [check("latency", "failed", p95_ms=1300.0)]
    over_budget_only = [check("latency", "warned", p95_ms=700.0)]
    rule = RULES["latency_p95"]
    assert rule.condition(run(T0, *slow))[0]
    assert "1300" in rule.condition(run(T0, *slow))[1]
    runs = [run(T0 + i * 300, *slow) for i in range(4)]
    assert replay(rule, runs) == ["-", "-", "firing", "firing"]
    # A failed latency check below the critical line still counts as bad (check failed).
    assert rule.condition(run(T0, check("latency", "failed", p95_ms=700.0)))[0]
    assert not rule.condition(run(T0, *over_budget_only))[0]


def test_memory_window_is_15_minutes() -> None:
    high = [check("memory", "failed", memory_percent=92.0)]
    runs = [run(T0 + i * 300, *high) for i in range(5)]
    assert replay(RULES["memory"], runs) == ["-", "-", "-", "firing", "firing"]


def test_security_and_rate_limit_fire_at_once() -> None:
    assert replay(RULES["security"], [run(T0, check("key_leak", "failed"))]) == ["firing"]
    warned = check("rate_limit", "warned", usage=0.9)
    assert replay(RULES["rate_limit"], [run(T0, warned)]) == ["firing"]
    assert replay(RULES["rate_limit"], [run(T0, check("rate_limit", usage=0.5))]) == ["-"]


def test_application_down_needs_two_bad_runs() -> None:
    down = [check("availability", "failed")]
    assert replay(RULES["application_down"], every_5_min(down, down, [])) == ["-", "firing", "ok"]


def test_firing_state_keeps_its_start_time() -> None:
    rule = RULES["error_rate"]
    seen: list[RunRecord] = []
    current: dict[str, AlertState] = {}
    for r in every_5_min(BAD, BAD, BAD, BAD):
        seen.insert(0, r)
        for state in decide([rule], seen, current):
            current[state.rule] = state
    assert current["error_rate"].since == T0
    assert current["error_rate"].changed_at == T0 + 900
    assert "0.08" in current["error_rate"].detail


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"error_rate": {"window_s": 0}}, ["-", "firing", "firing", "firing", "ok", "ok"]),
        ({"error_rate": {"enabled": False}}, None),
    ],
)
def test_rules_are_configurable(overrides: dict, expected: list[str] | None) -> None:
    rules = {r.name: r for r in configured_rules(overrides)}
    if expected is None:
        assert "error_rate" not in rules
        return
    assert replay(rules["error_rate"], every_5_min(OK, BAD, BAD, BAD, OK, OK)) == expected


def test_metric_threshold_counts_even_when_the_check_passed() -> None:
    # A canary with few samples may not be able to fail the check yet; the figure counts.
    rule = RULES["error_rate"]
    assert rule.condition(run(T0, check("error_rate", "warned", error_rate=0.07)))[0]
    assert not rule.condition(run(T0, check("error_rate", "passed", error_rate=0.02)))[0]


def test_threshold_is_configurable() -> None:
    unsure = [check("error_rate", "warned", error_rate=0.08)]  # inconclusive check, 8 %
    default = {r.name: r for r in configured_rules({"error_rate": {"window_s": 0}})}
    raised = {
        r.name: r for r in configured_rules({"error_rate": {"window_s": 0, "threshold": 0.1}})
    }
    runs = every_5_min(OK, unsure, OK)
    assert replay(default["error_rate"], runs) == ["-", "firing", "ok"]
    assert replay(raised["error_rate"], runs) == ["-", "-", "-"]
