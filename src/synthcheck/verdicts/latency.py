"""Runbook "Slow Response Times": P50/P95/P99 per endpoint, decided sequentially.

Response time is measured from the moment the request was sent to the last byte of
the body (httpx's trace: no client-side set-up in it). Successful requests are
timed; a request cut off by a timeout is a sample "at least T" (censored) and counts
too: an endpoint that times out while the service answers elsewhere is slow, not
absent. Other failed requests are the error-rate check's and are reported apart.

"P95 <= budget" is "at most 5 % of requests over budget": the sequential tail test
(``stats/tail_test.py``) decides pass or fail as soon as it is sure, the
order-statistic interval is reported next to it, and an undecided verdict is a
warning that says how many more samples would decide (docs/statistics.md). Every
endpoint pooled into one service-level verdict: ``latency_pooled``.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from synthcheck.catalog import Category, Severity
from synthcheck.config import Budgets, ErrorRateSettings, StatisticsSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.probe.measure import response_ms, split
from synthcheck.stats import (
    Confidence,
    Decision,
    TailTest,
    TailVerdict,
    judge_tail,
    tail_test,
)
from synthcheck.verdicts import latency_text as text
from synthcheck.verdicts.attribution import UPSTREAM_UNKNOWN, UpstreamHealth
from synthcheck.verdicts.availability import not_sampled
from synthcheck.verdicts.latency_text import QUANTILES
from synthcheck.verdicts.result import CheckResult, Metric
from synthcheck.verdicts.samples import outcome_breakdown

__all__ = [
    "QUANTILES",
    "Judgement",
    "cut_off",
    "judge",
    "response_time",
    "tail_test_for",
]

LATENCY = Category.LATENCY
NOTHING_POOLED = "no measured request was sent before sampling stopped"
DEADLINE_NOTE = "the run deadline cut its sampling short"


def cut_off(exchanges: Sequence[Exchange]) -> list[float]:
    """The cut-off times (ms) of timed-out requests: each a latency "at least T"."""
    return [ms for ms in (e.censored_ms for e in exchanges) if ms is not None]


def confidence(settings: StatisticsSettings) -> Confidence:
    return Confidence(pass_level=settings.confidence, fail_level=settings.fail_confidence)


@lru_cache(maxsize=64)
def _test(q: float, false_fail: float, false_pass: float, multiple: float) -> TailTest:
    return tail_test(q, false_fail=false_fail, false_pass=false_pass, failing_multiple=multiple)


def tail_test_for(q: float, settings: StatisticsSettings) -> TailTest:
    """The sequential test of quantile ``q`` under the environment's settings."""
    return _test(
        q, settings.tail_false_fail, 1.0 - settings.confidence, settings.tail_failing_multiple
    )


@dataclass(frozen=True)
class Judgement:
    verdicts: tuple[tuple[str, TailVerdict], ...]  # ("P95", verdict) per budgeted quantile

    @property
    def decision(self) -> Decision:
        decisions = {v.decision for _, v in self.verdicts}
        if Decision.FAIL in decisions:
            return Decision.FAIL
        return Decision.PASS if decisions == {Decision.PASS} else Decision.INCONCLUSIVE

    @property
    def more_needed(self) -> int:
        return max((v.more_needed for _, v in self.verdicts), default=0)


def judge(
    times: Sequence[float],
    budgets: Budgets,
    settings: StatisticsSettings,
    floors: Sequence[float] = (),
) -> Judgement:
    level = confidence(settings)
    verdicts = []
    for label, q, field_name in QUANTILES:
        budget = getattr(budgets, field_name)
        if budget is not None:
            test = tail_test_for(q, settings)
            verdicts.append((label, judge_tail(times, q, float(budget), test, level, floors)))
    return Judgement(tuple(verdicts))


def _metrics(
    times: Sequence[float], floors: Sequence[float], failed: Sequence[float], judgement: Judgement
) -> dict[str, Metric]:
    metrics: dict[str, Metric] = {}
    for label, b in text.estimates(times, floors):
        key = f"{label.lower()}_ms"
        # A cut-off is not a measurement: history and Prometheus never see it as one.
        metrics[key] = None if b.estimate_censored else round(b.estimate or 0.0, 3)
        if b.estimate_censored:
            metrics[f"{label.lower()}_at_least_ms"] = round(b.estimate or 0.0, 3)
    for label, v in judgement.verdicts:
        key = label.lower()
        lower = v.bounds.lower
        metrics[f"{key}_lower_ms"] = round(lower, 3) if lower else None
        metrics[f"{key}_upper_ms"] = round(v.bounds.upper, 3) if v.bounds.upper else None
        metrics[f"{key}_budget_ms"] = v.budget
        metrics[f"{key}_over_budget"] = v.over_budget
    metrics |= {
        "n": len(times) + len(floors),
        "timed_out_n": len(floors),
        "failed_n": len(failed),
        "failed_p50_ms": round(statistics.median(failed), 3) if failed else None,
        "decision": judgement.decision.value,
        "samples_ms": quantile_sample(sorted(times)),
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


def _side_notes(
    failed: Sequence[float], floors: Sequence[float], warmups: Sequence[Exchange]
) -> list[str]:
    notes = []
    if floors:
        notes.append(
            f"{len(floors)} request(s) timed out, counted as at least their cut-off"
            f" ({text.seconds(min(floors))} to {text.seconds(max(floors))}; also in error_rate)"
        )
    if failed:
        notes.append(
            f"{len(failed)} failed request(s) timed apart (see error_rate):"
            f" median {text.ms(statistics.median(failed))}, max {text.ms(max(failed))}"
        )
    warm = [ms for ms in (response_ms(e) for e in warmups) if ms is not None]
    if warm:
        notes.append(f"warm-up: {len(warm)} excluded ({', '.join(text.ms(ms) for ms in warm[:5])})")
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
    reachable: bool = True,
    cut: bool = False,
) -> CheckResult:
    """``reachable``: availability.reachable passed ("unreachable" only when it did not);
    ``cut``: the run deadline stopped this endpoint's sampling."""
    if not exchanges:
        why = not_sampled(reachable, cut)
        return CheckResult.skipped(category, f"{target.id}: {why}", endpoint=target.id)
    times, failed = split(target, exchanges, errors)
    floors = cut_off(exchanges)
    if not times and not floors:
        return CheckResult.skipped(
            category,
            f"{target.id}: no successful response to time"
            f" ({outcome_breakdown(exchanges)}: see error_rate)",
            endpoint=target.id,
            sample_size=0,
        )
    budgets = target.endpoint.budgets
    judgement = judge(times, budgets, stats, floors)
    details = _side_notes(failed, floors, warmups) + ([sampling] if sampling else [])
    common = dict(
        endpoint=target.id,
        budget=text.budget_text(budgets, stats),
        observed=f"{text.quantile_line(times, floors)}; "
        + "; ".join(text.describe(label, v) for label, v in judgement.verdicts),
        sample_size=len(times) + len(floors),
        details=details,
        metrics=_metrics(times, floors, failed, judgement) | {"warmup_n": len(warmups)},
    )
    decision = judgement.decision
    if decision == Decision.PASS:
        p95 = dict(judgement.verdicts).get("P95")
        shown = (
            f"P95 {text.at_least(p95.bounds.estimate, p95.bounds.estimate_censored)}"
            if p95
            else text.quantile_line(times, floors)
        )
        return CheckResult.passed(category, f"{target.id}: {shown} within budget", **common)
    message, critical = _unsettled(target, judgement, budgets, category, cut)
    if critical:
        common["severity"] = Severity.P1
    return upstream.unsettled(category, target, decision, message, **common)


def _unsettled(
    target: ProbeTarget, judgement: Judgement, budgets: Budgets, category: Category, cut: bool
) -> tuple[str, bool]:
    """The message of a failed or undecided endpoint, and whether its P95 is surely over
    the critical budget (the runbook's alert line: P1)."""
    if judgement.decision == Decision.FAIL:
        label, worst = next(lv for lv in judgement.verdicts if lv[1].decision == Decision.FAIL)
        message = text.failed(target, label, worst)
        lower = worst.bounds.lower
        critical = label == "P95" and lower is not None and lower > budgets.p95_critical_ms
        if critical and category == LATENCY:
            return f"{message}, over the critical {budgets.p95_critical_ms:g} ms", True
        return message, False
    label, open_ = next(lv for lv in judgement.verdicts if lv[1].decision != Decision.PASS)
    message = f"{target.id}: {text.undecided(label, open_)}"
    return (f"{message} ({DEADLINE_NOTE})" if cut else message), False
