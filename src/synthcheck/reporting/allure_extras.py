"""Allure's run-level files: categories (one per check family), environment, executor.

Allure reads them from the results directory when it renders a report: failures
are grouped by check family (matched on the "<category> (<severity>):" headline of
every failure message), and the environment panel shows what was verified.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from synthcheck.catalog import CATALOG

__all__ = ["render_allure_extras", "write_allure_extras"]


def _categories() -> list[dict[str, Any]]:
    families = [
        {
            "name": f"{entry.title} ({entry.category.value}, {entry.severity},"
            f" runbook: {entry.runbook})",
            "matchedStatuses": ["failed"],
            # allure-pytest stores pytest.fail()'s text as "Failed: <message>".
            "messageRegex": rf"(Failed: )?{entry.category.value} \(P\d\):[\s\S]*",
        }
        for entry in CATALOG.values()
    ]
    families.append(
        {
            "name": "Harness errors (a check crashed or recorded no verdict)",
            "matchedStatuses": ["broken", "failed"],
        }
    )
    return families


def render_allure_extras(
    results_dir: Path, summary: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> dict[Path, str]:
    """The run-level files for Allure, by path, as text (written by the publisher)."""
    environ = os.environ if environ is None else environ
    properties = {
        "env": summary["env"],
        "base_url": summary["base_url"],
        "suite": summary["suite"],
        "outcome": summary["outcome"],
        "service_version": (summary.get("history") or {}).get("version") or "unknown",
        "rollback_recommended": str(summary["rollback_recommended"]).lower(),
    }
    files = {
        results_dir / "categories.json": json.dumps(_categories(), indent=2),
        results_dir / "environment.properties": "".join(
            f"{key}={value}\n" for key, value in properties.items()
        ),
    }
    if environ.get("GITHUB_RUN_ID"):
        server = environ.get("GITHUB_SERVER_URL", "https://github.com")
        repo = environ.get("GITHUB_REPOSITORY", "")
        executor = {
            "name": "GitHub Actions",
            "type": "github",
            "buildName": f"{environ.get('GITHUB_WORKFLOW', '')}"
            f" #{environ.get('GITHUB_RUN_NUMBER', '')}",
            "buildUrl": f"{server}/{repo}/actions/runs/{environ['GITHUB_RUN_ID']}",
        }
        files[results_dir / "executor.json"] = json.dumps(executor, indent=2)
    return files


def write_allure_extras(
    results_dir: Path, summary: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> None:
    for path, text in render_allure_extras(results_dir, summary, environ).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
