"""Runbook "API Error Spike" (external API issue: fallback/caching): is the data right?

A data endpoint can answer 200 ``success: true`` and still serve the wrong product:
another series than the one asked, a stale fallback copy while FRED is down, or
values that are not FRED's. Each verdict reads the recorded 2xx JSON answers of one
data target (error answers are the error-rate check's):

- ``series_matches``: the body names the series asked (``[data] series_paths``); a
  body that names none is not judged (passes, saying so);
- ``fresh``: the newest observation is recent for the series' frequency;
- ``no_fallback``: no fallback/stale flag while claiming success;
- ``matches_upstream``: the newest observation equals FRED's (upstream probed).

One root cause, one family: when the direct FRED probe fails, stale or fallback
data is the upstream's doing, reported as a warning that points at ``upstream``.
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
from synthcheck.verdicts.data_body import (
    Observation,
    fallback_flag,
    frequency_named,
    observations,
    same_value,
    series_named,
)
from synthcheck.verdicts.result import CheckResult, Outcome

__all__ = ["asked_series", "fresh", "matches_upstream", "no_fallback", "series_matches"]

DATA = Category.DATA
_SERIES_PARAMS = ("series", "series_id", "seriesId", "id", "symbol")
_FREQUENCY_NAMES = {
    "D": "daily", "W": "weekly", "BW": "biweekly", "M": "monthly", "Q": "quarterly",
    "SA": "semiannual", "A": "annual",
}  # fmt: skip
_PERIOD_DAYS = {"D": 1, "W": 7, "BW": 14, "M": 31, "Q": 92, "SA": 184, "A": 366}
# Median gap between observations (days) -> frequency, for bodies that do not say.
_GAP_LIMITS = ((3, "D"), (10, "W"), (20, "BW"), (45, "M"), (135, "Q"), (270, "SA"))
_NO_ANSWER = "no successful JSON answer to read (the error-rate check reports the failures)"


def asked_series(target: ProbeTarget) -> str | None:
    """The series a target asks for: its ``series``-like query parameter."""
    query = dict(target.query)
    for name in _SERIES_PARAMS:
        if query.get(name):
            return query[name]
    return None


def _answers(exchanges: Sequence[Exchange]) -> list[tuple[Exchange, Any]]:
    """2xx JSON answers that do not themselves say ``success: false``."""
    out = []
    for e in exchanges:
        if e.status is None or not 200 <= e.status < 300:
            continue
        body = e.json()
        if body is None or (isinstance(body, dict) and body.get("success") is False):
            continue
        out.append((e, body))
    return out


def _common(target: ProbeTarget, n: int, budget: str, **kw: Any) -> dict[str, Any]:
    return dict(endpoint=target.id, budget=budget, sample_size=n, **kw)


def _attributed(result: CheckResult, target: ProbeTarget, upstream: UpstreamHealth) -> CheckResult:
    """A failure the failing upstream explains becomes a warning pointing at it."""
    if result.outcome == Outcome.FAILED and upstream.explains(target):
        result.outcome = Outcome.WARNED
        result.message = f"{result.message}: {upstream.note()}"
    return result


# -- the series asked ------------------------------------------------------------
def series_matches(
    target: ProbeTarget, exchanges: Sequence[Exchange], settings: DataSettings
) -> CheckResult:
    asked = asked_series(target)
    answers = _answers(exchanges)
    budget = f"the body names the series asked ({asked or 'none asked'})"
    if not answers:
        return CheckResult.skipped(DATA, _NO_ANSWER, endpoint=target.id)
    if asked is None:
        return CheckResult.skipped(DATA, "the target asks for no series", endpoint=target.id)
    named = [series_named(body, settings) for _, body in answers]
    found = [n for n in named if n is not None]
    common = _common(target, len(answers), budget)
    if not found:
        return CheckResult.passed(
            DATA,
            f"the body names no series (tried {', '.join(settings.series_paths[:6])}, ...):"
            " not compared",
            observed=f"no series id in {len(answers)} answers",
            **common,
        )
    wrong = [(path, value) for path, value in found if value.upper() != asked.upper()]
    if not wrong:
        path = found[0][0]
        return CheckResult.passed(
            DATA,
            f"answers name {asked} ({path})",
            observed=f"{len(found)} of {len(answers)} answers name {asked}",
            **common,
        )
    path, value = wrong[0]
    return CheckResult.failed(
        DATA,
        f"asked for {asked}, the body answers {value} ({path}) in {len(wrong)} of"
        f" {len(answers)} answers: the handler ignores the series asked",
        observed=f"{path} = {value!r} in {len(wrong)} of {len(answers)} answers",
        metrics={"wrong_series": len(wrong)},
        **common,
    )


# -- freshness -------------------------------------------------------------------
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
    answers = _answers(exchanges)
    if not answers:
        return CheckResult.skipped(DATA, _NO_ANSWER, endpoint=target.id)
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
            **_common(target, len(dated), budget.text(), observed=f"FRED's newest: {fred}"),
        )
    oldest = min(newest)
    age = (today - oldest).days
    common = _common(
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
    return _attributed(result, target, upstream)


# -- fallback flags --------------------------------------------------------------
def no_fallback(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
) -> CheckResult:
    answers = _answers(exchanges)
    if not answers:
        return CheckResult.skipped(DATA, _NO_ANSWER, endpoint=target.id)
    flagged = [flag for _, body in answers if (flag := fallback_flag(body)) is not None]
    common = _common(
        target,
        len(answers),
        "no fallback/stale flag in a successful answer",
        metrics={"fallback_answers": len(flagged)},
    )
    if not flagged:
        return CheckResult.passed(
            DATA,
            "no answer flags fallback or stale data",
            observed=f"0 of {len(answers)} answers flagged",
            **common,
        )
    result = CheckResult.failed(
        DATA,
        f"{len(flagged)} of {len(answers)} successful answers flag fallback data"
        f" ({flagged[0]}): the app serves a fallback while claiming success",
        observed=f"{flagged[0]} in {len(flagged)} of {len(answers)} answers",
        **common,
    )
    return _attributed(result, target, upstream)


# -- the app's data is FRED's ----------------------------------------------------
def matches_upstream(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    settings: DataSettings,
    reference: SeriesReference | None,
) -> CheckResult:
    """The newest observation the app serves equals FRED's (date and value)."""
    if reference is None or reference.skipped:
        why = reference.skipped if reference else "the upstream probe is off ([upstreams] probe)"
        return CheckResult.skipped(DATA, f"not compared with FRED: {why}", endpoint=target.id)
    if reference.latest is None:
        return CheckResult.skipped(
            DATA, f"not compared with FRED: {reference.error}", endpoint=target.id
        )
    answers = _answers(exchanges)
    latest = [rows[-1] for _, body in answers if (rows := observations(body, settings))]
    if not latest:
        return CheckResult.skipped(DATA, _NO_ANSWER, endpoint=target.id)
    fred_day, fred_value = reference.latest
    theirs = f"{fred_day.isoformat()} = {fred_value}"
    budget = f"newest observation equals FRED's ({theirs})"
    common = _common(target, len(latest), budget, details=[f"FRED: {reference.display}"])
    differ = [o for o in latest if o.day != fred_day or not same_value(o.value, fred_value)]
    if not differ:
        return CheckResult.passed(
            DATA, f"newest observation equals FRED's ({theirs})", observed=theirs, **common
        )
    first = differ[0]
    ours = f"{first.day.isoformat()} = {first.value}"
    observed = f"app: {ours}; FRED: {theirs} ({len(differ)} of {len(latest)} answers)"
    period = _PERIOD_DAYS.get(reference.frequency or "", 31)
    if all(o.day < fred_day and (fred_day - o.day).days <= period for o in differ):
        # FRED published since the app cached its copy: a lagging cache, not wrong data.
        return CheckResult.warned(
            DATA,
            f"the app lags FRED by one release: newest {ours}, FRED has {theirs}"
            " (a cache that has not refreshed yet)",
            observed=observed,
            **common,
        )
    behind = first.day < fred_day
    return CheckResult.failed(
        DATA,
        f"the app's newest observation differs from FRED's: {ours} vs {theirs}"
        + (" (an old copy: see data.fresh)" if behind else ""),
        observed=observed,
        **common,
    )
