"""What a health, readiness or liveness body says of itself, judged.

``overall_status`` reads ``/api/health``: the HTTP code first, then the body's own
verdict in any of the formats the harness parses (health_formats.py); one failing
component fails, a degraded one warns, a FRED failure our own probe confirms is
reported once, under upstream. ``body_verdict`` catches a 2xx readiness or liveness
probe whose body says it is down.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synthcheck.catalog import Category
from synthcheck.config import HealthSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.verdicts.attribution import UPSTREAM_UNKNOWN, UpstreamHealth
from synthcheck.verdicts.availability import UNREACHABLE
from synthcheck.verdicts.health_formats import parse_answer
from synthcheck.verdicts.health_judge import judge
from synthcheck.verdicts.health_model import body_version
from synthcheck.verdicts.result import CheckResult
from synthcheck.verdicts.samples import answered, count_phrase, outcome_breakdown

__all__ = ["body_verdict", "no_answer", "overall_status"]

HEALTH = Category.HEALTH


def no_answer(
    category: Category, target: ProbeTarget, exchanges: Sequence[Exchange]
) -> CheckResult:
    why = (
        UNREACHABLE
        if not exchanges
        else (f"no complete response to judge ({outcome_breakdown(exchanges)}): see availability")
    )
    return CheckResult.skipped(category, why, endpoint=target.id, sample_size=len(exchanges))


def _version(bodies: Sequence[Any]) -> str | None:
    """The service version the health body reports (kept in history for rollbacks)."""
    for body in bodies:
        found = body_version(body)
        if found:
            return found
    return None


def overall_status(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    settings: HealthSettings,
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
) -> CheckResult:
    """The HTTP code first, then the body's own verdict where the harness reads one.

    A failing component fails (named); a degraded one warns; a 2xx answer whose body
    carries no verdict is judged by its code alone (docs/health-formats.md).
    """
    got = [e for e in answered(exchanges) if not e.body_truncated]
    if not got:
        return no_answer(HEALTH, target, exchanges)
    answers = [parse_answer(e, settings) for e in got]
    judged = [judge(a, settings, upstream) for a in answers]
    rank = {"pass": 0, "warn": 1, "fail": 2}
    worst_one = max(judged, key=lambda j: rank[j.state])
    bad = sum(j.state != "pass" for j in judged)
    formats = sorted({a.format for a in answers})
    common = dict(
        endpoint=target.id,
        budget="HTTP 2xx and no failing status or component in the body",
        sample_size=len(got),
        metrics={"version": _version([e.json() for e in got]), "health_format": formats[0]},
    )
    observed = f"{worst_one.note} ({count_phrase(bad, len(got))} not healthy)"
    failing = [j for j in judged if j.state == "fail"]
    if failing and all(j.attributed for j in failing):
        # The service is up and says its FRED dependency fails, and our own probe of
        # FRED agrees: one root cause, reported once, under upstream.
        return CheckResult.warned(
            HEALTH,
            f"{target.id} reports {worst_one.note}: {upstream.note()}",
            observed=observed,
            **common,
        )
    if failing:
        return CheckResult.failed(
            HEALTH, f"{target.id} reports {failing[0].note}", observed=observed, **common
        )
    if worst_one.state == "warn":
        return CheckResult.warned(
            HEALTH, f"{target.id} reports {worst_one.note}", observed=observed, **common
        )
    return CheckResult.passed(
        HEALTH, f"{target.id} reports healthy", observed=worst_one.note, **common
    )


def body_verdict(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    settings: HealthSettings,
    category: Category = Category.READINESS,
) -> CheckResult:
    """What a 2xx readiness/liveness body says of itself (its code is judged elsewhere).

    ``{"status": "DOWN"}`` or ``[-]etcd failed`` served with 200 is a probe that
    lies to the orchestrator: fail naming the component; degraded warns.
    """
    got = [e for e in answered(exchanges) if e.status is not None and 200 <= e.status < 300]
    if not got:
        return CheckResult.skipped(
            category,
            "no 2xx answer whose body to read (the status code is judged apart)",
            endpoint=target.id,
            sample_size=len(exchanges),
        )
    judged = [judge(parse_answer(e, settings), settings, UPSTREAM_UNKNOWN) for e in got]
    failing = [j for j in judged if j.state == "fail"]
    warning = [j for j in judged if j.state == "warn"]
    common = dict(
        endpoint=target.id,
        budget="no failing status or component in a 2xx body",
        sample_size=len(got),
    )
    worst_one = (failing or warning or judged)[0]
    observed = f"{worst_one.note} ({count_phrase(len(failing) + len(warning), len(got))})"
    if failing:
        return CheckResult.failed(
            category,
            f"{target.id} answered 2xx but reports {worst_one.note}",
            observed=observed,
            **common,
        )
    if warning:
        return CheckResult.warned(
            category, f"{target.id} reports {worst_one.note}", observed=observed, **common
        )
    return CheckResult.passed(
        category, f"{target.id} body agrees with its status", observed=worst_one.note, **common
    )
