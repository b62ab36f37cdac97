"""Runbook "Application Down": ``/api/health`` status, content type, schema and verdict.

A health endpoint can fail while answering 200: ``{"status": "unhealthy"}``, a failing
sub-check, or a body whose shape drifted so that dashboards and load balancers
misread it. Each of those is its own check so the summary says which one it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from synthcheck.catalog import Category
from synthcheck.config import HealthSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.verdicts.attribution import UPSTREAM_UNKNOWN, UpstreamHealth
from synthcheck.verdicts.availability import UNREACHABLE
from synthcheck.verdicts.jsonbody import lookup, schema_problem
from synthcheck.verdicts.result import CheckResult
from synthcheck.verdicts.samples import answered, count_phrase, outcome_breakdown

__all__ = [
    "classify_status",
    "content_type",
    "head_ok",
    "json_schema",
    "overall_status",
    "status_code",
    "sub_checks",
]

HEALTH = Category.HEALTH


def _no_answer(
    category: Category, target: ProbeTarget, exchanges: Sequence[Exchange]
) -> CheckResult:
    why = (
        UNREACHABLE
        if not exchanges
        else (f"no complete response to judge ({outcome_breakdown(exchanges)}): see availability")
    )
    return CheckResult.skipped(category, why, endpoint=target.id, sample_size=len(exchanges))


def status_code(
    target: ProbeTarget, exchanges: Sequence[Exchange], category: Category = HEALTH
) -> CheckResult:
    expected = target.endpoint.expect_status
    got = answered(exchanges)
    if not got:
        return _no_answer(category, target, exchanges)
    bad = [e for e in got if e.status not in expected]
    budget = f"status in {', '.join(map(str, expected))}"
    common = dict(endpoint=target.id, budget=budget, sample_size=len(got))
    if bad:
        return CheckResult.failed(
            category,
            f"{target.id} answered {outcome_breakdown(bad)}",
            observed=f"{outcome_breakdown(got)} ({count_phrase(len(bad), len(got))} unexpected)",
            **common,
        )
    return CheckResult.passed(
        category, f"{target.id} answered {expected}", observed=outcome_breakdown(got), **common
    )


def content_type(
    target: ProbeTarget, exchanges: Sequence[Exchange], category: Category = HEALTH
) -> CheckResult:
    wanted = (target.endpoint.content_type or "application/json").lower()
    got = answered(exchanges)
    if not got:
        return _no_answer(category, target, exchanges)
    seen = sorted({e.content_type or "(none)" for e in got})
    bad = [e for e in got if not _type_matches(e.content_type, wanted)]
    common = dict(endpoint=target.id, budget=f"Content-Type {wanted}", sample_size=len(got))
    if bad:
        return CheckResult.failed(
            category,
            f"{target.id} served {', '.join(seen)} instead of {wanted}",
            observed=f"{', '.join(seen)} ({count_phrase(len(bad), len(got))})",
            **common,
        )
    return CheckResult.passed(
        category, f"{target.id} serves {wanted}", observed=", ".join(seen), **common
    )


def _type_matches(actual: str, wanted: str) -> bool:
    # application/problem+json and friends are JSON too.
    if wanted == "application/json":
        return actual == wanted or actual.endswith("+json")
    return actual == wanted


def json_schema(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    schema: Path,
    category: Category = HEALTH,
) -> CheckResult:
    # A body cut off at the size cap cannot be judged here; response_size reports it.
    got = [
        e
        for e in answered(exchanges)
        if e.status is not None and e.status < 300 and not e.body_truncated
    ]
    if not got:
        return _no_answer(category, target, exchanges)
    budget = f"body valid against {schema.name}"
    problems: list[str] = []
    for exchange in got:
        parsed, body, why = exchange.json_result
        problem = schema_problem(body, schema) if parsed else why
        if problem:
            problems.append(problem)
    common = dict(endpoint=target.id, budget=budget, sample_size=len(got))
    if problems:
        return CheckResult.failed(
            category,
            f"{target.id} body does not match its schema: {problems[0]}",
            observed=f"{problems[0]} ({count_phrase(len(problems), len(got))})",
            details=sorted(set(problems))[:5],
            **common,
        )
    return CheckResult.passed(
        category, f"{target.id} body matches {schema.name}", observed="valid", **common
    )


def classify_status(value: Any, settings: HealthSettings) -> str:
    """``healthy`` / ``degraded`` / ``failing`` / ``unknown`` for one status value."""
    if isinstance(value, bool):
        return "healthy" if value else "failing"
    if isinstance(value, dict):
        for key in ("status", "state", "healthy"):
            if key in value:
                return classify_status(value[key], settings)
        return "unknown"
    if isinstance(value, list):
        states = [classify_status(v, settings) for v in value] or ["unknown"]
        for worst in ("failing", "unknown", "degraded"):
            if worst in states:
                return worst
        return "healthy"
    if not isinstance(value, str):
        return "unknown"
    lowered = value.strip().lower()
    if lowered in settings.healthy_values:
        return "healthy"
    if lowered in settings.degraded_values:
        return "degraded"
    return "failing"


def sub_checks(body: Any, settings: HealthSettings) -> dict[str, str]:
    """Every named sub-check and its state: dicts, lists of objects, strings, booleans."""
    found: dict[str, str] = {}
    for field_name in settings.checks_fields:
        container = lookup(body, field_name)
        if isinstance(container, dict):
            items = list(container.items())
        elif isinstance(container, list):
            items = [
                (
                    str(i.get("name") or i.get("componentId") or n)
                    if isinstance(i, dict)
                    else str(n),
                    i,
                )
                for n, i in enumerate(container)
            ]
        else:
            continue
        for name, value in items:
            found[f"{field_name}.{name}"] = classify_status(value, settings)
    return found


# Sub-checks that report on the FRED upstream; when the harness's own probe shows FRED
# failing, their failure is FRED's, not the app's (see verdicts/attribution.py).
_UPSTREAM_WORDS = ("fred", "upstream")


def _upstream_only(failing: Sequence[str]) -> bool:
    return bool(failing) and all(
        any(w in name.lower() for w in _UPSTREAM_WORDS) for name in failing
    )


def _version(bodies: Sequence[Any]) -> str | None:
    """The service version the health body reports (kept in history for rollbacks)."""
    for body in bodies:
        value = lookup(body, "version") if isinstance(body, dict) else None
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value):
            return str(value)
    return None


def overall_status(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    settings: HealthSettings,
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
) -> CheckResult:
    got = [e for e in answered(exchanges) if e.json() is not None]
    if not got:
        return _no_answer(HEALTH, target, exchanges)
    healthy = "|".join(settings.healthy_values[:4])
    budget = f"{settings.status_field} in {healthy}… and no failing sub-check"
    rank = {"healthy": 0, "degraded": 1, "unknown": 2, "failing": 3}
    worst_state, worst_note, bad = "healthy", "", 0
    attributed = True  # every failing sample's failures are the upstream's
    for exchange in got:
        body = exchange.json()
        status = lookup(body, settings.status_field)
        state = classify_status(status, settings) if status is not None else "unknown"
        subs = sub_checks(body, settings)
        failing = sorted(k for k, v in subs.items() if v == "failing")
        degraded = sorted(k for k, v in subs.items() if v == "degraded")
        if failing and state != "failing":
            attributed &= upstream.failing and _upstream_only(failing)
            state = "failing"
        elif state in ("failing", "unknown"):
            attributed = False
        elif degraded and state == "healthy":
            state = "degraded"
        note = f"{settings.status_field}={status!r}"
        if failing:
            note += f"; failing: {', '.join(failing)}"
        if degraded:
            note += f"; degraded: {', '.join(degraded)}"
        if rank[state] > rank[worst_state] or not worst_note:
            worst_state, worst_note = state, note
        bad += state != "healthy"
    common = dict(
        endpoint=target.id,
        budget=budget,
        sample_size=len(got),
        metrics={"version": _version([e.json() for e in got])},
    )
    observed = f"{worst_note} ({count_phrase(bad, len(got))} not healthy)"
    if worst_state == "failing" and attributed:
        # The service is up and says its FRED dependency fails, and our own probe of
        # FRED agrees: one root cause, reported once, under upstream.
        return CheckResult.warned(
            HEALTH,
            f"{target.id} reports {worst_note}: {upstream.note()}",
            observed=observed,
            **common,
        )
    if worst_state in ("failing", "unknown") or (
        worst_state == "degraded" and settings.degraded_is_failure
    ):
        return CheckResult.failed(
            HEALTH, f"{target.id} reports {worst_note}", observed=observed, **common
        )
    if worst_state == "degraded":
        return CheckResult.warned(
            HEALTH, f"{target.id} reports degraded: {worst_note}", observed=observed, **common
        )
    return CheckResult.passed(HEALTH, f"{target.id} reports healthy", observed=worst_note, **common)


def head_ok(target: ProbeTarget, exchanges: Sequence[Exchange]) -> CheckResult:
    """HEAD must answer like GET but without a body (load balancers use it)."""
    got = answered(exchanges)
    if not got:
        return _no_answer(HEALTH, target, exchanges)
    expected = target.endpoint.expect_status
    bad_status = [e for e in got if e.status not in expected]
    with_body = [e for e in got if e.body]
    common = dict(
        endpoint=target.id, budget=f"status in {expected}, empty body", sample_size=len(got)
    )
    if bad_status or with_body:
        what = (
            outcome_breakdown(bad_status) if bad_status else f"a {len(with_body[0].body)}-byte body"
        )
        return CheckResult.failed(HEALTH, f"{target.id} answered {what}", observed=what, **common)
    return CheckResult.passed(
        HEALTH, f"{target.id} answered without a body", observed=outcome_breakdown(got), **common
    )
