"""A load run's outcome → one :class:`CheckResult` per threshold, and one for resources.

Each lands as its own ``load`` entry in ``reports/summary.json``: what was expected
(the budget, overall and per endpoint), what was observed (worst endpoint first, with
the number of requests), and the command that runs the same load again.
"""

from __future__ import annotations

from dataclasses import dataclass

from synthcheck.catalog import Category
from synthcheck.config.model import LoadSettings
from synthcheck.load.loadrun import LoadOutcome
from synthcheck.load.thresholds import OVERALL, ThresholdOutcome
from synthcheck.verdicts import CheckResult, Outcome

__all__ = ["resources_verdict", "threshold_verdict"]

LOAD = Category.LOAD


@dataclass(frozen=True)
class _Wording:
    title: str
    budget: str  # format with {budget}
    runbook: str | None = None  # None: the load category's section


WORDING = {
    "failure_ratio": _Wording(
        "failure ratio",
        "failure ratio ≤ {budget:.1%} overall and per endpoint (a wrong status, a non-JSON"
        " body, a schema violation or no response counts as a failure)",
        runbook="api-error-spike",
    ),
    "p95": _Wording("P95", "P95 ≤ {budget:g} ms overall; each endpoint within its own P95 budget"),
    "p99": _Wording("P99", "P99 ≤ {budget:g} ms overall; each endpoint within its own P99 budget"),
    "min_rps": _Wording("throughput", "at least {budget:g} requests/s overall"),
}


def _figure(outcome: ThresholdOutcome) -> str:
    if outcome.observed is None:
        return f"{outcome.scope}: no requests"
    if outcome.threshold == "failure_ratio":
        return f"{outcome.scope}: {outcome.observed:.1%} ({outcome.failures} of {outcome.requests})"
    if outcome.threshold == "min_rps":
        return f"{outcome.scope}: {outcome.observed:.1f} req/s"
    if outcome.censored:
        return (
            f"{outcome.scope}: ≥ {outcome.observed:.0f} ms, {outcome.timeouts} of"
            f" {outcome.requests} timed out (budget {outcome.budget:g})"
        )
    return (
        f"{outcome.scope}: {outcome.observed:.0f} ms"
        f" (budget {outcome.budget:g}, n={outcome.requests})"
    )


def _no_results(load: LoadOutcome) -> CheckResult | None:
    if load.results is not None:
        return None
    why = "was interrupted before it" if load.interrupted else f"exited {load.exit_code} and"
    return CheckResult(
        LOAD,
        Outcome.ERROR,
        f"the load run {why} wrote no results: see {load.directory}/locust.log",
        budget="a completed locust run with results.json",
        observed=f"locust exit code {load.exit_code} after {load.seconds:.0f} s",
        details=load.log_tail[-3:],
        reproduce=load.command,
    )


def _note(load: LoadOutcome) -> str:
    if load.interrupted:
        return f" (interrupted after {load.seconds:.0f} s: partial figures)"
    if load.timed_out:
        return f" (stopped by the watchdog after {load.seconds:.0f} s)"
    return ""


def threshold_verdict(load: LoadOutcome, threshold: str) -> CheckResult:
    missing = _no_results(load)
    if missing is not None:
        return missing
    assert load.results is not None
    results = load.results
    judged = [o for o in results.outcomes(threshold) if o.state != "not_judged"]
    wording = WORDING[threshold]
    if not judged:
        return CheckResult.skipped(
            LOAD, f"{wording.title} is not judged: set [load] min_rps in the environment file"
        )
    overall = next(o for o in judged if o.scope == OVERALL)
    bad = [o for o in judged if o.state == "broken"]
    # The worst offender first: an endpoint before the overall figure it drags along.
    bad.sort(key=lambda o: (o.scope == OVERALL, o.scope))
    not_judged = [o.scope for o in results.outcomes(threshold) if o.state == "not_judged"]
    details = [o.line for o in bad] or [o.line for o in judged][:3]
    if threshold == "failure_ratio":
        details += [f"{e['occurrences']}x {e['request']}: {e['error']}" for e in results.errors]
    if not_judged:
        details.append(f"too few requests to judge alone: {', '.join(not_judged)}")
    common = dict(
        budget=wording.budget.format(budget=overall.budget),
        sample_size=results.total.requests,
        reproduce=load.command,
        runbook=wording.runbook,
        details=details,
        metrics={
            "overall": overall.observed,
            "budget": overall.budget,
            "requests": results.total.requests,
            "rps": round(results.total.rps, 2),
            "workers": results.workers,
            "profile": results.profile,
            "broken": len(bad),
        },
    )
    if bad:
        return CheckResult.failed(
            LOAD,
            f"{wording.title} under load broke its budget: {bad[0].line.split(': ', 1)[1]}"
            + _note(load),
            endpoint=None if bad[0].scope == OVERALL else bad[0].scope,
            observed="; ".join(_figure(o) for o in bad[:3]),
            **common,
        )
    # Cut short, "within budget" only covers what was measured: said, not passed.
    decide = CheckResult.warned if load.interrupted or load.timed_out else CheckResult.passed
    return decide(
        LOAD,
        f"{wording.title} under load within budget ({results.profile})" + _note(load),
        observed=_figure(overall) + f"; {len(judged) - 1} endpoint(s) judged, all within",
        **common,
    )


def resources_verdict(
    load: LoadOutcome, settings: LoadSettings, memory_percent: float
) -> CheckResult:
    """Runbook "High CPU Usage > 80 % sustained" and "Memory Leak", under load: warnings."""
    trend = load.trend
    budget = (
        f"CPU median ≤ {settings.cpu_percent:g} % under load; memory ≤ {memory_percent:g} %"
        f" and not growing > {settings.memory_growth_mib:g} MiB after the load stopped"
    )
    if trend is None or trend.empty:
        return CheckResult.skipped(
            LOAD,
            "no CPU/memory figures: no GET health endpoint answered with them and the target"
            " process is not on this machine",
            budget=budget,
        )
    common = dict(
        budget=budget,
        observed=trend.describe(),
        sample_size=trend.samples_during + trend.samples_after,
        reproduce=load.command,
        metrics={
            "cpu_median": trend.cpu_median,
            "cpu_peak": trend.cpu_peak,
            "memory_start_mib": trend.memory_start_mib,
            "memory_peak_mib": trend.memory_peak_mib,
            "growth_after_mib": trend.growth_after_mib,
            "memory_peak_percent": trend.memory_peak_percent,
            "source": trend.source,
        },
    )
    if trend.warnings:
        return CheckResult.warned(
            LOAD, "; ".join(trend.warnings) + _note(load), details=trend.warnings, **common
        )
    return CheckResult.passed(LOAD, "CPU and memory held up under load" + _note(load), **common)
