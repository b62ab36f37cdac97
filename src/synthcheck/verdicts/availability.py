"""Runbook "Application Down": no response, or 5xx on every endpoint.

For a service that does not answer at all. An endpoint whose requests time out while
the service answers is slow, not down: that is latency's (a censored sample) and the
error rate's, and this check points there instead of failing a second time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from synthcheck.catalog import Category
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange, Preflight
from synthcheck.verdicts.result import CheckResult
from synthcheck.verdicts.samples import UNREACHABLE, count_phrase, outcome_breakdown

__all__ = [
    "DEADLINE_CUT",
    "UNREACHABLE",
    "endpoint_answers",
    "not_all_5xx",
    "not_sampled",
    "service_reachable",
]

AVAILABILITY = Category.AVAILABILITY
DEADLINE_CUT = "not sampled: the run deadline came first"
SLOW_NOT_DOWN = "judged as latency (slow-response-times) and error_rate"


def not_sampled(reachable: bool, cut: bool = False) -> str:
    """Why a check has no exchange to judge: "unreachable" only when it was."""
    if not reachable:
        return UNREACHABLE
    return DEADLINE_CUT if cut else "not sampled in this run"


def service_reachable(base_url: str, preflight: Preflight, probe_id: str) -> CheckResult:
    budget = "an HTTP response to the first probe (any status)"
    if preflight.reachable:
        answer = preflight.exchanges[-1]
        return CheckResult.passed(
            AVAILABILITY,
            f"{base_url} answers HTTP ({probe_id}: {answer.describe()})",
            endpoint=probe_id,
            budget=budget,
            observed=answer.describe(),
            sample_size=len(preflight.exchanges),
        )
    return CheckResult.failed(
        AVAILABILITY,
        f"no HTTP response from {base_url}",
        endpoint=probe_id,
        budget=budget,
        observed=preflight.reason,
        sample_size=len(preflight.exchanges),
        metrics={"attempts": len(preflight.exchanges)},
    )


def endpoint_answers(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    *,
    tripped: bool = False,
    reachable: bool = True,
    cut: bool = False,
) -> CheckResult:
    """At least one complete HTTP response; partial failures are error_rate's business.

    ``reachable``: the service answered the reachability check. Requests that all timed
    out then make a slow endpoint (skipped here, pointing at latency), not a down one.
    ``cut``: the run deadline stopped this endpoint's sampling.
    """
    budget = "at least one complete HTTP response"
    if not exchanges:
        if reachable and cut:
            return CheckResult.warned(
                AVAILABILITY,
                f"{target.id}: {DEADLINE_CUT}",
                endpoint=target.id,
                budget=budget,
                observed="0 samples",
                sample_size=0,
            )
        return CheckResult.skipped(AVAILABILITY, not_sampled(reachable, cut), endpoint=target.id)
    good = [e for e in exchanges if e.ok]
    breakdown = outcome_breakdown(exchanges)
    if good:
        return CheckResult.passed(
            AVAILABILITY,
            f"{target.id} answered {count_phrase(len(good), len(exchanges))}",
            endpoint=target.id,
            budget=budget,
            observed=breakdown,
            sample_size=len(exchanges),
        )
    if reachable and all(e.timed_out for e in exchanges):
        first = exchanges[0]
        return CheckResult.skipped(
            AVAILABILITY,
            f"{target.id}: {count_phrase(len(exchanges), len(exchanges))} timed out"
            f" ({first.error.message if first.error else 'timed out'}) while the service"
            f" answers elsewhere: slow, not down; {SLOW_NOT_DOWN}",
            endpoint=target.id,
            sample_size=len(exchanges),
        )
    note = "; sampling stopped after repeated transport failures" if tripped else ""
    return CheckResult.failed(
        AVAILABILITY,
        f"{target.id} never answered with a complete response",
        endpoint=target.id,
        budget=budget,
        observed=f"{breakdown} ({count_phrase(len(exchanges), len(exchanges))}){note}",
        sample_size=len(exchanges),
        details=list(dict.fromkeys(e.error.message for e in exchanges if e.error))[:3],
    )


def not_all_5xx(recorded: Mapping[str, Sequence[Exchange]]) -> CheckResult:
    """A proxy in front of a dead app answers, but only with 502/503/504 everywhere."""
    budget = "at least one endpoint answers without a 5xx"
    answered = {tid: [e for e in ex if e.status is not None] for tid, ex in recorded.items()}
    total = sum(len(v) for v in answered.values())
    if total == 0:
        return CheckResult.skipped(AVAILABILITY, UNREACHABLE)
    healthy = [tid for tid, ex in answered.items() if any(e.status < 500 for e in ex if e.status)]
    if healthy:
        return CheckResult.passed(
            AVAILABILITY,
            f"{len(healthy)} of {len(answered)} endpoints answer without 5xx",
            budget=budget,
            observed=f"{len(healthy)} of {len(answered)} endpoints",
            sample_size=total,
        )
    return CheckResult.failed(
        AVAILABILITY,
        "every endpoint answers 5xx",
        budget=budget,
        observed=", ".join(f"{tid}: {outcome_breakdown(ex)}" for tid, ex in answered.items() if ex),
        sample_size=total,
    )
