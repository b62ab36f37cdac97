"""The memory-leak trend rule on simulated clocks: runs carry their own timestamps."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from synthcheck.alerts import MEMORY_TREND, configured_rules, decide
from synthcheck.alerts.trend import sen_lower_bound
from synthcheck.history import AlertState, RunRecord
from tests.support.runs import T0, check, run


def replay(runs: Sequence[RunRecord]) -> list[str]:
    seen: list[RunRecord] = []
    current: dict[str, AlertState] = {}
    states = []
    for r in runs:
        seen.insert(0, r)
        for state in decide([MEMORY_TREND], seen, current):
            current[state.rule] = state
        states.append(current[MEMORY_TREND.name].state if MEMORY_TREND.name in current else "-")
    return states


def every_minute(values: Sequence[float], key: str = "memory_percent") -> list[RunRecord]:
    return [run(T0 + i * 60, check("memory", **{key: v})) for i, v in enumerate(values)]


def test_sen_bound_of_a_clean_line_is_its_slope() -> None:
    slope, lower = sen_lower_bound([(float(x), 2.0 * x + 1) for x in range(10)], 0.99)
    assert slope == pytest.approx(2.0)
    assert lower == pytest.approx(2.0)


def test_sen_bound_is_unknown_with_too_few_points() -> None:
    _, lower = sen_lower_bound([(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)], 0.99)
    assert lower == float("-inf")


@pytest.mark.parametrize("seed", range(20))
def test_a_flat_noisy_series_never_fires(seed: int) -> None:
    rng = random.Random(seed)
    values = [50 + rng.gauss(0, 4) for _ in range(120)]  # two hours of canary runs, ±4 %
    assert set(replay(every_minute(values))) == {"-"}


def test_a_gc_sawtooth_does_not_fire() -> None:
    values = [40 + (i % 5) * 3 for i in range(90)]  # grows 12 % then collects, forever
    assert set(replay(every_minute(values))) == {"-"}


def test_steady_growth_fires_once_after_enough_runs() -> None:
    rng = random.Random(7)
    values = [30 + 0.5 * i + rng.gauss(0, 0.5) for i in range(40)]  # +0.5 %/min, a leak
    states = replay(every_minute(values))
    first = states.index("firing")
    assert first >= MEMORY_TREND.min_runs - 1  # never before there are enough runs
    assert first <= 15  # within the 15-minute window's worth of runs
    assert all(s == "firing" for s in states[first:])  # fires once and stays firing


def test_growth_then_plateau_resolves() -> None:
    values = [30 + i for i in range(20)] + [50.0] * 30
    states = replay(every_minute(values))
    assert "firing" in states
    assert states[-1] == "ok"


def test_used_bytes_are_preferred_to_the_percent() -> None:
    runs = [
        run(T0 + i * 60, check("memory", memory_used_bytes=1e8 + i * 5e6, memory_percent=50.0))
        for i in range(16)
    ]
    assert replay(runs)[-1] == "firing"


def test_small_growth_below_the_threshold_does_not_fire() -> None:
    values = [50 + 0.01 * i for i in range(60)]  # 0.15 % per 15 minutes: not a leak
    assert set(replay(every_minute(values))) == {"-"}


def test_the_rule_is_tunable_and_can_be_switched_off() -> None:
    names = {r.name for r in configured_rules()}
    assert "memory_trend" in names
    rules = configured_rules({"memory_trend": {"enabled": False}})
    assert "memory_trend" not in {r.name for r in rules}
    (tuned,) = [
        r for r in configured_rules({"memory_trend": {"min_runs": 10}}) if r.name == "memory_trend"
    ]
    assert tuned.min_runs == 10
