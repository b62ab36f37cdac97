"""A tiny check suite for pytester tests of the plugin, and how to run and read it.

The suite probes nothing (its ``--base-url`` is a closed loopback port), so a run takes
well under a second in process. ``PLANT`` in the environment makes a check fail, print
a key or record no verdict.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.support.harness import SUMMARY_SCHEMA, TEST_KEYS

__all__ = ["CHECKS", "CONFTEST", "ROOT", "make_suite", "outcomes", "run_suite", "summary"]

ROOT = Path(__file__).resolve().parents[2]
CONFTEST = 'pytest_plugins = ["synthcheck.pytest_plugin"]\n'
CHECKS = """
import os, sys
import pytest
from synthcheck.catalog import Category
from synthcheck.verdicts import CheckResult


@pytest.mark.postdeploy
@pytest.mark.category("health")
def test_passes(run, verdict):
    verdict(CheckResult.passed(Category.HEALTH, "healthy", observed=run.settings.suite))


@pytest.mark.canary
@pytest.mark.category("availability")
def test_canary(run, verdict):
    if os.environ.get("PLANT") == "fail":
        verdict(CheckResult.failed(Category.AVAILABILITY, "no answer", budget="answers",
                                   observed="connection refused"))
    verdict(CheckResult.passed(Category.AVAILABILITY, "answers"))


@pytest.mark.canary
@pytest.mark.category("latency")
def test_forgets_its_verdict(run):
    if os.environ.get("PLANT") == "print-key":
        print("key:", os.environ["FRED_API_KEY"])
    if os.environ.get("PLANT") != "no-verdict":
        pytest.skip("nothing to judge")
"""


def make_suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """The suite in ``pytester``'s directory, with the harness's keys and no stray settings."""
    for name in list(os.environ):
        if name.startswith(("SYNTHCHECK_", "PYTEST_")) or name == "FRED_BASE_URL":
            monkeypatch.delenv(name)
    for name, value in TEST_KEYS.items():
        monkeypatch.setenv(name, value)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_checks=CHECKS)
    return pytester


def run_suite(pytester: pytest.Pytester, *args: str, target: bool = True) -> pytest.RunResult:
    """pytest in process; ``target``: staging's budgets against the closed port."""
    where = ["--env=staging", "--base-url=http://127.0.0.1:9"] if target else []
    return pytester.runpytest(
        "-p",
        "no:cacheprovider",
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
        f"--env-dir={ROOT / 'environments'}",
        *where,
        f"--reports-dir={pytester.path / 'reports'}",
        f"--history={pytester.path / 'history.sqlite'}",
        *args,
    )


def summary(pytester: pytest.Pytester) -> dict[str, Any]:
    """reports/summary.json, validated against its schema."""
    data = json.loads((pytester.path / "reports" / "summary.json").read_text())
    jsonschema.validate(data, SUMMARY_SCHEMA)
    return dict(data)


def outcomes(pytester: pytest.Pytester) -> dict[str, str]:
    return {c["id"]: c["outcome"] for c in summary(pytester)["checks"]}
