"""The human views of summary.json: HTML, Markdown, Allure categories and environment."""

from __future__ import annotations

import json
import re
from pathlib import Path

from synthcheck.catalog import CATALOG
from synthcheck.reporting.allure_extras import write_allure_extras
from synthcheck.reporting.html import render_html
from synthcheck.reporting.markdown import render_markdown

SUMMARY = {
    "schema_version": 1,
    "env": "production",
    "base_url": "https://fred.example.com",
    "suite": "postdeploy",
    "started_at": "2026-11-29T08:00:00Z",
    "duration_s": 4.2,
    "outcome": "failed",
    "counts": {"passed": 1, "failed": 1, "warned": 0, "skipped": 0, "error": 0, "total": 2},
    "rollback_recommended": True,
    "alerts": [{"rule": "error_rate", "severity": "P1", "detail": "8 %", "state": "firing"}],
    "history": {"version": "1.5.0"},
    "checks": [
        {
            "id": "health.status_code[GET /api/health]",
            "category": "health",
            "endpoint": "GET /api/health",
            "outcome": "passed",
            "severity": "P0",
            "runbook": "application-down",
            "message": "ok",
            "observed": "20x 200",
            "budget": "status in 200",
            "reproduce": "curl x",
            "details": [],
        },
        {
            "id": "error_rate.overall",
            "category": "error_rate",
            "endpoint": None,
            "outcome": "failed",
            "severity": "P1",
            "runbook": "api-error-spike",
            "message": "<script>alert(1)</script> | x",
            "observed": "8 % | 16 of 200",
            "budget": "≤ 5 %",
            "reproduce": None,
            "details": ["a"],
        },
    ],
}


def test_html_is_self_contained_and_escaped() -> None:
    page = render_html(SUMMARY)
    assert page.startswith("<!doctype html>")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "http://" not in page.replace("https://fred.example.com", "")  # no external resources
    assert "FAILED" in page
    assert "rollback recommended" in page
    assert page.index("error_rate.overall") < page.index("health.status_code")  # failures first
    assert "Alerts firing" in page


def test_markdown_lists_failures_with_escaped_pipes() -> None:
    text = render_markdown(SUMMARY)
    assert text.startswith("## synthcheck: ❌ FAILED: `production` · postdeploy")
    assert "| ❌ | `error_rate.overall` | P1 | 8 % \\| 16 of 200 |" in text
    assert "health.status_code" not in text.split("<details>")[0]  # passes are folded away
    assert "**Alerts firing:** error_rate (P1)" in text


def test_allure_categories_match_failure_headlines(tmp_path: Path) -> None:
    write_allure_extras(
        tmp_path, SUMMARY, environ={"GITHUB_RUN_ID": "7", "GITHUB_REPOSITORY": "o/r"}
    )
    categories = json.loads((tmp_path / "categories.json").read_text())
    assert len(categories) == len(CATALOG) + 1
    health = next(c for c in categories if c["name"].startswith("Health check failing"))
    # Allure matches the whole message (Java's matches()), as allure-pytest stores it.
    stored = "Failed: health (P0): GET /api/health reports status='unhealthy'\nbudget: x"
    assert re.fullmatch(health["messageRegex"], stored)
    assert re.fullmatch(health["messageRegex"], stored.removeprefix("Failed: "))
    assert not re.fullmatch(health["messageRegex"], "Failed: error_rate (P1): 8 %")
    props = (tmp_path / "environment.properties").read_text()
    assert "env=production\n" in props
    assert "service_version=1.5.0\n" in props
    executor = json.loads((tmp_path / "executor.json").read_text())
    assert executor["buildUrl"].endswith("/o/r/actions/runs/7")
