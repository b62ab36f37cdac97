"""The incident draft, byte for byte: fact derivation and rendering kept apart.

The expected drafts in ``tests/data/incident/`` were rendered before ``render_incident``
was split into ``derive_incident`` (facts) and ``format_incident`` (text); a change to
either shows here as a diff against a whole draft. The runbook is a fixed
hand-made one so that edits to ``docs/runbook.md`` do not move these files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synthcheck.history import AlertState
from synthcheck.incident import IncidentFacts, derive_incident, format_incident, render_incident
from synthcheck.runbook import RunbookSection
from tests.support.runs import T0, check, run

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "incident"

RUNBOOK = {
    "api-error-spike": RunbookSection(
        "api-error-spike",
        "Immediate actions:\n1. Check the FRED upstream status\n2. Roll back if it started at a deploy\n",
    ),
}
RATE_ID = "error_rate.rate[GET /api/fred-data?series=UNRATE]"
HEALTH_ID = "health.status_code[GET /api/health]"


def _summary_check(
    check_id: str, category: str, outcome: str, severity: str, runbook: str
) -> dict[str, str]:
    return {
        "id": check_id,
        "category": category,
        "endpoint": check_id.partition("[")[2].rstrip("]"),
        "outcome": outcome,
        "severity": severity,
        "runbook": runbook,
        "observed": "8.0 % (16 of 200)" if outcome == "failed" else "",
        "budget": "≤ 5 %" if outcome == "failed" else "",
    }


def _summary(*checks: dict[str, str]) -> dict[str, Any]:
    return {
        "env": "production",
        "suite": "canary",
        "base_url": "https://fred.example.com",
        "outcome": "failed",
        "checks": list(checks),
    }


FIRING = AlertState(
    "production",
    "error_rate",
    "firing",
    T0 + 600,
    T0 + 900,
    "P1",
    "api-error-spike",
    "error_rate at 0.08 on GET /api/fred-data",
)


def _facts(**overrides: Any) -> IncidentFacts:
    bad = check("error_rate", "failed", check_id=RATE_ID, error_rate=0.08)
    base: dict[str, Any] = dict(
        summary=_summary(
            _summary_check(RATE_ID, "error_rate", "failed", "P1", "api-error-spike"),
            _summary_check(HEALTH_ID, "health", "passed", "P0", "application-down"),
        ),
        history=[
            run(T0 + 900, bad, version="1.5.0"),
            run(T0 + 600, bad, version="1.5.0"),
            run(T0 + 300, check("error_rate", check_id=RATE_ID), version="1.4.2"),
            run(T0, check("error_rate", check_id=RATE_ID), version=None),
        ],
        firing=[FIRING],
        last_passing=("1.4.2", T0 + 300),
        current_version="1.5.0",
        runbook=RUNBOOK,
        runbook_link="docs/runbook.md",
    )
    base.update(overrides)
    return IncidentFacts(**base)


def _two_failing() -> IncidentFacts:
    down = check("health", "error", check_id=HEALTH_ID)
    return _facts(
        summary=_summary(
            _summary_check(RATE_ID, "error_rate", "failed", "P1", "api-error-spike"),
            _summary_check(HEALTH_ID, "health", "error", "P0", "application-down"),
        ),
        history=[run(T0 + 7200 + 61, down), run(T0, down)],
        firing=[],
    )


CASES = {
    "failing-and-firing": _facts,
    "no-passing-version": lambda: _facts(last_passing=None),
    "same-version-passed": lambda: _facts(last_passing=("1.5.0", T0 + 300)),
    "alert-only": lambda: _facts(
        summary=_summary(_summary_check(HEALTH_ID, "health", "passed", "P0", "application-down"))
    ),
    "two-failing-no-runbook-section": _two_failing,
    "unknown-version": lambda: _facts(current_version=None, firing=[]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_draft_is_the_one_rendered_before_the_split(name: str) -> None:
    expected = (EXPECTED / f"{name}.md").read_text(encoding="utf-8")
    assert render_incident(CASES[name]()) == expected


def test_render_is_format_of_derive() -> None:
    facts = _facts()
    assert render_incident(facts) == format_incident(derive_incident(facts))


def test_derived_facts_of_a_failing_run_with_a_firing_alert() -> None:
    derived = derive_incident(_facts())
    assert derived.severity == "P1"
    assert derived.now == T0 + 900
    assert derived.detected == T0 + 600  # the first failing run of the streak
    assert derived.title == "error_rate"
    assert derived.anchors == ("api-error-spike",)
    assert [c["id"] for c in derived.failing] == [RATE_ID]
    assert derived.last_passing == ("1.4.2", T0 + 300)
    assert not derived.same_version_passed


def test_the_most_severe_failing_check_sets_the_severity_and_both_runbooks_are_named() -> None:
    derived = derive_incident(_two_failing())
    assert derived.severity == "P0"
    assert derived.title == "error_rate, health"
    assert derived.anchors == ("api-error-spike", "application-down")
    assert [c["id"] for c in derived.failing] == [HEALTH_ID, RATE_ID]  # P0 first
    assert derived.detected == T0  # both runs failed: the streak starts at the older one


def test_an_alert_alone_titles_the_draft_and_dates_its_detection() -> None:
    derived = derive_incident(_facts(summary=_summary(), history=[run(T0 + 900, check("x"))]))
    assert derived.failing == ()
    assert derived.title == "error_rate"
    assert derived.detected == T0 + 600  # the alert's "since", not the passing run


def test_the_same_version_having_passed_means_a_rollback_alone_will_not_do() -> None:
    derived = derive_incident(_facts(last_passing=("1.5.0", T0 + 300)))
    assert derived.same_version_passed
    assert "| Rollback | not by itself: `1.5.0`" in format_incident(derived)
