"""A planted leak into the run's own terminal output, through the real deploy-verify.sh.

The check prints a key cut in two at the output guard's 8 KiB line limit, in pieces
too short to redact on their own: the guard lets them out, sees the key across the
two writes, and its finding joins the run before the summary is frozen. The run is
then failed in summary.json and in the history, ``synthcheck history`` does not
offer it as the rollback target, and it has an incident draft.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.harness import ROOT, TEST_KEYS, base_environ, deploy_verify

pytestmark = pytest.mark.slow

CHECK = """
import os, sys
import pytest
from synthcheck.catalog import Category
from synthcheck.verdicts import CheckResult

pytestmark = [pytest.mark.postdeploy, pytest.mark.category("health")]


def test_health(verdict):
    if os.environ.get("PLANT_OUTPUT_LEAK"):
        key = os.environ["FRED_API_KEY"]
        sys.stdout.write("." * 8190 + key[:7])
        sys.stdout.write(key[7:14] + "\\n")
    version = os.environ["SERVICE_VERSION"]
    verdict(CheckResult.passed(Category.HEALTH, "healthy", metrics={"version": version}))
"""


def test_a_key_in_the_runs_own_output_fails_it_in_the_history(tmp_path: Path) -> None:
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "conftest.py").write_text('pytest_plugins = ["synthcheck.pytest_plugin"]\n')
    (checks / "test_health.py").write_text(CHECK)
    history = tmp_path / "history.sqlite"
    args = ("--env=staging", "--base-url=http://127.0.0.1:9", f"--checks-dir={checks}", "--", "-s")

    def verify(version: str, **plant: str):
        environ = base_environ(SYNTHCHECK_HISTORY=str(history), SERVICE_VERSION=version, **plant)
        return deploy_verify(*args, reports=tmp_path / f"reports-{version}", environ=environ)

    clean = verify("1.0.0")
    assert clean.code == 0, clean.output
    leaked = verify("2.0.0", PLANT_OUTPUT_LEAK="1")
    assert leaked.code == 1, leaked.output
    assert "FAILED key_leak" in leaked.stderr
    assert TEST_KEYS["FRED_API_KEY"] not in leaked.output  # only the 14-character piece
    failing = {(c["id"], c["category"]) for c in leaked.checks("failed")}
    assert failing == {("output.self_scan", "key_leak"), ("alert.security", "key_leak")}
    assert leaked.summary["outcome"] == "failed"
    assert (leaked.reports / "incident.md").is_file()
    shown = subprocess.run(
        [sys.executable, "-m", "synthcheck", "history", f"--history={history}", "--runs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = shown.splitlines()
    assert rows[1].split()[4:6] == ["failed", "2.0.0"]
    assert rows[2].split()[4:6] == ["passed", "1.0.0"]
    assert "rollback target of staging @ http://127.0.0.1:9: 1.0.0 (passed" in shown
