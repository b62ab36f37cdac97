"""Shared paths and helpers for the project's own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture
def env_dir() -> Path:
    return ROOT / "environments"
