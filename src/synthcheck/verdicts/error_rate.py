"""Runbook "API Error Spike": error rate per endpoint and overall, decided by an SPRT.

An error is a transport failure (refused, reset, timeout...), a 5xx, or any status
outside the endpoint's ``expect_status`` except the 4xx the environment lists as
expected. The sequential test stops as soon as the verdict is clear; a failure says
which endpoints fail, with which statuses, and when in the run.

Judged on the service's traffic (data, page and other endpoints): health, readiness
and liveness probes have status checks of their own, and an endpoint that never
answered at all is the availability check's — one fault, one runbook section. A
timeout is an error here (and a censored latency sample there): an endpoint whose
requests all time out while the service answers is counted, per endpoint and overall.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from synthcheck.catalog import Category
from synthcheck.config import ErrorRateSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.stats import Decision, RatePolicy, RateVerdict, judge_rate
from synthcheck.verdicts.attribution import UPSTREAM_UNKNOWN, UpstreamHealth
from synthcheck.verdicts.availability import not_sampled
from synthcheck.verdicts.error_tally import ErrorTally, tally
from synthcheck.verdicts.result import CheckResult
from synthcheck.verdicts.timeline import LEGEND, timeline

__all__ = [
    "PROBE_ROLES",
    "ErrorTally",
    "judge",
    "judged",
    "overall",
    "per_endpoint",
    "policy",
    "tally",
]

ERROR_RATE = Category.ERROR_RATE
PROBE_ROLES = ("health", "ready", "live")
_INTERVAL = f"{RatePolicy().interval_confidence * 100:g} %"


def judged(target: ProbeTarget) -> bool:
    """Whether the error-rate check judges this endpoint (probes are judged elsewhere)."""
    return target.role not in PROBE_ROLES


def _never_answered(exchanges: Sequence[Exchange]) -> bool:
    """No complete response and not merely slow: the availability check's case.

    Requests that all timed out are the slow endpoint's errors and are counted.
    """
    return (
        bool(exchanges)
        and not any(e.ok for e in exchanges)
        and not all(e.timed_out for e in exchanges)
    )


DEADLINE_NOTE = "the run deadline cut sampling"


def policy(settings: ErrorRateSettings) -> RatePolicy:
    return RatePolicy(
        healthy_fraction=settings.healthy_fraction,
        failing_multiple=settings.failing_multiple,
        false_fail=settings.false_fail,
        false_pass=settings.false_pass,
    )


def _judge(count: ErrorTally, budget: float, settings: ErrorRateSettings) -> RateVerdict:
    return judge_rate(count.n, count.errors, budget, policy(settings))


def judge(
    target: ProbeTarget, exchanges: Sequence[Exchange], settings: ErrorRateSettings
) -> RateVerdict:
    """The endpoint's error-rate verdict against its own budget."""
    count = tally(target, exchanges, settings)
    return _judge(count, target.endpoint.budgets.error_rate, settings)


def _pct(value: float) -> str:
    return f"{value * 100:.1f} %"


def _budget_text(verdict: RateVerdict) -> str:
    text = f"error rate ≤ {verdict.budget * 100:g} %"
    test = verdict.test
    if test is None:
        return text
    return (
        f"{text} (sequential test: passes near {test.p0 * 100:.3g} %, fails near"
        f" {test.p1 * 100:.3g} %, {test.alpha * 100:g} % / {test.beta * 100:g} % risk)"
    )


def _observed(count: ErrorTally, verdict: RateVerdict) -> str:
    low, high = verdict.interval
    text = (
        f"{count.errors} of {count.n} failed: {_pct(verdict.rate)}"
        f" ({_INTERVAL} CI {_pct(low)} to {_pct(high)})"
    )
    return f"{text}: {count.breakdown()}" if count.errors else text


def _undecided(verdict: RateVerdict) -> str:
    return (
        f"inconclusive after {verdict.n} requests: {verdict.more_to_pass} more without an"
        f" error would pass it, {verdict.more_to_fail} more errors would fail it"
    )


def _metrics(count: ErrorTally, verdict: RateVerdict) -> dict[str, float | int | str | None]:
    low, high = verdict.interval
    return {
        "n": count.n,
        "errors": count.errors,
        "error_rate": round(verdict.rate, 5),
        "ci_low": round(low, 5),
        "ci_high": round(high, 5),
        "budget": verdict.budget,
        "decision": verdict.decision.value,
        "llr": round(verdict.test.llr(count.n, count.errors), 3) if verdict.test else None,
    }


def _details(
    count: ErrorTally,
    exchanges: Sequence[Exchange],
    span: tuple[float, float],
    warmups: int,
    sampling: str,
) -> list[str]:
    """The failures' timeline, the warm-up left out and how sampling went."""
    details = []
    if count.errors:
        failed = {seq for seq, _ in count.reasons}
        details.append(f"timeline {timeline(exchanges, failed, span)} ({LEGEND})")
    if warmups:
        details.append(f"warm-up: {warmups} request(s) not counted")
    if sampling:
        details.append(sampling)
    return details


def per_endpoint(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    settings: ErrorRateSettings,
    *,
    span: tuple[float, float],
    warmups: Sequence[Exchange] = (),
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
    sampling: str = "",
    reachable: bool = True,
    cut: bool = False,
    stopped: str | None = None,
) -> CheckResult:
    """``reachable``: the reachability check passed; ``cut``: the run deadline stopped
    this endpoint's sampling (an undecided verdict then says so); ``stopped``: why the
    recorder stopped sampling it early because another verdict was decided (a body over
    the size cap): undecided here, it points there instead of warning."""
    if not exchanges:
        if reachable and cut:
            return CheckResult.warned(
                ERROR_RATE, f"{target.id}: {not_sampled(reachable, cut)}", endpoint=target.id
            )
        return CheckResult.skipped(ERROR_RATE, not_sampled(reachable, cut), endpoint=target.id)
    count = tally(target, exchanges, settings)
    if _never_answered(exchanges):
        return CheckResult.skipped(
            ERROR_RATE,
            f"{target.id} never answered ({count.breakdown()}): see availability",
            endpoint=target.id,
            sample_size=count.n,
        )
    verdict = _judge(count, target.endpoint.budgets.error_rate, settings)
    common = dict(
        endpoint=target.id,
        budget=_budget_text(verdict),
        observed=_observed(count, verdict),
        sample_size=count.n,
        details=_details(count, exchanges, span, len(warmups), sampling),
        metrics=_metrics(count, verdict) | {"warmup_n": len(warmups)},
    )
    rate = f"error rate {_pct(verdict.rate)}"
    if verdict.decision == Decision.PASS:
        return CheckResult.passed(
            ERROR_RATE, f"{target.id}: {rate} within {verdict.budget * 100:g} %", **common
        )
    if verdict.decision == Decision.FAIL:
        message = f"{target.id}: {rate} > {verdict.budget * 100:g} % ({count.breakdown()})"
    elif stopped and "size cap" in stopped:
        return CheckResult.skipped(
            ERROR_RATE,
            f"{target.id}: not judged after {count.n} request(s): sampling stopped at the"
            " first body over the size cap (see response_size)",
            endpoint=target.id,
            sample_size=count.n,
        )
    else:
        message = f"{target.id}: {rate}, {_undecided(verdict)}"
        if cut:
            message = f"{message}; {DEADLINE_NOTE}"
    return upstream.unsettled(ERROR_RATE, target, verdict.decision, message, **common)


def overall(
    recorded: Mapping[ProbeTarget, Sequence[Exchange]],
    settings: ErrorRateSettings,
    budget: float,
    *,
    span: tuple[float, float],
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
    reachable: bool = True,
    cut: bool = False,
) -> CheckResult:
    """All endpoints pooled; those a failing upstream explains are left out and named.

    Endpoints that never answered are the availability check's and left out too (not
    those that only timed out: they are slow and count).
    """
    answering = {t: ex for t, ex in recorded.items() if ex and not _never_answered(ex)}
    pooled_in = {t: ex for t, ex in answering.items() if not upstream.explains(t)}
    excused = [t.id for t in answering if upstream.explains(t)]
    if not pooled_in:
        why = not_sampled(reachable, cut) if not excused else f"every endpoint is {upstream.note()}"
        return CheckResult.skipped(ERROR_RATE, why)
    counts = {t: tally(t, ex, settings) for t, ex in pooled_in.items()}
    pooled = ErrorTally(
        tuple(e for c in counts.values() for e in c.exchanges),
        tuple(r for c in counts.values() for r in c.reasons),
    )
    verdict = _judge(pooled, budget, settings)
    # Worst first: the endpoint to look at is the one that fails most often.
    failing = sorted(
        ((t, c) for t, c in counts.items() if c.errors), key=lambda tc: -tc[1].errors / tc[1].n
    )
    details = [
        f"{t.id}: {c.errors}/{c.n} ({c.breakdown()})"
        f" {timeline(c.exchanges, {s for s, _ in c.reasons}, span)}"
        for t, c in failing
    ]
    if failing:
        details.append(f"timelines: {LEGEND}")
    if excused:
        details.append(f"not counted, {upstream.note()}: {', '.join(excused)}")
    common = dict(
        budget=_budget_text(verdict),
        observed=f"{_observed(pooled, verdict)} over {len(counts)} endpoints",
        sample_size=pooled.n,
        details=details,
        metrics=_metrics(pooled, verdict) | {"endpoints": len(counts)},
    )
    rate = f"overall error rate {_pct(verdict.rate)}"
    if verdict.decision == Decision.PASS:
        return CheckResult.passed(ERROR_RATE, f"{rate} within {budget * 100:g} %", **common)
    where = ", ".join(f"{t.id} ({c.breakdown()})" for t, c in failing[:3])
    if verdict.decision == Decision.FAIL:
        return CheckResult.failed(
            ERROR_RATE, f"{rate} > {budget * 100:g} %; failing: {where}", **common
        )
    note = f"; {DEADLINE_NOTE}" if cut else ""
    return CheckResult.warned(ERROR_RATE, f"{rate}, {_undecided(verdict)}{note}", **common)
