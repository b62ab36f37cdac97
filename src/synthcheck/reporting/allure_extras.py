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

__all__ = ["write_allure_extras"]


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


def write_allure_extras(
    results_dir: Path, summary: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> None:
    environ = os.environ if environ is None else environ
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "categories.json").write_text(json.dumps(_categories(), indent=2))
    properties = {
        "env": summary["env"],
        "base_url": summary["base_url"],
        "suite": summary["suite"],
        "outcome": summary["outcome"],
        "service_version": (summary.get("history") or {}).get("version") or "unknown",
        "rollback_recommended": str(summary["rollback_recommended"]).lower(),
    }
    (results_dir / "environment.properties").write_text(
        "".join(f"{key}={value}\n" for key, value in properties.items())
    )
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
        (results_dir / "executor.json").write_text(json.dumps(executor, indent=2))
