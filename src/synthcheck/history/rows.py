"""Rows of the history tables and the records they hold, both ways (no SQL run here)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from synthcheck.history.records import AlertState, CheckRecord, RunRecord

__all__ = [
    "ALERT_COLUMNS",
    "CHECK_COLUMNS",
    "INSERT_RUN",
    "RUN_COLUMNS",
    "alert_from_row",
    "alert_values",
    "check_from_row",
    "check_values",
    "run_from_row",
    "run_values",
]

RUN_COLUMNS = "id, env, suite, base_url, started_at, duration_s, outcome, version, runner, target"
CHECK_COLUMNS = "run_id, check_id, category, outcome, severity, endpoint, runbook, message, metrics"
ALERT_COLUMNS = "env, target, rule, state, since, changed_at, severity, runbook, detail"

INSERT_RUN = (
    "INSERT INTO runs"
    " (env, suite, base_url, started_at, duration_s, outcome, version, runner, target)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def run_values(run: RunRecord) -> list[Any]:
    """The ``runs`` row of a run, in ``INSERT_RUN``'s column order."""
    return [
        run.env,
        run.suite,
        run.base_url,
        run.started_at,
        run.duration_s,
        run.outcome,
        run.version,
        run.runner,
        run.target,
    ]


def run_from_row(r: Sequence[Any], checks: Iterable[CheckRecord]) -> RunRecord:
    """A ``runs`` row (``RUN_COLUMNS``) with its checks."""
    return RunRecord(
        id=int(r[0]),
        env=r[1],
        suite=r[2],
        base_url=r[3],
        started_at=float(r[4]),
        duration_s=float(r[5]),
        outcome=r[6],
        version=r[7],
        runner=r[8],
        target=r[9],
        checks=tuple(checks),
    )


def check_values(run_id: int, c: CheckRecord) -> tuple[Any, ...]:
    """The ``checks`` row of one check, in ``CHECK_COLUMNS``' order."""
    return (
        run_id,
        c.check_id,
        c.category,
        c.outcome,
        c.severity,
        c.endpoint,
        c.runbook,
        c.message,
        c.metrics_json(),
    )


def check_from_row(row: Sequence[Any]) -> CheckRecord:
    """A ``checks`` row (``CHECK_COLUMNS``, ``run_id`` first)."""
    return CheckRecord(
        check_id=row[1],
        category=row[2],
        outcome=row[3],
        severity=row[4],
        endpoint=row[5],
        runbook=row[6],
        message=row[7],
        metrics=json.loads(row[8]),
    )


def alert_values(state: AlertState) -> list[Any]:
    """The mutable columns of an ``alert_state`` row (after env, target, rule)."""
    return [
        state.state,
        state.since,
        state.changed_at,
        state.severity,
        state.runbook,
        state.detail,
    ]


def alert_from_row(row: Sequence[Any]) -> AlertState:
    """An ``alert_state`` row (``ALERT_COLUMNS``)."""
    return AlertState(
        env=row[0],
        target=row[1],
        rule=row[2],
        state=row[3],
        since=None if row[4] is None else float(row[4]),
        changed_at=float(row[5]),
        severity=row[6],
        runbook=row[7],
        detail=row[8],
    )
