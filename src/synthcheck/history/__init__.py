"""Run history: every run's checks and figures, for alert windows, trends and rollbacks."""

from __future__ import annotations

from pathlib import Path

from synthcheck.history.records import AlertState, CheckRecord, RunRecord, run_record_from_summary
from synthcheck.history.store import HistoryStore, Transition

__all__ = [
    "AlertState",
    "CheckRecord",
    "HistoryStore",
    "RunRecord",
    "Transition",
    "open_store",
    "run_record_from_summary",
]


def open_store(location: str) -> HistoryStore:
    """``postgresql://…`` opens PostgreSQL; anything else is a SQLite file path."""
    if location.startswith(("postgresql://", "postgres://")):
        from synthcheck.history.postgres import PostgresStore

        return PostgresStore(location)
    from synthcheck.history.sqlite import SqliteStore

    return SqliteStore(Path(location))
