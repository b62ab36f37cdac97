"""The default history back end: one SQLite file in WAL mode."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from synthcheck.history.records import RunRecord
from synthcheck.history.schema import ddl
from synthcheck.history.store import Cursor, HistoryStore

__all__ = ["SqliteStore"]

# Several canary runners may finish at the same moment; a writer waits this long for
# the lock instead of failing ("database is locked").
_BUSY_TIMEOUT_MS = 15_000


class SqliteStore(HistoryStore):
    marker = "?"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._transaction(exclusive=True) as cur:
            for statement in ddl("sqlite"):
                cur.execute(statement)
            self._migrate(cur)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN ourselves, so a transaction spans exactly
        # what _transaction() wraps and nothing is committed behind our back.
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def _transaction(self, *, exclusive: bool = False) -> Iterator[Cursor]:
        conn = self._connect()
        try:
            # IMMEDIATE takes the write lock up front: two writers queue instead of
            # deadlocking on a lock upgrade halfway through.
            conn.execute("BEGIN IMMEDIATE" if exclusive else "BEGIN")
            cur = conn.cursor()
            try:
                yield cur
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    def append_run(self, run: RunRecord) -> int:
        with self._transaction(exclusive=True) as cur:
            return self._insert_run(cur, run)
