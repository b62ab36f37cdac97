"""Run the real verifier (scripts/deploy-verify.sh) as a user would, and read its reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
SUMMARY_SCHEMA = json.loads(
    (ROOT / "src" / "synthcheck" / "reporting" / "summary_schema.json").read_text()
)
SCRIPT = ROOT / "scripts" / "deploy-verify.sh"

# Fixed, valid-looking keys so tests can assert they never reach output or reports
# (random, not hand-typed: the scanner treats a1b2c3d4-style values as examples).
TEST_KEYS = {
    "FRED_API_KEY": "0e8fd99e26439af486e42ef373bf1c09",
    "ALPHA_VANTAGE_API_KEY": "QW3RTY7UIOP4ASDF",
}


@dataclass
class RunResult:
    code: int
    stdout: str
    stderr: str
    seconds: float
    reports: Path

    @property
    def summary(self) -> dict[str, Any]:
        """summary.json, checked against its published schema on every read."""
        summary: dict[str, Any] = json.loads((self.reports / "summary.json").read_text())
        jsonschema.validate(summary, SUMMARY_SCHEMA)
        return summary

    def categories(self, *outcomes: str) -> set[str]:
        wanted = outcomes or ("failed", "error")
        return {c["category"] for c in self.summary["checks"] if c["outcome"] in wanted}

    def checks(self, outcome: str) -> list[dict[str, Any]]:
        return [c for c in self.summary["checks"] if c["outcome"] == outcome]

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def base_environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNTHCHECK_")}
    env.update(TEST_KEYS)
    env.pop("FRED_BASE_URL", None)
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    env["SYNTHCHECK_PYTHON"] = sys.executable
    env.update(extra)
    return env


def deploy_verify(
    *args: str, reports: Path, timeout: float = 120.0, environ: dict[str, str] | None = None
) -> RunResult:
    command = [str(SCRIPT), f"--reports-dir={reports}", *args]
    environ = dict(environ or base_environ())
    # Each run keeps its own history unless the test says otherwise.
    environ.setdefault("SYNTHCHECK_HISTORY", str(reports / "history.sqlite"))
    started = time.monotonic()
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return RunResult(done.returncode, done.stdout, done.stderr, time.monotonic() - started, reports)


def files_containing(root: Path, needle: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]
