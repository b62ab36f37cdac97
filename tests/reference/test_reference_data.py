"""The bundled FRED observations: present, well-formed, provenance recorded."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest

from synthcheck.reference.observations import available_series, load_all

EXPECTED = {"UNRATE": "Monthly", "CPIAUCSL": "Monthly", "FEDFUNDS": "Monthly", "GDPC1": "Quarterly"}


def test_the_four_series_are_bundled():
    assert available_series() == sorted(EXPECTED)


@pytest.mark.parametrize("series_id", sorted(EXPECTED))
def test_series_file_is_well_formed_and_sourced(series_id):
    path = resources.files("synthcheck.reference").joinpath("data", f"{series_id}.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["id"] == series_id
    assert doc["frequency"] == EXPECTED[series_id]
    for key in ("title", "units", "seasonal_adjustment", "source", "last_observation"):
        assert doc[key]
    dates = [d for d, _ in doc["observations"]]
    assert dates == sorted(set(dates))
    assert doc["last_observation"] == dates[-1]
    assert doc["last_observation"] in doc["source"]
    assert "github.com/" in doc["source"]
    first, last = date.fromisoformat(dates[0]), date.fromisoformat(dates[-1])
    assert (last - first).days >= 10 * 365  # at least ~10 years
    step = 3 if EXPECTED[series_id] == "Quarterly" else 1
    months = {(d.year * 12 + d.month) for d in map(date.fromisoformat, dates)}
    assert len(months) == (last.year * 12 + last.month - first.year * 12 - first.month) // step + 1
    for _, value in doc["observations"]:
        assert value == "." or float(value) >= 0
    assert load_all()[series_id].observations[-1][0] == dates[-1]
