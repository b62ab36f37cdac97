"""The stub's recent dates: the bundled values, shifted by whole periods to just before today."""

from __future__ import annotations

from datetime import date

import pytest

from synthcheck.config.model import DEFAULT_MAX_AGE_DAYS
from synthcheck.reference.freshdates import fresh_series, newest_fresh_date
from synthcheck.reference.observations import load_all

DAYS = [
    date(2026, 12, 1),
    date(2026, 12, 31),
    date(2027, 1, 1),
    date(2027, 3, 31),
    date(2030, 6, 15),
]


@pytest.mark.parametrize("today", DAYS, ids=str)
@pytest.mark.parametrize("series_id", sorted(load_all()))
def test_newest_observation_is_recent_and_in_the_past(series_id: str, today: date) -> None:
    series = load_all()[series_id]
    fresh = fresh_series(series, today)
    newest = date.fromisoformat(fresh.observation_end)
    assert newest == newest_fresh_date(series, today)
    assert newest < today
    assert (today - newest).days <= DEFAULT_MAX_AGE_DAYS[series.frequency_short]
    assert [v for _, v in fresh.observations] == [v for _, v in series.observations]
    assert fresh.last_observation == fresh.observation_end


@pytest.mark.parametrize("series_id", sorted(load_all()))
def test_periods_keep_their_calendar_shape(series_id: str) -> None:
    series = load_all()[series_id]
    fresh = fresh_series(series, date(2027, 2, 14))
    days = [date.fromisoformat(d) for d, _ in fresh.observations]
    assert all(d.day == 1 for d in days)
    if series.frequency_short == "Q":
        assert all(d.month in (1, 4, 7, 10) for d in days)
    assert days == sorted(days)
    assert len(set(days)) == len(days)
