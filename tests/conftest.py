"""Shared paths and helpers for the project's own tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import postgres_server

# The longest tests, measured (`pytest -n 4 --durations=80`, 2026-12-01): 20 to 60 s each.
# They start first, so under pytest-xdist no worker picks one up at the end of the
# run while the others sit idle. Substrings of node ids, longest first.
LONGEST_FIRST = (
    "test_deadlines_e2e.py",
    "test_load_e2e.py",
    "test_canary_e2e.py",
    "test_init_e2e.py",
    "test_statistics_e2e.py",
    "test_cli_contract.py",
    "test_requests.py",
    *(
        f"test_fault_matrix.py::test_fault_fails_the_run_with_its_category[{fault}]"
        for fault in ("memory_high", "upstream_slow", "slow_data")
    ),
)

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture
def env_dir() -> Path:
    return ROOT / "environments"


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A real PostgreSQL server for this test session (started on first use)."""
    with postgres_server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty database on that server for one test, dropped after it.

    One server per xdist worker, one database per test: a test that leaves rows behind
    (or dies before its clean-up) cannot show up in the next one's history.
    """
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield postgres_server_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(postgres_server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _start_rank(item: pytest.Item) -> tuple[int, int]:
    """Known long tests first, then the other slow (end-to-end) ones, then the rest."""
    for rank, part in enumerate(LONGEST_FIRST):
        if part in item.nodeid:
            return (0, rank)
    return (1, 0) if item.get_closest_marker("slow") else (2, 0)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist's load scheduler starts each worker on a contiguous quarter of its
    # share (here: one worker would get every long test) and then tops up in chunks.
    # One test at a time instead (unless --maxschedchunk is given): a free worker takes
    # the next test in the order below, so the longest start first, spread over all.
    if config.pluginmanager.has_plugin("xdist") and config.getoption("maxschedchunk") is None:
        config.option.maxschedchunk = 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A stable sort: within a rank the collection order (and so fixture reuse) stays.
    items.sort(key=_start_rank)
