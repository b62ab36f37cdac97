"""Where a load run's P95, P99, failure ratio and throughput are decided.

Pure functions over per-endpoint figures, run in the locust process when the run
ends (its log lines and exit code) and read back by the checks. Each endpoint is
held to its own budgets once it has ``min_requests`` requests (fewer make a
percentile noise); all requests together are always held to the overall budgets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = [
    "OVERALL",
    "THRESHOLD_NAMES",
    "RowBudget",
    "RowStats",
    "ThresholdOutcome",
    "Thresholds",
    "broken",
    "evaluate",
]

OVERALL = "all requests"
THRESHOLD_NAMES = ("failure_ratio", "p95", "p99", "min_rps")
State = Literal["ok", "broken", "not_judged"]


@dataclass(frozen=True)
class RowStats:
    """One row of locust's statistics: an endpoint (``GET /api/fred-data``) or all requests."""

    key: str
    requests: int
    failures: int
    median_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    avg_ms: float | None
    rps: float
    # Requests cut off by the client's timeout (recorded by locust as the time until
    # the cut-off ``cutoff_ms``): a percentile that falls among them is only "≥ cutoff".
    timeouts: int = 0
    cutoff_ms: float | None = None

    @property
    def failure_ratio(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    def censored(self, fraction: float) -> bool:
        """Whether the ``fraction`` percentile (nearest rank) is a timed-out request."""
        if not self.timeouts or not self.requests:
            return False
        return math.ceil(fraction * self.requests - 1e-9) > self.requests - self.timeouts

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RowStats:
        return cls(**data)


@dataclass(frozen=True)
class RowBudget:
    error_rate: float
    p95_ms: float
    p99_ms: float


@dataclass(frozen=True)
class Thresholds:
    overall: RowBudget
    rows: Mapping[str, RowBudget]
    min_rps: float | None = None
    min_requests: int = 20


@dataclass(frozen=True)
class ThresholdOutcome:
    threshold: str  # one of THRESHOLD_NAMES
    scope: str  # "GET /api/fred-data" or OVERALL
    state: State
    observed: float | None
    budget: float
    requests: int
    failures: int = 0
    censored: bool = False  # observed is the timeout cut-off: the percentile is ≥ it
    timeouts: int = 0

    @property
    def line(self) -> str:
        """``THRESHOLD BROKEN p95: 1204 ms > budget 500 ms (GET /api/fred-data, n=812)``."""
        where = f"({self.scope}, n={self.requests})"
        if self.censored and self.observed is not None:
            return (
                f"THRESHOLD BROKEN {self.threshold}: ≥ {self.observed:.0f} ms"
                f" ({self.timeouts} of {self.requests} requests timed out) > budget"
                f" {self.budget:g} ms {where}"
            )
        if self.state == "not_judged":
            return (
                f"THRESHOLD NOT JUDGED {self.threshold}: too few requests to judge alone"
                f" {where}; counted in {OVERALL}"
            )
        if self.observed is None:
            return f"THRESHOLD BROKEN {self.threshold}: no requests were made {where}"
        state = "BROKEN" if self.state == "broken" else "OK"
        if self.threshold == "failure_ratio":
            op = ">" if self.state == "broken" else "<="
            return (
                f"THRESHOLD {state} failure_ratio: {self.observed:.1%} {op} budget"
                f" {self.budget:.1%} ({self.scope}, n={self.requests},"
                f" {self.failures} failed)"
            )
        if self.threshold == "min_rps":
            op = "<" if self.state == "broken" else ">="
            return (
                f"THRESHOLD {state} min_rps: {self.observed:.1f} req/s {op} budget"
                f" {self.budget:g} req/s {where}"
            )
        op = ">" if self.state == "broken" else "<="
        return (
            f"THRESHOLD {state} {self.threshold}: {self.observed:.0f} ms {op} budget"
            f" {self.budget:g} ms {where}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "line": self.line}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThresholdOutcome:
        return cls(**{k: v for k, v in data.items() if k != "line"})


def _judge(
    name: str, row: RowStats, observed: float | None, budget: float, *, low_is_bad: bool = False
) -> ThresholdOutcome:
    if observed is None:
        return ThresholdOutcome(name, row.key, "broken", None, budget, row.requests, row.failures)
    bad = observed < budget if low_is_bad else observed > budget
    state: State = "broken" if bad else "ok"
    return ThresholdOutcome(name, row.key, state, observed, budget, row.requests, row.failures)


# Below 1 / (1 - q) requests a q-percentile is just the slowest request: a P99 of 30
# requests would fail a run on one scheduling hiccup, so an endpoint needs this many.
MIN_FOR = {"failure_ratio": 0, "p95": 20, "p99": 100}


_FRACTION = {"p95": 0.95, "p99": 0.99}


def _censored(name: str, row: RowStats, limit: float) -> ThresholdOutcome | None:
    """A percentile among the timed-out requests, with a cut-off over its budget: broken,
    reported as "≥ cut-off" (never the cut-off as if it were a measurement)."""
    fraction = _FRACTION.get(name)
    if fraction is None or row.cutoff_ms is None or not row.censored(fraction):
        return None
    if row.cutoff_ms <= limit:
        return None  # "≥ cut-off" says nothing about a budget above it
    return ThresholdOutcome(
        name,
        row.key,
        "broken",
        row.cutoff_ms,
        limit,
        row.requests,
        row.failures,
        censored=True,
        timeouts=row.timeouts,
    )


def _row_outcomes(
    row: RowStats, budget: RowBudget, min_requests: int | None = None
) -> list[ThresholdOutcome]:
    """``min_requests`` None: all requests, always judged; else one endpoint on its own."""
    # No request at all is a broken run, never a vacuous pass: observed stays None.
    sent = row.requests > 0
    outcomes = []
    for name, observed, limit in (
        ("failure_ratio", row.failure_ratio, budget.error_rate),
        ("p95", row.p95_ms, budget.p95_ms),
        ("p99", row.p99_ms, budget.p99_ms),
    ):
        needed = 0 if min_requests is None else max(min_requests, MIN_FOR[name])
        cut = _censored(name, row, limit)
        if cut is not None:
            outcomes.append(cut)  # decided by the timeouts alone, however few requests
        elif sent and row.requests < needed:
            outcomes.append(
                ThresholdOutcome(name, row.key, "not_judged", None, limit, row.requests)
            )
        else:
            outcomes.append(_judge(name, row, observed if sent else None, limit))
    return outcomes


def evaluate(
    thresholds: Thresholds, rows: Sequence[RowStats], total: RowStats
) -> list[ThresholdOutcome]:
    """Every threshold for all requests, then for each endpoint with enough requests.

    All requests together are always judged; an endpoint on its own once it has
    ``min_requests`` requests, and for a percentile at least 1 / (1 - q) of them.
    """
    outcomes = _row_outcomes(total, thresholds.overall)
    if thresholds.min_rps is not None:
        outcomes.append(_judge("min_rps", total, total.rps, thresholds.min_rps, low_is_bad=True))
    for row in sorted(rows, key=lambda r: r.key):
        budget = thresholds.rows.get(row.key, thresholds.overall)
        outcomes += _row_outcomes(row, budget, thresholds.min_requests)
    return outcomes


def broken(outcomes: Sequence[ThresholdOutcome]) -> list[ThresholdOutcome]:
    return [o for o in outcomes if o.state == "broken"]
