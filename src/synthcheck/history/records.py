"""What the history keeps of a run: its verdict, its version, and each check's figures.

Built from the same data as ``summary.json`` (already redacted), so the history can
never hold more than the reports do.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from synthcheck.config.precedence import Layers, Setting, resolve

__all__ = ["AlertState", "CheckRecord", "RunRecord", "run_record_from_summary", "target_key"]

#: The target of a run against the embedded reference service: a new loopback port
#: every run, but always the same service, so its runs share one history.
EMBEDDED_TARGET = "embedded"
# Checks the after-run derives from the history itself (firing alerts, a broken store):
# stored, they would feed the alert windows their own conclusions.
DERIVED_CHECKS = ("alert.", "history.")


@dataclass(frozen=True)
class CheckRecord:
    check_id: str
    category: str
    outcome: str
    severity: str = "P3"
    endpoint: str | None = None
    runbook: str = ""
    message: str = ""
    metrics: Mapping[str, Any] = field(default_factory=dict)

    @property
    def bad(self) -> bool:
        return self.outcome in ("failed", "error")

    def metrics_json(self) -> str:
        return json.dumps(dict(self.metrics), sort_keys=True)


@dataclass(frozen=True)
class RunRecord:
    env: str
    suite: str
    base_url: str
    started_at: float  # epoch seconds
    duration_s: float
    outcome: str
    version: str | None = None
    runner: str = ""
    checks: tuple[CheckRecord, ...] = ()
    id: int | None = None
    # What the run verified (see :func:`target_key`): alert windows, the rollback
    # target and baselines are kept per (env, target), never across targets.
    target: str = ""

    def failing(self) -> list[CheckRecord]:
        return [c for c in self.checks if c.bad]

    def by_category(self, *categories: str) -> list[CheckRecord]:
        return [c for c in self.checks if c.category in categories]


@dataclass(frozen=True)
class AlertState:
    """The persisted state of one alert rule for one target of one environment."""

    env: str
    rule: str
    state: str  # "firing" | "ok"
    since: float | None  # when the condition started to hold (firing) / cleared (ok)
    changed_at: float
    severity: str = ""
    runbook: str = ""
    detail: str = ""
    target: str = ""

    @property
    def firing(self) -> bool:
        return self.state == "firing"


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def default_runner() -> str:
    """Which canary runner wrote a run: $SYNTHCHECK_RUNNER (e.g. a region), else the host."""
    runner = Setting("runner", "SYNTHCHECK_RUNNER", default=socket.gethostname())
    return str(resolve(runner, Layers(environ=os.environ)).value)


def target_key(base_url: str, *, embedded: bool = False) -> str:
    """The history key of what a run verified: its base URL (scheme and host in lower
    case, no trailing slash), or ``embedded`` for the embedded reference service."""
    if embedded:
        return EMBEDDED_TARGET
    scheme, sep, rest = base_url.strip().partition("://")
    if not sep:
        return base_url.strip().rstrip("/")
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}".rstrip("/")


def run_record_from_summary(
    summary: Mapping[str, Any],
    *,
    version: str | None = None,
    runner: str | None = None,
    started_at: float | None = None,
) -> RunRecord:
    checks: Sequence[Mapping[str, Any]] = summary.get("checks", [])
    base_url = str(summary["base_url"])
    return RunRecord(
        env=str(summary["env"]),
        suite=str(summary["suite"]),
        base_url=base_url,
        target=str(summary.get("target") or target_key(base_url)),
        started_at=started_at if started_at is not None else _epoch(summary["started_at"]),
        duration_s=float(summary["duration_s"]),
        outcome=str(summary["outcome"]),
        version=version,
        runner=runner if runner is not None else default_runner(),
        checks=tuple(
            CheckRecord(
                check_id=str(c["id"]),
                category=str(c["category"]),
                outcome=str(c["outcome"]),
                severity=str(c.get("severity") or "P3"),
                endpoint=c.get("endpoint"),
                runbook=str(c.get("runbook") or ""),
                message=str(c.get("message") or ""),
                metrics=dict(c.get("metrics") or {}),
            )
            for c in checks
            if not str(c["id"]).startswith(DERIVED_CHECKS)
        ),
    )
