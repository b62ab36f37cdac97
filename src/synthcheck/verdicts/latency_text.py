"""How the latency verdicts say what they saw: bounds, cut-offs, budgets, counts.

A cut-off (timed-out) sample is never printed as a measured time: it reads "≥ 10 s".
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from synthcheck.config import Budgets, StatisticsSettings
from synthcheck.plan import ProbeTarget
from synthcheck.stats import QuantileBounds, TailVerdict, censored_bounds

__all__ = [
    "QUANTILES",
    "at_least",
    "budget_text",
    "count",
    "describe",
    "enough_for_upper",
    "estimates",
    "failed",
    "ms",
    "pct",
    "quantile_line",
    "ratio",
    "samples_for_upper",
    "seconds",
    "share",
    "timed_out",
    "undecided",
]

# (label, quantile, the Budgets field that holds its budget; None = not judged)
QUANTILES = (("P50", 0.50, "p50_ms"), ("P95", 0.95, "p95_ms"), ("P99", 0.99, "p99_ms"))


def ms(value: float | None) -> str:
    if value is None:
        return "∞"
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def seconds(value_ms: float) -> str:
    return f"{value_ms / 1000:.3g} s"


def at_least(value: float | None, censored: bool) -> str:
    """A bound or estimate; a cut-off one reads "≥ 10 s", never as a measured time."""
    return f"≥ {seconds(value)}" if censored and value is not None else ms(value)


def pct(level: float) -> str:
    return f"{level * 100:g} %"


def timed_out(v: TailVerdict) -> str:
    return f", {v.censored} timed out" if v.censored else ""


def describe(label: str, v: TailVerdict) -> str:
    b = v.bounds
    counted = f"{v.over_budget} of {v.n} over {v.budget:g} ms{timed_out(v)}"
    if b.upper is not None and b.lower is not None and not b.lower_censored:
        return (
            f"{label} between {ms(b.lower)} and {ms(b.upper)} ({pct(b.lower_confidence)}"
            f" lower, {pct(b.upper_confidence)} upper bound), {counted}"
        )
    if b.lower is None:
        lower = f"no {pct(b.lower_confidence)} lower bound"
    else:
        shown = seconds(b.lower) if b.lower_censored else ms(b.lower)
        lower = f"≥ {shown} ({pct(b.lower_confidence)} lower bound)"
    if b.upper is not None:
        upper = f"≤ {ms(b.upper)} ({pct(b.upper_confidence)} upper bound)"
    elif v.censored and enough_for_upper(b):
        upper = f"no {pct(b.upper_confidence)} upper bound (it falls on a timed-out sample)"
    else:
        upper = (
            f"no {pct(b.upper_confidence)} upper bound below"
            f" {samples_for_upper(b.quantile, b.upper_confidence)} samples"
        )
    return f"{label} {lower}, {upper}, {counted}"


def samples_for_upper(q: float, level: float) -> int:
    """Fewest samples with an order-statistic upper bound: 1 - q^n >= level."""
    return math.ceil(math.log(1.0 - level) / math.log(q) - 1e-9)


def enough_for_upper(b: QuantileBounds) -> bool:
    return b.n >= samples_for_upper(b.quantile, b.upper_confidence)


def estimates(times: Sequence[float], floors: Sequence[float]) -> list[tuple[str, QuantileBounds]]:
    """Each quantile's nearest-rank estimate (the bounds' confidences do not matter)."""
    return [
        (label, censored_bounds(times, floors, q, lower_confidence=0.5, upper_confidence=0.5))
        for label, q, _ in QUANTILES
    ]


def quantile_line(times: Sequence[float], floors: Sequence[float]) -> str:
    return ", ".join(
        f"{label} {at_least(b.estimate, b.estimate_censored)}"
        for label, b in estimates(times, floors)
    )


def budget_text(budgets: Budgets, settings: StatisticsSettings) -> str:
    limits = [
        f"{label} ≤ {getattr(budgets, name):g} ms"
        for label, _, name in QUANTILES
        if getattr(budgets, name) is not None
    ]
    return (
        f"{', '.join(limits)}, critical {budgets.p95_critical_ms:g} ms; decided on the share"
        " of requests over budget (P95 allows 5 %): fails at most"
        f" {pct(settings.tail_false_fail)} of endpoints exactly on budget, passes once"
        f" {pct(settings.confidence)} sure the share is under"
        f" {settings.tail_failing_multiple:g}x the allowed one"
    )


def count(value: int | None, what: str) -> str:
    return f"more than 10,000 {what}" if value is None else f"{value} more {what}"


def undecided(label: str, v: TailVerdict) -> str:
    return (
        f"{label} undecided after {v.n} samples ({v.over_budget} over {v.budget:g} ms"
        f"{timed_out(v)}): {count(v.more_to_pass, 'within budget')} would pass it,"
        f" {count(v.more_to_fail, 'over budget')} would fail it"
    )


def share(v: TailVerdict) -> str:
    allowed = v.test.tail * 100
    return (
        f"{v.over_budget} of {v.n} over {v.budget:g} ms ({v.over_budget / v.n * 100:.1f} %;"
        f" the budget allows {allowed:g} %)"
    )


def failed(target: ProbeTarget, label: str, v: TailVerdict) -> str:
    b = v.bounds
    floor = b.lower if b.lower_censored else b.estimate if b.estimate_censored else None
    if floor is not None and floor > v.budget:
        head = f"{target.id} is slow: {label} {at_least(floor, True)} > {v.budget:g} ms"
        if v.over_budget == v.censored:
            return f"{head}: {v.censored} of {v.n} timed out"
        return f"{head}: {v.over_budget} of {v.n} over {v.budget:g} ms ({v.censored} timed out)"
    message = f"{target.id} is slow: {label} {ms(b.estimate)} > {v.budget:g} ms: {share(v)}"
    if b.lower is not None and b.lower > v.budget:
        message += f", {pct(b.lower_confidence)} lower bound {ms(b.lower)}"
    return message


def ratio(value: float | None, censored: bool = False) -> str:
    if value is None:
        return "∞"
    return f"≥ {value:.2f}x" if censored else f"{value:.2f}x"
