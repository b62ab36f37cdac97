"""Shared paths and helpers for the project's own tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import postgres_server

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture
def env_dir() -> Path:
    return ROOT / "environments"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for this test session (started on first use)."""
    with postgres_server() as url:
        yield url
