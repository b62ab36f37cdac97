"""PostgreSQL back end: one shared history for several canary runners (regions, CI jobs)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from synthcheck.history.schema import ddl
from synthcheck.history.store import Cursor, HistoryStore

__all__ = ["PostgresStore"]

# Arbitrary constant for the advisory lock that serialises schema creation.
_SCHEMA_LOCK = 7_357_001


class PostgresStore(HistoryStore):
    marker = "%s"

    def __init__(self, url: str, *, connect_timeout_s: float = 5.0) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "a PostgreSQL history needs psycopg: pip install 'synthcheck[postgres]'"
            ) from exc
        self._psycopg = psycopg
        self._url = url
        self._timeout = connect_timeout_s
        self.location = mask_url(url)
        with self._transaction(exclusive=True) as cur:
            # CREATE TABLE IF NOT EXISTS races between concurrent creators in
            # PostgreSQL; the advisory lock makes the first runner create and the
            # others wait.
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEMA_LOCK])
            for statement in ddl("postgres"):
                cur.execute(statement)
            self._migrate(cur)

    @contextmanager
    def _transaction(self, *, exclusive: bool = False) -> Iterator[Cursor]:
        conn: Any = self._psycopg.connect(self._url, connect_timeout=max(1, int(self._timeout)))
        try:
            with conn.transaction(), conn.cursor() as cur:
                yield cur
        finally:
            conn.close()

    def _lock_env(self, cur: Cursor, key: str) -> None:
        # Two runners finishing together must not both announce the same transition.
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"synthcheck-alerts:{key}"])


def mask_url(url: str) -> str:
    """postgresql://user:secret@host/db → postgresql://user:***@host/db (for messages)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
