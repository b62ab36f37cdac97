"""Reading a data body: which series it names, its observations, its fallback flags.

Data APIs wrap FRED's observations in many shapes: FRED's own
(``{"observations": [{"date", "value"}]}``), ``{success, data: {observations}}``
wrappers, ``{"data": [...]}`` lists, ``[[date, value], ...]`` pairs, or a bare list.
The paths tried come from ``[data]`` (synthcheck.config.model.DataSettings).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from synthcheck.config.model import DataSettings
from synthcheck.verdicts.jsonbody import lookup

__all__ = [
    "Observation",
    "fallback_flag",
    "frequency_named",
    "observations",
    "parse_date",
    "same_value",
    "series_named",
]

# FRED's frequency names and the short codes its metadata uses.
_FREQUENCY_WORDS = {
    "daily": "D", "weekly": "W", "biweekly": "BW", "monthly": "M", "quarterly": "Q",
    "semiannual": "SA", "annual": "A",
}  # fmt: skip
_FLAG_KEYS = ("fallback", "is_fallback", "isFallback", "stale", "is_stale", "isStale")
_ERROR_KEYS = ("error", "errors", "warning", "warnings", "upstream_error")
_FALLBACK_SOURCES = {"fallback", "stale", "mock", "sample", "static", "default", "demo"}
_CACHE_SOURCES = {"cache", "cached"}
_NESTS = ("", "data.", "meta.", "metadata.")
# FRED series ids are letters, digits and underscores; a request id or UUID in an
# ``id`` field is not a series id and must not read as "the wrong series".
_SERIES_ID = re.compile(r"^[A-Za-z0-9_.:]{1,40}$")
# A bare ``id`` field is as often a record or request id ("req_81f2"): from it, only
# an upper-case FRED-style id (UNRATE, DGS10, T10Y2Y) counts.
_FRED_ID = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")


@dataclass(frozen=True)
class Observation:
    day: date
    value: str | float | int | None  # as served; FRED prints "." for "no value"


def parse_date(raw: Any) -> date | None:
    """``2026-06-01``, ``2026-06``, ``2026-06-01T00:00:00Z``, or epoch seconds/milliseconds."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        seconds = raw / 1000 if raw > 1e11 else raw
        try:
            return datetime.fromtimestamp(seconds, UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if len(text) == 7 and text[4] == "-":
        text += "-01"
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _row(row: Any, settings: DataSettings) -> Observation | None:
    if isinstance(row, list | tuple) and len(row) >= 2:
        day, value = parse_date(row[0]), row[1]
    elif isinstance(row, dict):
        day = next((parse_date(row[k]) for k in settings.date_fields if k in row), None)
        value = next((row[k] for k in settings.value_fields if k in row), None)
    else:
        return None
    return Observation(day, value) if day is not None else None


def observations(body: Any, settings: DataSettings) -> list[Observation] | None:
    """Dated observations, oldest first; None when no list of dated rows is found."""
    candidates = [body] if isinstance(body, list) else []
    candidates += [lookup(body, path) for path in settings.observations_paths]
    for rows in candidates:
        if not isinstance(rows, list):
            continue
        if not rows:
            return []
        parsed = [o for o in (_row(r, settings) for r in rows) if o is not None]
        if parsed:
            return sorted(parsed, key=lambda o: o.day)
    return None


def series_named(body: Any, settings: DataSettings) -> tuple[str, str] | None:
    """(path, series id) of the first configured path holding a string, or None."""
    for path in settings.series_paths:
        value = lookup(body, path)
        if not isinstance(value, str):
            continue
        text = value.strip()
        weak = path.rsplit(".", 1)[-1] == "id"
        if (_FRED_ID if weak else _SERIES_ID).match(text):
            return path, text
    return None


def frequency_named(body: Any) -> str | None:
    """FRED's short frequency code from a body's ``frequency``/``frequency_short`` field."""
    for nest in _NESTS:
        for key in ("frequency_short", "frequency"):
            value = lookup(body, nest + key)
            if isinstance(value, str) and value.strip():
                word = value.strip().split(",")[0].lower().replace("-", "").replace(" ", "")
                code = _FREQUENCY_WORDS.get(word, value.strip().upper())
                if code in _FREQUENCY_WORDS.values():
                    return code
    return None


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "yes"))


def _has_error(body: Any, nest: str) -> bool:
    return any(lookup(body, nest + key) not in (None, "", [], {}) for key in _ERROR_KEYS)


def fallback_flag(body: Any) -> str | None:
    """What in the body says "this is fallback/stale data", e.g. ``fallback: true``.

    ``cached: true`` or ``source: "cache"`` alone is normal caching; with an error or
    a warning beside it, it is a fallback served because the upstream failed.
    """
    if not isinstance(body, dict):
        return None
    for nest in _NESTS:
        for key in _FLAG_KEYS:
            if _truthy(lookup(body, nest + key)):
                return f"{nest}{key}: true"
        source = lookup(body, nest + "source")
        word = source.strip().lower() if isinstance(source, str) else ""
        if word in _FALLBACK_SOURCES:
            return f'{nest}source: "{source}"'
        cached = _truthy(lookup(body, nest + "cached")) or word in _CACHE_SOURCES
        if cached and _has_error(body, nest):
            what = f'source: "{source}"' if word in _CACHE_SOURCES else "cached: true"
            return f"{nest}{what} with an error/warning"
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        return None
    return None if math.isnan(number) else number


def same_value(a: Any, b: Any) -> bool:
    """``"4.2"`` == ``4.2`` == ``"4.20"``; FRED's ``"."`` == ``null`` (no value)."""
    x, y = _number(a), _number(b)
    if x is None or y is None:
        return x is None and y is None
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
