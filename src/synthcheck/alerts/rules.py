"""Alert rules: the runbook's alerting thresholds, as conditions over stored runs.

A rule's condition looks at ONE run and says whether the bad thing held in it; the
window is applied across runs by :mod:`synthcheck.alerts.evaluate`. Defaults are the
runbook's: error rate > 5 % for 5 minutes, P95 > 1000 ms for 10 minutes, memory
> 80 % for 15 minutes, rate-limit usage > 80 %, any security event at once; and
memory continuously increasing (``memory_trend``: a trend across runs, TrendRule).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from synthcheck.alerts.trend import sen_lower_bound
from synthcheck.history.records import CheckRecord, RunRecord

__all__ = [
    "DEFAULT_RULES",
    "MEMORY_TREND",
    "AlertRule",
    "Condition",
    "TrendRule",
    "configured_rules",
]

# (held?, one-line detail for the notification and the incident draft)
Condition = Callable[[RunRecord], tuple[bool, str]]


@dataclass(frozen=True)
class AlertRule:
    name: str
    description: str
    categories: tuple[str, ...]
    window_s: float  # the condition must hold this long (across runs) before firing
    severity: str
    runbook: str
    threshold: float | None = None  # compared with the metric, when there is one
    metric_keys: tuple[str, ...] = ()  # first key found in a check's metrics is used
    min_runs: int = 1  # consecutive bad runs needed, whatever the window
    enabled: bool = True

    def condition(self, run: RunRecord) -> tuple[bool, str]:
        bad: list[str] = []
        for check in run.by_category(*self.categories):
            value = _metric(check, self.metric_keys)
            over = self.threshold is not None and value is not None and value > self.threshold
            if check.bad or over:
                bad.append(_describe(check, value, self.threshold))
        if not bad:
            return False, ""
        more = f" (+{len(bad) - 1} more)" if len(bad) > 1 else ""
        return True, bad[0] + more


def _metric(check: CheckRecord, keys: Iterable[str]) -> float | None:
    for key in keys:
        value = check.metrics.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def _describe(check: CheckRecord, value: float | None, threshold: float | None) -> str:
    where = check.endpoint or check.check_id
    if value is not None and threshold is not None:
        return f"{check.category} at {value:g} (threshold {threshold:g}) on {where}"
    return f"{check.check_id} {check.outcome}: {check.message}"


DEFAULT_RULES: tuple[AlertRule, ...] = (
    AlertRule(
        "application_down",
        "availability or health checks failing (two runs in a row)",
        ("availability", "health", "readiness", "liveness"),
        window_s=0,
        min_runs=2,
        severity="P0",
        runbook="application-down",
    ),
    AlertRule(
        "error_rate",
        "error rate > 5 % for 5 minutes",
        ("error_rate",),
        window_s=300,
        threshold=0.05,
        metric_keys=("error_rate",),
        severity="P1",
        runbook="api-error-spike",
    ),
    AlertRule(
        "latency_p95",
        "P95 > 1000 ms for 10 minutes",
        ("latency",),
        window_s=600,
        threshold=1000.0,
        metric_keys=("p95_ms",),
        severity="P2",
        runbook="slow-response-times",
    ),
    AlertRule(
        "memory",
        "memory > 80 % for 15 minutes",
        ("memory",),
        window_s=900,
        threshold=80.0,
        metric_keys=("memory_percent",),
        severity="P1",
        runbook="memory-leak",
    ),
    AlertRule(
        "rate_limit",
        "API rate-limit usage > 80 %",
        ("rate_limit",),
        window_s=0,
        threshold=0.8,
        metric_keys=("usage", "usage_ratio"),
        severity="P2",
        runbook="api-error-spike",
    ),
    AlertRule(
        "upstream",
        "FRED upstream failing for 5 minutes",
        ("upstream",),
        window_s=300,
        severity="P1",
        runbook="api-error-spike",
    ),
    AlertRule(
        "security",
        "any security event, at once",
        ("key_leak", "info_disclosure", "tls"),
        window_s=0,
        severity="P0",
        runbook="api-key-exposure",
    ),
)


def _number(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else None


@dataclass(frozen=True)
class TrendRule(AlertRule):
    """Runbook "memory usage continuously increasing": a trend across the window's runs.

    One run cannot say "growing". This rule takes the runs inside its window and
    holds when the metric grows with confidence: the lower bound (``confidence``,
    one-sided) of the Theil-Sen slope, times the window, is at least ``threshold``
    (a fraction) of the typical level. A flat series, however noisy, has a lower
    bound at or below zero; a steady leak crosses it after ``min_runs`` runs.
    """

    confidence: float = 0.99

    def _value(self, run: RunRecord) -> float | None:
        checks = run.by_category(*self.categories)
        for key in self.metric_keys:  # the first key any check records, for every check
            values = [v for c in checks if (v := _number(c.metrics.get(key))) is not None]
            if values:
                return max(values)
        return None

    def points(self, runs: Sequence[RunRecord]) -> list[tuple[float, float]]:
        """(time, metric) of the runs inside the window, oldest first (runs: newest first)."""
        now = runs[0].started_at if runs else 0.0
        inside = [r for r in runs if now - r.started_at <= self.window_s]
        found = [(r.started_at, v) for r in inside if (v := self._value(r)) is not None]
        return found[::-1]

    def trend(self, runs: Sequence[RunRecord]) -> tuple[bool, str]:
        points = self.points(runs)
        if len(points) < self.min_runs or points[-1][0] - points[0][0] < self.window_s / 2:
            return False, ""
        slope, lower = sen_lower_bound(points, self.confidence)
        level = statistics.median(y for _, y in points)
        if lower <= 0 or level <= 0 or lower * self.window_s < (self.threshold or 0.0) * level:
            return False, ""
        return True, (
            f"memory growing over {self.window_s / 60:g} min: {slope * 60:+.3g}/min"
            f" (at least {lower * 60:+.3g}/min at {self.confidence:.0%}) across"
            f" {len(points)} runs, typical level {level:.4g}"
        )


# Used memory when the memory check records it, else its utilization percent
# (proportional to used memory under a fixed limit).
MEMORY_TREND = TrendRule(
    "memory_trend",
    "memory usage continuously increasing over 15 minutes (growth >= 5 % at 99 %)",
    ("memory",),
    window_s=900,
    threshold=0.05,
    metric_keys=("memory_used_bytes", "memory_used_mb", "memory_used", "memory_percent"),
    min_runs=6,
    severity="P1",
    runbook="memory-leak",
)

_TUNABLE = {"window_s", "threshold", "min_runs", "enabled", "severity"}


def configured_rules(overrides: Mapping[str, Mapping[str, Any]] | None = None) -> list[AlertRule]:
    """The default rules with an environment's ``[alerts.<rule>]`` values applied."""
    overrides = overrides or {}
    rules = []
    for rule in (*DEFAULT_RULES, MEMORY_TREND):
        changes = {k: v for k, v in overrides.get(rule.name, {}).items() if k in _TUNABLE}
        rules.append(replace(rule, **changes) if changes else rule)
    return [r for r in rules if r.enabled]
