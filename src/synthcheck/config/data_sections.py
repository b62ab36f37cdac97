"""``[data]`` and ``[version]``: where data bodies name series and dates, how fresh they
must be, and where a health answer reports the deployed version.

The JSON Schema has already checked types; this builds the settings and upper-cases
series ids and frequencies so ``unrate`` and ``UNRATE`` mean the same series.
"""

from __future__ import annotations

from typing import Any

from synthcheck.config.model import DataSettings, VersionSettings

__all__ = ["data_sections"]

_TUPLES = ("series_paths", "observations_paths", "date_fields", "value_fields")


def _data(raw: dict[str, Any]) -> DataSettings:
    default = DataSettings()
    fields: dict[str, Any] = {k: tuple(raw[k]) for k in _TUPLES if k in raw}
    fields["max_age_days"] = {
        **default.max_age_days,
        **{k.upper(): float(v) for k, v in raw.get("max_age_days", {}).items()},
    }
    fields["series_max_age_days"] = {
        k.upper(): float(v) for k, v in raw.get("series_max_age_days", {}).items()
    }
    fields["series_frequency"] = {
        k.upper(): str(v).upper() for k, v in raw.get("series_frequency", {}).items()
    }
    return DataSettings(**fields)


def data_sections(raw: dict[str, Any]) -> dict[str, Any]:
    version = dict(raw.get("version", {}))
    if "paths" in version:
        version["paths"] = tuple(version["paths"])
    return {"data": _data(dict(raw.get("data", {}))), "version": VersionSettings(**version)}
