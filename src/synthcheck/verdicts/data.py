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

from collections.abc import Sequence

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
from synthcheck.verdicts.data_body import fallback_flag, observations, same_value, series_named
from synthcheck.verdicts.data_fresh import fresh
from synthcheck.verdicts.result import CheckResult

__all__ = ["asked_series", "fresh", "matches_upstream", "no_fallback", "series_matches"]

DATA = Category.DATA
_PERIOD_DAYS = {"D": 1, "W": 7, "BW": 14, "M": 31, "Q": 92, "SA": 184, "A": 366}


# -- the series asked ------------------------------------------------------------
def series_matches(
    target: ProbeTarget, exchanges: Sequence[Exchange], settings: DataSettings
) -> CheckResult:
    asked = asked_series(target)
    answers = answers_of(exchanges)
    budget = f"the body names the series asked ({asked or 'none asked'})"
    if not answers:
        return CheckResult.skipped(DATA, NO_ANSWER, endpoint=target.id)
    if asked is None:
        return CheckResult.skipped(DATA, "the target asks for no series", endpoint=target.id)
    named = [series_named(body, settings) for _, body in answers]
    found = [n for n in named if n is not None]
    common = result_fields(target, len(answers), budget)
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


# -- fallback flags --------------------------------------------------------------
def no_fallback(
    target: ProbeTarget,
    exchanges: Sequence[Exchange],
    upstream: UpstreamHealth = UPSTREAM_UNKNOWN,
) -> CheckResult:
    answers = answers_of(exchanges)
    if not answers:
        return CheckResult.skipped(DATA, NO_ANSWER, endpoint=target.id)
    flagged = [flag for _, body in answers if (flag := fallback_flag(body)) is not None]
    common = result_fields(
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
    return attributed(result, target, upstream)


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
    answers = answers_of(exchanges)
    latest = [rows[-1] for _, body in answers if (rows := observations(body, settings))]
    if not latest:
        return CheckResult.skipped(DATA, NO_ANSWER, endpoint=target.id)
    fred_day, fred_value = reference.latest
    theirs = f"{fred_day.isoformat()} = {fred_value}"
    budget = f"newest observation equals FRED's ({theirs})"
    common = result_fields(target, len(latest), budget, details=[f"FRED: {reference.display}"])
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
