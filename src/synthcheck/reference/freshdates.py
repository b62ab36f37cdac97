"""Serve the bundled (historical) observations as if they had just been published.

The bundled data ends in mid-2026; a freshness check run later would find it stale.
The stub shifts every date of a series by whole periods so that its newest
observation is the start of the period before today's (what FRED shows shortly after
a release), keeping the values and their order. ``stale_data`` serves the unshifted
2019 observations instead.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from synthcheck.reference.observations import Series

__all__ = ["fresh_series", "newest_fresh_date"]

_MONTHS = {"M": 1, "Q": 3, "SA": 6, "A": 12}
_DAYS = {"D": 1, "W": 7, "BW": 14}


def _months(d: date) -> int:
    return d.year * 12 + d.month - 1


def _add_months(d: date, months: int) -> date:
    total = _months(d) + months
    return d.replace(year=total // 12, month=total % 12 + 1, day=1)


def newest_fresh_date(series: Series, today: date) -> date:
    """Where the newest observation of ``series`` lands when served fresh on ``today``."""
    last = date.fromisoformat(series.observation_end)
    step = _MONTHS.get(series.frequency_short)
    if step is not None:
        period_start = _add_months(today.replace(day=1), -(_months(today) % step))
        return _add_months(period_start, -step)
    days = _DAYS.get(series.frequency_short, 1)
    periods = (today - last).days // days - 1
    return last + timedelta(days=periods * days)


def fresh_series(series: Series, today: date) -> Series:
    last = date.fromisoformat(series.observation_end)
    target = newest_fresh_date(series, today)
    if series.frequency_short in _MONTHS:
        months = _months(target) - _months(last)

        def move(text: str) -> str:
            return _add_months(date.fromisoformat(text), months).isoformat()
    else:
        delta = target - last

        def move(text: str) -> str:
            return (date.fromisoformat(text) + delta).isoformat()

    observations = tuple((move(d), v) for d, v in series.observations)
    return replace(series, observations=observations, last_observation=observations[-1][0])
