"""Runbook "Application Down": ``/api/health`` status, content type, schema and verdict.

A health endpoint can fail while answering 200: ``{"status": "unhealthy"}``, a failing
sub-check, or a body whose shape drifted so that dashboards and load balancers
misread it. Each of those is its own check so the summary says which one it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from synthcheck.catalog import Category
from synthcheck.config import builtin_schema
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.verdicts.health_formats import detect
from synthcheck.verdicts.health_verdict import body_verdict, no_answer, overall_status
from synthcheck.verdicts.jsonbody import schema_problem
from synthcheck.verdicts.result import CheckResult
from synthcheck.verdicts.samples import answered, count_phrase, outcome_breakdown

__all__ = [
    "body_verdict",
    "content_type",
    "head_ok",
    "json_schema",
    "overall_status",
    "status_code",
]

HEALTH = Category.HEALTH


def status_code(
    target: ProbeTarget, exchanges: Sequence[Exchange], category: Category = HEALTH
) -> CheckResult:
    expected = target.endpoint.expect_status
    got = answered(exchanges)
    if not got:
        return no_answer(category, target, exchanges)
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
    """The Content-Type the endpoint promises: wrong types fail, a missing one warns.

    HTML where JSON is wanted fails (a catch-all route). With no content_type
    configured, a health endpoint may also answer its format's own text (Kubernetes
    ``ok`` lines, ASP.NET ``Healthy``) as text/plain. A body served without any
    Content-Type, or a readable health body under another type, warns.
    """
    configured = target.endpoint.content_type
    wanted = (configured or "application/json").lower()
    got = answered(exchanges)
    if not got:
        return no_answer(category, target, exchanges)
    seen = sorted({e.content_type or "(none)" for e in got})
    bad = [e for e in got if not _type_ok(e, wanted, configured is None)]
    common = dict(endpoint=target.id, budget=f"Content-Type {wanted}", sample_size=len(got))
    if not bad:
        return CheckResult.passed(
            category, f"{target.id} serves {wanted}", observed=", ".join(seen), **common
        )
    observed = f"{', '.join(seen)} ({count_phrase(len(bad), len(got))})"
    if any(_type_fails(e, wanted) for e in bad):
        return CheckResult.failed(
            category,
            f"{target.id} served {', '.join(seen)} instead of {wanted}",
            observed=observed,
            **common,
        )
    missing = any(not e.content_type for e in bad)
    why = "without a Content-Type" if missing else f"as {', '.join(seen)}"
    return CheckResult.warned(
        category,
        f"{target.id} serves a readable body {why}, not {wanted}: clients that check the"
        " type may reject it",
        observed=observed,
        **common,
    )


def _type_matches(actual: str, wanted: str) -> bool:
    # application/problem+json and friends are JSON too.
    if wanted == "application/json":
        return actual == wanted or actual.endswith("+json")
    return actual == wanted


def _type_ok(exchange: Exchange, wanted: str, native_text_ok: bool) -> bool:
    if _type_matches(exchange.content_type, wanted):
        return True
    native = exchange.content_type == "text/plain" and detect(exchange) in ("kubernetes", "aspnet")
    return native_text_ok and native


def _type_fails(exchange: Exchange, wanted: str) -> bool:
    """A mismatch that fails rather than warns: HTML, an error answer, an unreadable body."""
    if "html" in exchange.content_type or detect(exchange) == "html":
        return "html" not in wanted
    if exchange.status is None or exchange.status >= 300:
        return True
    if not exchange.content_type:
        return False
    return detect(exchange) in ("text", "none")


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
        return no_answer(category, target, exchanges)
    budget = f"body valid against {schema.name}"
    problems: list[str] = []
    # builtin:health accepts every standard shape, the text ones included.
    text_ok = schema == builtin_schema("health")
    # Samples of one endpoint mostly carry the same bytes: validate each distinct body
    # once (a data body with thousands of observations costs milliseconds a time).
    judged: dict[tuple[str, bytes], str | None] = {}
    for exchange in got:
        key = (exchange.content_type, exchange.body)
        if key not in judged:
            parsed, body, why = exchange.json_result
            if not parsed and text_ok and detect(exchange) in ("kubernetes", "aspnet"):
                judged[key] = None
            else:
                judged[key] = schema_problem(body, schema) if parsed else why
        if problem := judged[key]:
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


def head_ok(target: ProbeTarget, exchanges: Sequence[Exchange]) -> CheckResult:
    """HEAD must answer like GET but without a body (load balancers use it)."""
    got = answered(exchanges)
    if not got:
        return no_answer(HEALTH, target, exchanges)
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
