"""The facts a status page shows, derived from stored runs (no rendering here).

Uptime is counted in runs, as Upptime and Gatus do: of the runs in a window that
judged a family (or an endpoint), the share in which none of its checks failed. A
warning is up; a skipped check says nothing. Incidents are the harness's own alert
rules replayed over the runs in time order, so the page shows exactly the alerts the
canary fired and resolved, with the version to roll back to (the newest passing
version before the incident began).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from synthcheck.alerts import AlertRule, decide
from synthcheck.history.records import AlertState, CheckRecord, RunRecord

__all__ = ["WINDOWS", "Incident", "Point", "StatusData", "Uptime", "build_status"]

WINDOWS: tuple[tuple[str, float], ...] = (
    ("24h", 86_400.0),
    ("7d", 7 * 86_400.0),
    ("30d", 30 * 86_400.0),
    ("90d", 90 * 86_400.0),
)
# The families whose failure means "the application is down" (runbook application-down).
SERVICE_FAMILIES = ("availability", "health", "readiness", "liveness")
_MAX_POINTS = 240  # per trend line: enough for a chart, small enough for the page


@dataclass(frozen=True)
class Uptime:
    label: str
    ratios: dict[str, float | None]  # window -> share of runs up (None: no run judged it)
    runs: dict[str, int]  # window -> runs that judged it


@dataclass(frozen=True)
class Point:
    at: float
    value: float


@dataclass(frozen=True)
class Incident:
    rule: str
    severity: str
    runbook: str
    fired_at: float
    resolved_at: float | None
    detail: str
    rollback_target: str | None


@dataclass(frozen=True)
class StatusData:
    env: str
    base_url: str
    generated_at: float
    latest_outcome: str
    latest_at: float
    latest_version: str | None
    latest_failing: tuple[str, ...]
    overall: Uptime
    families: tuple[Uptime, ...]
    endpoints: tuple[Uptime, ...]
    p95_ms: dict[str, list[Point]] = field(default_factory=dict)
    error_rate: dict[str, list[Point]] = field(default_factory=dict)
    incidents: tuple[Incident, ...] = ()
    runs_total: int = 0


def _uptime(label: str, runs: Sequence[RunRecord], pick: _Pick, now: float) -> Uptime:
    ratios: dict[str, float | None] = {}
    counts: dict[str, int] = {}
    for name, span in WINDOWS:
        judged = up = 0
        for run in runs:
            if run.started_at < now - span or run.started_at > now:
                continue
            checks = [c for c in run.checks if pick.matches(c) and c.outcome != "skipped"]
            if not checks:
                continue
            judged += 1
            up += not any(c.bad for c in checks)
        ratios[name] = up / judged if judged else None
        counts[name] = judged
    return Uptime(label, ratios, counts)


@dataclass(frozen=True)
class _Pick:
    families: tuple[str, ...] = ()
    endpoint: str | None = None

    def matches(self, check: CheckRecord) -> bool:
        if self.families and check.category not in self.families:
            return False
        return self.endpoint is None or check.endpoint == self.endpoint


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _trend(
    runs: Sequence[RunRecord], category: tuple[str, ...], key: str
) -> dict[str, list[Point]]:
    lines: dict[str, list[Point]] = {}
    for run in runs:
        for check in run.checks:
            value = _number(check.metrics.get(key))
            if value is None or check.category not in category or not check.endpoint:
                continue
            lines.setdefault(check.endpoint, []).append(Point(run.started_at, value))
    return {name: _thin(points) for name, points in sorted(lines.items())}


def _thin(points: list[Point]) -> list[Point]:
    """At most _MAX_POINTS, keeping each bucket's worst value (a spike must stay visible)."""
    if len(points) <= _MAX_POINTS:
        return points
    size = -(-len(points) // _MAX_POINTS)
    return [max(points[i : i + size], key=lambda p: p.value) for i in range(0, len(points), size)]


class _NewestFirst(Sequence[RunRecord]):
    """The runs up to index ``last`` of a time-ordered list, newest first, without a copy."""

    def __init__(self, ordered: Sequence[RunRecord], last: int) -> None:
        self._ordered, self._last = ordered, last

    def __len__(self) -> int:
        return self._last + 1

    def __getitem__(self, index: int) -> RunRecord:  # type: ignore[override]
        if index < 0 or index > self._last:
            raise IndexError(index)
        return self._ordered[self._last - index]

    def __iter__(self) -> Iterator[RunRecord]:
        return (self._ordered[i] for i in range(self._last, -1, -1))


def _rollback_target(ordered: Sequence[RunRecord], before: float) -> str | None:
    for run in reversed(ordered):
        if run.started_at < before and run.outcome == "passed" and run.version:
            return run.version
    return None


def _incidents(ordered: Sequence[RunRecord], rules: Sequence[AlertRule]) -> list[Incident]:
    current: dict[str, AlertState] = {}
    open_: dict[str, Incident] = {}
    done: list[Incident] = []
    for index in range(len(ordered)):
        for state in decide(rules, _NewestFirst(ordered, index), current):
            before = current.get(state.rule)
            current[state.rule] = state
            was_firing = before is not None and before.firing
            if state.firing and not was_firing:
                fired = state.since if state.since is not None else state.changed_at
                open_[state.rule] = Incident(
                    state.rule,
                    state.severity,
                    state.runbook,
                    fired,
                    None,
                    state.detail,
                    _rollback_target(ordered, fired),
                )
            elif not state.firing and was_firing and state.rule in open_:
                started = open_.pop(state.rule)
                done.append(
                    Incident(
                        started.rule,
                        started.severity,
                        started.runbook,
                        started.fired_at,
                        state.changed_at,
                        started.detail,
                        started.rollback_target,
                    )
                )
    return sorted([*done, *open_.values()], key=lambda i: -i.fired_at)


def build_status(
    runs: Sequence[RunRecord], rules: Sequence[AlertRule], *, now: float
) -> StatusData:
    """Everything the page shows, for the runs of one environment (any order)."""
    if not runs:
        raise ValueError("no runs to build a status page from")
    ordered = sorted(runs, key=lambda r: (r.started_at, r.id or 0))
    latest = ordered[-1]
    families = sorted({c.category for r in ordered for c in r.checks})
    endpoints = sorted({c.endpoint for r in ordered for c in r.checks if c.endpoint})
    return StatusData(
        env=latest.env,
        base_url=latest.base_url,
        generated_at=now,
        latest_outcome=latest.outcome,
        latest_at=latest.started_at,
        latest_version=latest.version,
        latest_failing=tuple(c.check_id for c in latest.failing()),
        overall=_uptime("service", ordered, _Pick(SERVICE_FAMILIES), now),
        families=tuple(_uptime(f, ordered, _Pick((f,)), now) for f in families),
        endpoints=tuple(_uptime(e, ordered, _Pick(endpoint=e), now) for e in endpoints),
        p95_ms=_trend(ordered, ("latency", "liveness"), "p95_ms"),
        error_rate=_trend(ordered, ("error_rate",), "error_rate"),
        incidents=tuple(_incidents(ordered, rules)),
        runs_total=len(ordered),
    )
