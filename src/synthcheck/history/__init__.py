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
    "resolve_location",
    "run_record_from_summary",
]


def resolve_location(configured: str) -> str | None:
    """A configured location, or None when the history is turned off ("off", "none", "")."""
    location = configured.strip()
    return None if location.lower() in ("off", "none", "") else location


def open_store(location: str) -> HistoryStore:
    """``postgresql://…`` opens PostgreSQL; anything else is a SQLite file path."""
    if location.startswith(("postgresql://", "postgres://")):
        from synthcheck.history.postgres import PostgresStore

        return PostgresStore(location)
    from synthcheck.history.sqlite import SqliteStore

    return SqliteStore(Path(location))
