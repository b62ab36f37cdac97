"""The incident draft: facts from the run and its history, actions from the runbook."""

from __future__ import annotations

from pathlib import Path

from synthcheck.history import AlertState
from synthcheck.incident import IncidentFacts, render_incident
from synthcheck.runbook import find_runbook, read_runbook
from tests.support.runs import T0, check, run

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK = read_runbook(ROOT / "docs" / "runbook.md")

SUMMARY = {
    "env": "production",
    "suite": "canary",
    "base_url": "https://fred.example.com",
    "outcome": "failed",
    "checks": [
        {
            "id": "error_rate.rate[GET /api/fred-data?series=UNRATE]",
            "category": "error_rate",
            "endpoint": "GET /api/fred-data?series=UNRATE",
            "outcome": "failed",
            "severity": "P1",
            "runbook": "api-error-spike",
            "observed": "8.0 % (16 of 200)",
            "budget": "≤ 5 %",
        },
        {
            "id": "health.status_code[GET /api/health]",
            "category": "health",
            "endpoint": "GET /api/health",
            "outcome": "passed",
            "severity": "P0",
            "runbook": "application-down",
            "observed": "",
            "budget": "",
        },
    ],
}
FAILING_ID = "error_rate.rate[GET /api/fred-data?series=UNRATE]"


def facts(**overrides) -> IncidentFacts:
    bad = check("error_rate", "failed", check_id=FAILING_ID, error_rate=0.08)
    history = [
        run(T0 + 900, bad, version="1.5.0"),
        run(T0 + 600, bad, version="1.5.0"),
        run(T0 + 300, check("error_rate", check_id=FAILING_ID), version="1.4.2"),
        run(T0, check("error_rate", check_id=FAILING_ID), version="1.4.2"),
    ]
    base = dict(
        summary=SUMMARY,
        history=history,
        firing=[
            AlertState(
                "production",
                "error_rate",
                "firing",
                T0 + 600,
                T0 + 900,
                "P1",
                "api-error-spike",
                "error_rate at 0.08 on GET /api/fred-data",
            )
        ],
        last_passing=("1.4.2", T0 + 300),
        current_version="1.5.0",
        runbook=RUNBOOK,
        runbook_link="docs/runbook.md",
    )
    base.update(overrides)
    return IncidentFacts(**base)


def test_draft_has_the_template_sections_prefilled() -> None:
    text = render_incident(facts())
    assert text.startswith("# Incident report (draft): error_rate on production")
    for heading in (
        "## Summary",
        "## Impact",
        "## Timeline",
        "## Immediate actions (runbook: api-error-spike)",
        "## Root cause",
        "## Resolution",
        "## Action items",
        "## Lessons learned",
    ):
        assert heading in text
    assert "| Severity | P1 |" in text
    # Detection is the first failing run of the streak, 10 minutes before "now".
    assert "| Detected | 2026-" in text
    assert "(first failing run in history)" in text
    assert "| Duration so far | 5 min 0 s |" in text
    assert "roll back to `1.4.2`" in text
    assert "| Version under verification | 1.5.0 |" in text
    assert FAILING_ID in text
    assert "8.0 % (16 of 200)" in text
    assert "**error_rate** (P1)" in text


def test_immediate_actions_come_from_the_runbook() -> None:
    text = render_incident(facts())
    actions = RUNBOOK["api-error-spike"].immediate_actions
    assert len(actions) >= 3
    assert f"1. {actions[0]}" in text


def test_without_a_passing_version_the_rollback_line_says_so() -> None:
    assert "no passing version in history" in render_incident(facts(last_passing=None))


def test_runbook_sections_parse_and_resolve() -> None:
    assert set(RUNBOOK) >= {
        "application-down",
        "api-error-spike",
        "memory-leak",
        "slow-response-times",
        "api-key-exposure",
        "security-incident",
    }
    assert find_runbook("docs/runbook.md", ROOT) is not None
    assert find_runbook("https://wiki.example.com/runbook") is None
