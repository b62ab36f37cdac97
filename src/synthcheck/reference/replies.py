"""The app's own JSON answers: its error body and the ``/api/fred-data`` body."""

from __future__ import annotations

import re
from typing import Any

from synthcheck.reference.asgi import Response
from synthcheck.reference.cache import CacheEntry

__all__ = ["MAX_LIMIT", "SERIES_RE", "error_response", "parse_limit", "series_response"]

MAX_LIMIT = 100000
SERIES_RE = re.compile(r"^[A-Za-z0-9_]{1,40}$")


def error_response(status: int, message: str, **extra: Any) -> Response:
    return Response.json({"error": message, **extra}, status)


def parse_limit(raw: str | None) -> int | None:
    """0 means "all"; None means invalid."""
    if raw is None or raw.strip() == "":
        return 0
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if 1 <= value <= MAX_LIMIT else None


def series_response(entry: CacheEntry, cache_state: str, limit: int) -> Response:
    value = entry.value
    observations = value["observations"]
    if limit:
        observations = observations[-limit:]  # the most recent `limit`, still oldest first
    payload = {
        "series": value["series"],
        "title": value["title"],
        "units": value["units"],
        "frequency": value["frequency"],
        "observations": observations,
        "count": len(observations),
        "source": "upstream" if cache_state == "MISS" else "cache",
        "fetched_at": entry.fetched_at,
    }
    response = Response.json(payload)
    response.headers.set("X-Cache", cache_state)
    return response
