"""Where the verification run lives in a pytest session, and what a test item says
about itself (its check id and its runbook category)."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcheck.catalog import Category
from synthcheck.reporting.output_guard import OutputGuard
from synthcheck.session import VerificationRun
from synthcheck.verdicts import CheckResult

RUN_KEY = pytest.StashKey[VerificationRun]()
RESULT_KEY = pytest.StashKey[CheckResult]()


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def active_run(config: pytest.Config) -> VerificationRun | None:
    return config.stash.get(RUN_KEY, None)


def output_guard(config: pytest.Config) -> OutputGuard | None:
    """The output guard ``synthcheck verify`` hands to pytest (None for plain pytest)."""
    plugins = config.pluginmanager.get_plugins()
    return next((p for p in plugins if isinstance(p, OutputGuard)), None)


def check_id(item: pytest.Item) -> str:
    module = Path(str(item.path)).stem.removeprefix("test_")
    name = getattr(item, "originalname", item.name).removeprefix("test_")
    callspec = getattr(item, "callspec", None)
    return f"{module}.{name}" + (f"[{callspec.id}]" if callspec else "")


def category_of(item: pytest.Item) -> Category | None:
    marker = item.get_closest_marker("category")
    return Category(marker.args[0]) if marker and marker.args else None
