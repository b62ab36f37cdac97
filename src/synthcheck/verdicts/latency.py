"""Runbook "Slow Response Times": P50/P95/P99 per endpoint with confidence bounds.

Response time is measured from the moment the request was sent to the last byte of
the body (httpx's trace: no client-side set-up in it). Only successful requests are
timed here; failed ones are the error-rate check's and are reported apart. A
quantile passes when its upper confidence bound is within budget, fails when its
lower bound is over it, and is otherwise inconclusive: a warning that says how many
more samples would decide (docs/statistics.md).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from synthcheck.catalog import Category, Severity
from synthcheck.config import Budgets, ErrorRateSettings, StatisticsSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.stats import Confidence, Decision, QuantileVerdict, judge_quantile, nearest_rank
from synthcheck.verdicts.attribution import UPSTREAM_UNKNOWN, UpstreamHealth
from synthcheck.verdicts.availability import UNREACHABLE
from synthcheck.verdicts.error_rate import failure
from synthcheck.verdicts.result import CheckResult, Metric

__all__ = ["QUANTILES", "Judgement", "judge", "overall", "response_ms", "response_time", "split"]

LATENCY = Category.LATENCY
# (label, quantile, the Budgets field that holds its budget; None = not judged)
QUANTILES = (("P50", 0.50, "p50_ms"), ("P95", 0.95, "p95_ms"), ("P99", 0.99, "p99_ms"))


def response_ms(exchange: Exchange) -> float | None:
    """Request sent → last body byte, from httpx's trace (no client-side set-up in it).

    Falls back to the client's own clock when there is no trace (a redirect chain:
    the whole exchange; no body span: the time from headers to the end of reading).
    """
    if exchange.total_ms is None:
        return None
    if exchange.redirects or exchange.server_ms is None or exchange.ttfb_ms is None:
        return exchange.total_ms
    body_ms = exchange.extra.get("body_ms")
    if not isinstance(body_ms, float):
        body_ms = max(exchange.total_ms - exchange.ttfb_ms, 0.0)
    return exchange.server_ms + body_ms


def split(
    target: ProbeTarget, exchanges: Sequence[Exchange], settings: ErrorRateSettings
) -> tuple[list[float], list[float]]:
    """(times of successful requests, times of failed ones): never judged together."""
    good: list[float] = []
    bad: list[float] = []
    for exchange in exchanges:
        ms = response_ms(exchange)
        if ms is None:
            continue
        failed = failure(exchange, target.endpoint.expect_status, settings.expected_4xx)
        (bad if failed else good).append(ms)
    return good, bad


def confidence(settings: StatisticsSettings) -> Confidence:
    return Confidence(pass_level=settings.confidence, fail_level=settings.fail_confidence)


@dataclass(frozen=True)
class Judgement:
    verdicts: tuple[tuple[str, QuantileVerdict], ...]  # ("P95", verdict) per budgeted quantile

    @property
    def decision(self) -> Decision:
        decisions = {v.decision for _, v in self.verdicts}
        if Decision.FAIL in decisions:
            return Decision.FAIL
        return Decision.PASS if decisions == {Decision.PASS} else Decision.INCONCLUSIVE

    @property
    def more_needed(self) -> int:
        return max((v.more_needed for _, v in self.verdicts), default=0)


def judge(times: Sequence[float], budgets: Budgets, settings: StatisticsSettings) -> Judgement:
    level = confidence(settings)
    verdicts = []
    for label, q, field_name in QUANTILES:
        budget = getattr(budgets, field_name)
        if budget is not None:
            verdicts.append((label, judge_quantile(times, q, float(budget), level)))
    return Judgement(tuple(verdicts))


def _ms(value: float | None) -> str:
    if value is None:
        return "∞"
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _pct(level: float) -> str:
    return f"{level * 100:g} %"


def _describe(label: str, v: QuantileVerdict) -> str:
    b = v.bounds
    return (
        f"{label} between {_ms(b.lower)} and {_ms(b.upper)} ({_pct(b.lower_confidence)} lower,"
        f" {_pct(b.upper_confidence)} upper bound), {v.over_budget} of {v.n} over {v.budget:g} ms"
    )


def _quantile_line(times: Sequence[float]) -> str:
    ordered = sorted(times)
    return ", ".join(f"{label} {_ms(nearest_rank(ordered, q))}" for label, q, _ in QUANTILES)


def _budget_text(budgets: Budgets, settings: StatisticsSettings) -> str:
    limits = [
        f"{label} ≤ {getattr(budgets, name):g} ms"
        for label, _, name in QUANTILES
        if getattr(budgets, name) is not None
    ]
    return (
        f"{', '.join(limits)}, critical {budgets.p95_critical_ms:g} ms (pass:"
        f" {_pct(settings.confidence)} upper bound within; fail:"
        f" {_pct(settings.fail_confidence)} lower bound over)"
    )


def _undecided(label: str, v: QuantileVerdict) -> str:
    def count(value: int | None, what: str) -> str:
        return f"more than 10,000 {what}" if value is None else f"{value} more {what}"

    return (
        f"{label} bounds {_ms(v.bounds.lower)} and {_ms(v.bounds.upper)} straddle {v.budget:g} ms"
        f" after {v.n} samples: {count(v.more_to_pass, 'within budget')} would pass it,"
        f" {count(v.more_to_fail, 'over budget')} would fail it"
    )


def _metrics(
    times: Sequence[float], failed: Sequence[float], judgement: Judgement
) -> dict[str, Metric]:
    ordered = sorted(times)
    metrics: dict[str, Metric] = {
        f"{label.lower()}_ms": round(nearest_rank(ordered, q), 3) for label, q, _ in QUANTILES
    }
    for label, v in judgement.verdicts:
        key = label.lower()
        metrics[f"{key}_lower_ms"] = round(v.bounds.lower, 3) if v.bounds.lower else None
        metrics[f"{key}_upper_ms"] = round(v.bounds.upper, 3) if v.bounds.upper else None
        metrics[f"{key}_budget_ms"] = v.budget
    metrics |= {
        "n": len(times),
        "failed_n": len(failed),
        "failed_p50_ms": round(statistics.median(failed), 3) if failed else None,
        "decision": judgement.decision.value,
        "samples_ms": quantile_sample(ordered),
    }
    return metrics


SAMPLE_SIZE = 100


def quantile_sample(ordered: Sequence[float], size: int = SAMPLE_SIZE) -> list[float]:
    """At most ``size`` values spread evenly over the sorted times: the distribution in
    miniature, kept in the history so a later run can be compared with this one."""
    if len(ordered) <= size:
        return [round(t, 2) for t in ordered]
    step = (len(ordered) - 1) / (size - 1)
    return [round(ordered[round(i * step)], 2) for i in range(size)]


def _side_notes(failed: Sequence[float], warmups: Sequence[Exchange]) -> list[str]:
    notes = []
    if failed:
        notes.append(
            f"{len(failed)} failed request(s) timed apart (see error_rate):"
            f" median {_ms(statistics.median(failed))}, max {_ms(max(failed))}"
        )
    warm = [ms for ms in (response_ms(e) for e in warmups) if ms is not None]
    if warm:
        notes.append(f"warm-up: {len(warm)} excluded ({', '.join(_ms(ms) for ms in warm[:5])})")
    return notes


def response_time(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    stats: StatisticsSettings,
    errors: ErrorRateSettings,
    *,
    category: Category = LATENCY,
    warmups: Sequence[Exchange] = (),
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
    sampling: str = "",
) -> CheckResult:
    if not exchanges:
        return CheckResult.skipped(category, UNREACHABLE, endpoint=target.id)
    times, failed = split(target, exchanges, errors)
    if not times:
        return CheckResult.skipped(
            category,
            f"{target.id}: no successful response to time ({len(failed)} failed: see error_rate)",
            endpoint=target.id,
            sample_size=0,
        )
    budgets = target.endpoint.budgets
    judgement = judge(times, budgets, stats)
    details = _side_notes(failed, warmups) + ([sampling] if sampling else [])
    common = dict(
        endpoint=target.id,
        budget=_budget_text(budgets, stats),
        observed=f"{_quantile_line(times)}; "
        + "; ".join(_describe(label, v) for label, v in judgement.verdicts),
        sample_size=len(times),
        details=details,
        metrics=_metrics(times, failed, judgement) | {"warmup_n": len(warmups)},
    )
    decision = judgement.decision
    if decision == Decision.PASS:
        p95 = dict(judgement.verdicts).get("P95")
        shown = f"P95 {_ms(p95.bounds.estimate)}" if p95 else _quantile_line(times)
        return CheckResult.passed(category, f"{target.id}: {shown} within budget", **common)
    if decision == Decision.FAIL:
        label, worst = next(lv for lv in judgement.verdicts if lv[1].decision == Decision.FAIL)
        message = (
            f"{target.id} is slow: {label} {_ms(worst.bounds.estimate)} > {worst.budget:g} ms"
            f" ({_pct(worst.bounds.lower_confidence)} lower bound {_ms(worst.bounds.lower)})"
        )
        critical = (
            label == "P95"
            and worst.bounds.lower is not None
            and worst.bounds.lower > budgets.p95_critical_ms
        )
        if critical and category == LATENCY:
            common["severity"] = Severity.P1
            message += f", over the critical {budgets.p95_critical_ms:g} ms"
    else:
        label, open_ = next(lv for lv in judgement.verdicts if lv[1].decision != Decision.PASS)
        message = f"{target.id}: {_undecided(label, open_)}"
    return upstream.unsettled(category, target, decision, message, **common)


def overall(
    recorded: Mapping[ProbeTarget, Sequence[Exchange]],
    stats: StatisticsSettings,
    errors: ErrorRateSettings,
    *,
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
) -> CheckResult:
    """Every endpoint pooled, each time divided by its own P95 budget.

    The pooled P95 of those ratios is within 1.0 exactly when at most 5 % of all
    requests were slower than their endpoint's budget, the service-level reading of
    the runbook's "P95 > 500 ms". Pooling gives a slow tail spread thinly over many
    endpoints (10 % of requests at 1.2 s) the samples it takes to show.
    """
    ratios: list[float] = []
    endpoints = 0
    excused = [t.id for t in recorded if upstream.explains(t)]
    for target, exchanges in recorded.items():
        if upstream.explains(target):
            continue
        times, _ = split(target, exchanges, errors)
        if times:
            endpoints += 1
            ratios += [ms / target.endpoint.budgets.p95_ms for ms in times]
    if not ratios:
        answered = any(recorded.values())
        why = "no successful response to time (see error_rate)" if answered else UNREACHABLE
        return CheckResult.skipped(LATENCY, why)
    verdict = judge_quantile(ratios, 0.95, 1.0, confidence(stats))
    b = verdict.bounds
    over = verdict.over_budget
    observed = (
        f"{over} of {len(ratios)} requests over their endpoint's P95 budget"
        f" ({over / len(ratios) * 100:.1f} %); pooled P95 at {b.estimate:.2f}x budget"
        f" ({_pct(b.lower_confidence)} lower bound {_ratio(b.lower)},"
        f" {_pct(b.upper_confidence)} upper bound {_ratio(b.upper)}) over {endpoints} endpoints"
    )
    common = dict(
        budget="at most 5 % of requests over their endpoint's P95 budget (pooled P95 ≤ 1.0x)",
        observed=observed,
        sample_size=len(ratios),
        details=[f"not counted, {upstream.note()}: {', '.join(excused)}"] if excused else [],
        metrics={
            "n": len(ratios),
            "over_budget": over,
            "p95_ratio": round(b.estimate or 0.0, 4),
            "p95_ratio_lower": round(b.lower, 4) if b.lower is not None else None,
            "p95_ratio_upper": round(b.upper, 4) if b.upper is not None else None,
            "endpoints": endpoints,
            "decision": verdict.decision.value,
        },
    )
    if verdict.decision == Decision.PASS:
        return CheckResult.passed(LATENCY, "pooled P95 within every endpoint's budget", **common)
    if verdict.decision == Decision.FAIL:
        return CheckResult.failed(
            LATENCY,
            f"slow tail: {over} of {len(ratios)} requests ({over / len(ratios) * 100:.1f} %)"
            " exceeded their endpoint's P95 budget; a P95 budget allows 5 %",
            **common,
        )
    return CheckResult.warned(
        LATENCY,
        f"pooled P95 inconclusive after {len(ratios)} samples: {verdict.more_to_pass} more"
        f" within budget would pass it, {verdict.more_to_fail} more over budget would fail it",
        **common,
    )


def _ratio(value: float | None) -> str:
    return "∞" if value is None else f"{value:.2f}x"
