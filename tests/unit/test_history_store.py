"""The history store on SQLite and on a real PostgreSQL server: the same behaviour on both."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from synthcheck.alerts import DEFAULT_RULES, decide, lookback_s
from synthcheck.history import HistoryStore, open_store
from tests.support.runs import T0, check, run

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "history.sqlite")
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS checks, runs, alert_state")


def test_round_trip_keeps_checks_and_metrics(location: str) -> None:
    with open_store(location) as store:
        first = store.append_run(run(T0, check("latency", p95_ms=412.5, n=59)))
        store.append_run(run(T0 + 300, check("error_rate", "failed", error_rate=0.08)))
        runs = store.runs("production")
    assert [r.started_at for r in runs] == [T0 + 300, T0]
    assert runs[1].id == first
    assert runs[1].checks[0].metrics == {"p95_ms": 412.5, "n": 59}
    assert runs[0].failing()[0].category == "error_rate"
    assert runs[0].runner == "eu-west"


def test_filters_and_limits(location: str) -> None:
    with open_store(location) as store:
        for i in range(5):
            store.append_run(run(T0 + i * 60))
        store.append_run(run(T0, env="staging"))
        assert len(store.runs("production", limit=2)) == 2
        assert len(store.runs("production", since=T0 + 120)) == 3
        assert len(store.runs()) == 6
        assert store.runs("production", with_checks=False)[0].checks == ()


def test_last_passing_version_is_the_newest_passing_run(location: str) -> None:
    with open_store(location) as store:
        assert store.last_passing_version("production") is None
        store.append_run(run(T0, version="1.4.1"))
        store.append_run(run(T0 + 60, version="1.4.2"))
        store.append_run(run(T0 + 120, check("health", "failed"), version="1.5.0"))
        assert store.last_passing_version("production") == ("1.4.2", T0 + 60)


def test_record_and_decide_reports_each_transition_once(location: str) -> None:
    rules = [r for r in DEFAULT_RULES if r.name == "security"]
    with open_store(location) as store:

        def decide_now(runs, current):
            return decide(rules, runs, current)

        _, fired = store.record_and_decide(
            run(T0, check("key_leak", "failed")), decide_now, lookback_s=lookback_s(rules)
        )
        _, again = store.record_and_decide(
            run(T0 + 60, check("key_leak", "failed")), decide_now, lookback_s=lookback_s(rules)
        )
        _, resolved = store.record_and_decide(
            run(T0 + 120, check("key_leak")), decide_now, lookback_s=lookback_s(rules)
        )
        states = store.alert_states("production")
    assert [(t.before, t.after.state) for t in fired] == [(None, "firing")]
    assert again == []
    assert [(t.before.state, t.after.state) for t in resolved] == [("firing", "ok")]
    assert states["security"].state == "ok"


def _write_runs(location: str, worker: int, count: int) -> None:
    with open_store(location) as store:
        for i in range(count):
            store.append_run(run(T0 + worker * 1000 + i, runner=f"runner-{worker}"))


def test_concurrent_writers_lose_nothing(location: str) -> None:
    open_store(location).close()  # create the schema once, as a first runner would
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_runs, args=(location, w, 15)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(120)
        assert p.exitcode == 0
    with open_store(location) as store:
        runs = store.runs()
    assert len(runs) == 60
    assert len({r.id for r in runs}) == 60
    assert {r.runner for r in runs} == {f"runner-{w}" for w in range(4)}


KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from synthcheck.history import open_store
    from tests.support.runs import T0, check, run

    store = open_store({location!r})
    with store._transaction(exclusive=True) as cur:
        store._insert_run(cur, run(T0 + 999, check("health", "failed")))
        print("inserted", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # die inside the transaction, before COMMIT
    """
)


def test_a_run_killed_midway_leaves_nothing_behind(location: str) -> None:
    with open_store(location) as store:
        store.append_run(run(T0))
    script = KILLED_WRITER.format(root=str(Path(__file__).resolve().parents[2]), location=location)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert "inserted" in done.stdout
    with open_store(location) as store:
        runs = store.runs()
        assert [r.started_at for r in runs] == [T0]
        store.append_run(run(T0 + 60))  # and the store still takes writes
        assert len(store.runs()) == 2


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "h.sqlite"
    open_store(str(path)).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_is_a_history_store(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path / "x.sqlite")), HistoryStore)
    assert os.path.exists(tmp_path / "x.sqlite")
