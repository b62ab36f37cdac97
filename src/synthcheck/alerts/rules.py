"""Alert rules: the runbook's alerting thresholds, as conditions over stored runs.

A rule's condition looks at ONE run and says whether the bad thing held in it; the
window is applied across runs by :mod:`synthcheck.alerts.evaluate`. Defaults are the
runbook's: error rate > 5 % for 5 minutes, P95 > 1000 ms for 10 minutes, memory
> 80 % for 15 minutes, rate-limit usage > 80 %, any security event at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from synthcheck.history.records import CheckRecord, RunRecord

__all__ = ["DEFAULT_RULES", "AlertRule", "Condition", "configured_rules"]

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

_TUNABLE = {"window_s", "threshold", "min_runs", "enabled", "severity"}


def configured_rules(overrides: Mapping[str, Mapping[str, Any]] | None = None) -> list[AlertRule]:
    """The default rules with an environment's ``[alerts.<rule>]`` values applied."""
    overrides = overrides or {}
    rules = []
    for rule in DEFAULT_RULES:
        changes = {k: v for k, v in overrides.get(rule.name, {}).items() if k in _TUNABLE}
        rules.append(replace(rule, **changes) if changes else rule)
    return [r for r in rules if r.enabled]
