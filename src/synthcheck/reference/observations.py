"""The bundled, real FRED observations (data/<SERIES>.json) used by the stub."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Series:
    id: str
    title: str
    units: str
    units_short: str
    frequency: str
    frequency_short: str
    seasonal_adjustment: str
    seasonal_adjustment_short: str
    source: str
    last_observation: str
    observations: tuple[tuple[str, str], ...]  # (date, value as FRED prints it; "." = missing)

    @property
    def observation_start(self) -> str:
        return self.observations[0][0]

    @property
    def observation_end(self) -> str:
        return self.observations[-1][0]


def _parse(doc: dict[str, Any]) -> Series:
    observations = tuple((str(date), str(value)) for date, value in doc["observations"])
    return Series(
        id=doc["id"],
        title=doc["title"],
        units=doc["units"],
        units_short=doc.get("units_short", doc["units"]),
        frequency=doc["frequency"],
        frequency_short=doc.get("frequency_short", doc["frequency"][:1]),
        seasonal_adjustment=doc.get("seasonal_adjustment", ""),
        seasonal_adjustment_short=doc.get("seasonal_adjustment_short", ""),
        source=doc["source"],
        last_observation=doc.get("last_observation", observations[-1][0]),
        observations=observations,
    )


@functools.cache
def load_all() -> dict[str, Series]:
    """Every bundled series by id (read once; the files are a few KiB each)."""
    data_dir = resources.files("synthcheck.reference").joinpath("data")
    series: dict[str, Series] = {}
    for entry in data_dir.iterdir():
        if entry.name.endswith(".json"):
            parsed = _parse(json.loads(entry.read_text(encoding="utf-8")))
            series[parsed.id] = parsed
    return series


def available_series() -> list[str]:
    return sorted(load_all())
