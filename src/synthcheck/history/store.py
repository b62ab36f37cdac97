"""The history store: runs, their checks, and alert state, in SQLite or PostgreSQL.

Guarantees:
- one transaction per run: a run killed midway leaves nothing behind, never half a run;
- several writers at once (parallel canary runners, CI jobs): SQLite in WAL mode with a
  busy timeout, PostgreSQL with its own locking; alert transitions are decided under a
  lock so that two runners never both announce the same alert.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

from synthcheck.history.records import AlertState, CheckRecord, RunRecord
from synthcheck.history.rows import (
    ALERT_COLUMNS,
    CHECK_COLUMNS,
    INSERT_RUN,
    RUN_COLUMNS,
    alert_from_row,
    alert_values,
    check_from_row,
    check_values,
    run_from_row,
    run_values,
)
from synthcheck.history.schema import migrations

__all__ = ["Cursor", "HistoryStore", "Transition"]

Cursor = Any  # a DB-API cursor (sqlite3 or psycopg)


class Transition(tuple[AlertState | None, AlertState]):
    """(previous state or None, new state) of an alert rule whose state changed."""

    @property
    def before(self) -> AlertState | None:
        return self[0]

    @property
    def after(self) -> AlertState:
        return self[1]


class HistoryStore(ABC):
    """SQL shared by both back ends; subclasses supply connections and placeholders."""

    #: DB-API parameter marker: "?" for sqlite3, "%s" for psycopg.
    marker = "?"
    location = ""

    # -- supplied by the back end ---------------------------------------------
    @abstractmethod
    def _transaction(self, *, exclusive: bool = False) -> AbstractContextManager[Cursor]:
        """A cursor inside one transaction; ``exclusive`` serialises against other writers."""

    def _insert_run_row(self, cur: Cursor, run: RunRecord) -> int:
        """Insert the ``runs`` row and return its id (RETURNING: SQLite 3.35+, PostgreSQL)."""
        cur.execute(self._sql(INSERT_RUN + " RETURNING id"), run_values(run))
        return int(cur.fetchone()[0])

    def close(self) -> None:  # noqa: B027 - optional for back ends with pooled connections
        """Release connections (SQLite opens one per operation)."""

    # -- helpers ---------------------------------------------------------------
    def _sql(self, text: str) -> str:
        return text.replace("?", self.marker)

    def _migrate(self, cur: Cursor) -> None:
        """Bring an older history to the current schema (inside the schema transaction)."""

        def columns(table: str) -> set[str]:
            cur.execute(f"SELECT * FROM {table} LIMIT 0")
            return {str(d[0]).lower() for d in cur.description}

        for statement in migrations(columns("runs"), columns("alert_state")):
            cur.execute(statement)

    # -- runs ------------------------------------------------------------------
    def append_run(self, run: RunRecord) -> int:
        """Store a run and all its checks atomically; returns the run's id."""
        with self._transaction() as cur:
            return self._insert_run(cur, run)

    def _insert_run(self, cur: Cursor, run: RunRecord) -> int:
        run_id = self._insert_run_row(cur, run)
        cur.executemany(
            self._sql(f"INSERT INTO checks ({CHECK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            [check_values(run_id, c) for c in run.checks],
        )
        return run_id

    def runs(
        self,
        env: str | None = None,
        *,
        target: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int | None = None,
        with_checks: bool = True,
    ) -> list[RunRecord]:
        """Runs newest first, optionally of one environment (and target), within a time range."""
        with self._transaction() as cur:
            return self._select_runs(cur, env, since, until, limit, with_checks, target)

    def _select_runs(
        self,
        cur: Cursor,
        env: str | None,
        since: float | None = None,
        until: float | None = None,
        limit: int | None = None,
        with_checks: bool = True,
        target: str | None = None,
    ) -> list[RunRecord]:
        where: list[str] = []
        params: list[Any] = []
        filters = (
            ("env = ?", env),
            ("target = ?", target),
            ("started_at >= ?", since),
            ("started_at <= ?", until),
        )
        for clause, value in filters:
            if value is not None:
                where.append(clause)
                params.append(value)
        query = f"SELECT {RUN_COLUMNS} FROM runs"
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " ORDER BY started_at DESC, id DESC"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        cur.execute(self._sql(query), params)
        rows = cur.fetchall()
        checks = self._checks_for(cur, [int(r[0]) for r in rows]) if with_checks else {}
        return [run_from_row(r, checks.get(int(r[0]), ())) for r in rows]

    def _checks_for(self, cur: Cursor, run_ids: Sequence[int]) -> dict[int, list[CheckRecord]]:
        found: dict[int, list[CheckRecord]] = {}
        for start in range(0, len(run_ids), 500):
            chunk = run_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            cur.execute(
                self._sql(f"SELECT {CHECK_COLUMNS} FROM checks WHERE run_id IN ({marks})"),
                list(chunk),
            )
            for row in cur.fetchall():
                found.setdefault(int(row[0]), []).append(check_from_row(row))
        return found

    def last_passing_version(self, env: str, target: str | None = None) -> tuple[str, float] | None:
        """The health ``version`` of the newest passing run of ``env`` (against ``target``;
        None: any target), with its time: the rollback target."""
        where, params = "env = ?", [env]
        if target is not None:
            where, params = where + " AND target = ?", [env, target]
        with self._transaction() as cur:
            cur.execute(
                self._sql(
                    f"SELECT version, started_at FROM runs WHERE {where} AND outcome = 'passed'"
                    " AND version IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT 1"
                ),
                params,
            )
            row = cur.fetchone()
        return (str(row[0]), float(row[1])) if row else None

    # -- alerts ----------------------------------------------------------------
    def alert_states(self, env: str, target: str = "") -> dict[str, AlertState]:
        """The alert states of one target of ``env``, by rule."""
        with self._transaction() as cur:
            return self._alert_states(cur, env, target)

    def _alert_states(self, cur: Cursor, env: str, target: str) -> dict[str, AlertState]:
        cur.execute(
            self._sql(f"SELECT {ALERT_COLUMNS} FROM alert_state WHERE env = ? AND target = ?"),
            [env, target],
        )
        return {row[2]: alert_from_row(row) for row in cur.fetchall()}

    def _lock_env(self, cur: Cursor, key: str) -> None:  # noqa: B027 - a no-op by default
        """Serialise alert decisions for one target (SQLite's BEGIN IMMEDIATE already does)."""

    def peek(
        self,
        run: RunRecord,
        decide: Callable[[Sequence[RunRecord], Mapping[str, AlertState]], Sequence[AlertState]],
        *,
        lookback_s: float,
    ) -> tuple[list[AlertState], list[Transition], list[RunRecord]]:
        """What ``decide`` would make of ``run`` (not stored) on top of its target's history:
        the states it computes, the changes among them, and the runs it saw (``run``
        first). Writes nothing: a run's result is gathered this way before it is frozen,
        then stored with :meth:`record_and_decide`, which decides again under the lock."""
        with self._transaction() as cur:
            stored = self._select_runs(
                cur, run.env, since=run.started_at - lookback_s, target=run.target
            )
            current = self._alert_states(cur, run.env, run.target)
        recent = [run, *stored]
        states = list(decide(recent, current))
        changed = [
            Transition((current.get(s.rule), s))
            for s in states
            if current.get(s.rule) is None or current[s.rule].state != s.state
        ]
        return states, changed, recent

    def record_and_decide(
        self,
        run: RunRecord,
        decide: Callable[[Sequence[RunRecord], Mapping[str, AlertState]], Sequence[AlertState]],
        *,
        lookback_s: float,
    ) -> tuple[int, list[Transition]]:
        """Store ``run`` and update alert states in ONE transaction.

        ``decide`` gets the target's recent runs (``run`` included, newest first) and
        the current states, and returns the states it computes; only the ones that
        changed are written and returned as transitions, so exactly one runner sees a
        given transition and notifies about it.
        """
        with self._transaction(exclusive=True) as cur:
            self._lock_env(cur, f"{run.env}\n{run.target}")
            run_id = self._insert_run(cur, run)
            recent = self._select_runs(
                cur, run.env, since=run.started_at - lookback_s, target=run.target
            )
            current = self._alert_states(cur, run.env, run.target)
            transitions: list[Transition] = []
            for new in decide(recent, current):
                old = current.get(new.rule)
                if old is not None and old.state == new.state:
                    continue
                self._write_alert(cur, new, exists=old is not None)
                transitions.append(Transition((old, new)))
        return run_id, transitions

    def _write_alert(self, cur: Cursor, state: AlertState, *, exists: bool) -> None:
        values = alert_values(state)
        if exists:
            cur.execute(
                self._sql(
                    "UPDATE alert_state SET state = ?, since = ?, changed_at = ?, severity = ?,"
                    " runbook = ?, detail = ? WHERE env = ? AND target = ? AND rule = ?"
                ),
                [*values, state.env, state.target, state.rule],
            )
        else:
            cur.execute(
                self._sql(
                    f"INSERT INTO alert_state ({ALERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                [state.env, state.target, state.rule, *values],
            )

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
