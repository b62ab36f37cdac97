"""Readiness, liveness, response size and data-contract verdicts."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path

from synthcheck.catalog import Category
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.verdicts.availability import UNREACHABLE
from synthcheck.verdicts.health import json_schema, status_code
from synthcheck.verdicts.result import CheckResult
from synthcheck.verdicts.samples import answered, count_phrase, no_answer

__all__ = ["data_schema", "liveness_fast", "ready", "response_size"]


def ready(target: ProbeTarget, exchanges: Sequence[Exchange]) -> CheckResult:
    """Ready means the expected status and, when the body says so, ``ready: true``."""
    result = status_code(target, exchanges, Category.READINESS)
    if result.outcome != "passed":
        return result
    not_ready = [
        e
        for e in answered(exchanges)
        if isinstance(e.json(), dict) and e.json().get("ready") is False
    ]
    if not_ready:
        return CheckResult.failed(
            Category.READINESS,
            f"{target.id} answered {not_ready[0].status} but says ready=false",
            endpoint=target.id,
            budget="ready=true",
            observed=f"ready=false ({count_phrase(len(not_ready), len(answered(exchanges)))})",
            sample_size=len(answered(exchanges)),
        )
    return result


def liveness_fast(
    target: ProbeTarget, exchanges: Sequence[Exchange], budget_ms: float
) -> CheckResult:
    """Liveness answers, and fast: orchestrators kill pods whose probe times out.

    Judged on the median so one scheduling hiccup on a busy runner does not fail a
    deploy; the latency checks judge the tail with confidence intervals.
    """
    status = status_code(target, exchanges, Category.LIVENESS)
    if status.outcome != "passed":
        return status
    times = [e.total_ms for e in answered(exchanges) if e.total_ms is not None]
    median = statistics.median(times)
    common = dict(
        endpoint=target.id,
        budget=f"median ≤ {budget_ms:g} ms",
        observed=f"median {median:.1f} ms, max {max(times):.1f} ms",
        sample_size=len(times),
        metrics={"median_ms": round(median, 2), "max_ms": round(max(times), 2)},
    )
    if median > budget_ms:
        return CheckResult.failed(
            Category.LIVENESS,
            f"{target.id} is slow: median {median:.0f} ms > {budget_ms:g} ms",
            **common,
        )
    return CheckResult.passed(
        Category.LIVENESS, f"{target.id} answers in {median:.1f} ms", **common
    )


def response_size(
    target: ProbeTarget, exchanges: Sequence[Exchange], budget_bytes: int
) -> CheckResult:
    """A body past the cap is cut off by the probe; a huge health body is an outage in waiting."""
    got = [e for e in exchanges if e.status is not None]
    if not got:
        return CheckResult.skipped(Category.RESPONSE_SIZE, no_answer(exchanges), endpoint=target.id)
    too_big = [e for e in got if e.body_truncated or (e.size or 0) > budget_bytes]
    largest = max((e.size or 0) for e in got)
    common = dict(
        endpoint=target.id,
        budget=f"body ≤ {budget_bytes:,} bytes",
        sample_size=len(got),
        metrics={"max_bytes": largest},
    )
    if too_big:
        cut = " (cut off by the probe)" if any(e.body_truncated for e in too_big) else ""
        return CheckResult.failed(
            Category.RESPONSE_SIZE,
            f"{target.id} body of {largest:,}+ bytes exceeds {budget_bytes:,}{cut}",
            observed=f"≥ {largest:,} bytes{cut} ({count_phrase(len(too_big), len(got))})",
            **common,
        )
    return CheckResult.passed(
        Category.RESPONSE_SIZE,
        f"{target.id} body ≤ {budget_bytes:,} bytes",
        observed=f"max {largest:,} bytes",
        **common,
    )


def data_schema(target: ProbeTarget, exchanges: Sequence[Exchange], schema: Path) -> CheckResult:
    """Successful data responses keep the shape clients parse (drift breaks them silently)."""
    if not exchanges:
        return CheckResult.skipped(Category.ERROR_RATE, UNREACHABLE, endpoint=target.id)
    return json_schema(target, exchanges, schema, Category.ERROR_RATE)
