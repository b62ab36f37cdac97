"""``data.fresh``: the newest observation is recent enough for the series' frequency.

The budget comes, first found wins, from ``[data] series_max_age_days``, FRED's own
series metadata, ``[data] series_frequency``, the body's frequency field, or the
median gap between the observation dates; a series FRED itself no longer updates
passes when the app serves FRED's newest observation.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from synthcheck.catalog import Category
from synthcheck.config.model import DataSettings
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange
from synthcheck.probe.upstream import SeriesReference
from synthcheck.verdicts.attribution import UPSTREAM_UNKNOWN, UpstreamHealth
from synthcheck.verdicts.data_answers import (
    NO_ANSWER,
    answers_of,
    asked_series,
    attributed,
    result_fields,
)
from synthcheck.verdicts.data_body import Observation, frequency_named, observations
from synthcheck.verdicts.result import CheckResult

__all__ = ["fresh"]

DATA = Category.DATA
_FREQUENCY_NAMES = {
    "D": "daily", "W": "weekly", "BW": "biweekly", "M": "monthly", "Q": "quarterly",
    "SA": "semiannual", "A": "annual",
}  # fmt: skip

# Median gap between observations (days) -> frequency, for bodies that do not say.
_GAP_LIMITS = ((3, "D"), (10, "W"), (20, "BW"), (45, "M"), (135, "Q"), (270, "SA"))


@dataclass(frozen=True)
class _Budget:
    days: float
    frequency: str | None
    source: str  # where the budget came from, for the message

    def text(self) -> str:
        name = _FREQUENCY_NAMES.get(self.frequency or "", "unknown-frequency")
        return f"newest observation ≤ {self.days:g} days old ({name} data; {self.source})"


def _inferred_frequency(rows: Sequence[Observation]) -> str | None:
    recent = rows[-7:]
    gaps = [(b.day - a.day).days for a, b in itertools.pairwise(recent)]
    if not gaps:
        return None
    median = statistics.median(gaps)
    return next((code for limit, code in _GAP_LIMITS if median <= limit), "A")


def _budget(
    series: str | None,
    body: Any,
    rows: Sequence[Observation],
    settings: DataSettings,
    reference: SeriesReference | None,
) -> _Budget:
    key = (series or "").upper()
    if key in settings.series_max_age_days:
        return _Budget(settings.series_max_age_days[key], None, "[data] series_max_age_days")
    found: list[tuple[str | None, str]] = [
        (reference.frequency if reference else None, "FRED series metadata"),
        (settings.series_frequency.get(key), "[data] series_frequency"),
        (frequency_named(body), "the body's frequency field"),
        (_inferred_frequency(rows), "inferred from the observation dates"),
    ]
    for code, source in found:
        if code and code in settings.max_age_days:
            return _Budget(settings.max_age_days[code], code, source)
    days = max(settings.max_age_days.values())
    return _Budget(days, None, "frequency unknown: the loosest budget")


def fresh(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    settings: DataSettings,
    today: date,
    reference: SeriesReference | None = None,
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
) -> CheckResult:
    """The newest observation of every answer is recent enough for the series."""
    answers = answers_of(exchanges)
    if not answers:
        return CheckResult.skipped(DATA, NO_ANSWER, endpoint=target.id)
    dated = [(body, rows) for _, body in answers if (rows := observations(body, settings))]
    if not dated:
        return CheckResult.skipped(
            DATA,
            "no dated observations found in the body (tried "
            f"{', '.join(settings.observations_paths)}; set [data] observations_paths)",
            endpoint=target.id,
        )
    series = asked_series(target)
    budget = _budget(series, dated[0][0], dated[0][1], settings, reference)
    newest = [rows[-1].day for _, rows in dated]
    stale = [d for d in newest if (today - d).days > budget.days]
    fred = reference.latest[0] if reference and reference.latest else None
    if stale and fred is not None and min(stale) >= fred:
        # As new as FRED's own newest: a series FRED no longer updates, not the app's fault.
        return CheckResult.passed(
            DATA,
            f"{series or 'the series'}: newest observation {min(stale).isoformat()} is as new"
            f" as FRED's ({fred.isoformat()}), though older than {budget.days:g} days",
            **result_fields(target, len(dated), budget.text(), observed=f"FRED's newest: {fred}"),
        )
    oldest = min(newest)
    age = (today - oldest).days
    common = result_fields(
        target,
        len(dated),
        budget.text(),
        metrics={"newest_age_days": age, "stale_answers": len(stale)},
    )
    name = series or "the series"
    if not stale:
        return CheckResult.passed(
            DATA,
            f"{name}: newest observation {max(newest).isoformat()} is fresh",
            observed=f"newest observation {age} days old (as of {today.isoformat()},"
            f" {len(dated)} answers)",
            **common,
        )
    result = CheckResult.failed(
        DATA,
        f"{name}: newest observation is {min(stale).isoformat()}, {age} days old, over"
        f" {budget.days:g} days in {len(stale)} of {len(dated)} answers: stale or fallback data",
        observed=f"newest observation {min(stale).isoformat()} ({age} days before"
        f" {today.isoformat()}) in {len(stale)} of {len(dated)} answers",
        **common,
    )
    return attributed(result, target, upstream)
