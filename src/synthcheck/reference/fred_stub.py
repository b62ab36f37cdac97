"""A local FRED-compatible upstream (https://api.stlouisfed.org/fred look-alike).

Serves the bundled real observations with FRED's JSON shapes and error
format, enforces FRED's 120 requests/minute/key limit and reports usage in
X-RateLimit-* headers.  Upstream faults (UPSTREAM_BEFORE / UPSTREAM_AFTER
hooks) run around every request.  Paths work with or without FRED's `/fred`
prefix, so both `http://host:port` and `http://host:port/fred` are base URLs.
"""

from __future__ import annotations

import math
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from synthcheck.reference.asgi import (
    Receive,
    Request,
    Response,
    Scope,
    Send,
    lifespan,
    send_response,
)
from synthcheck.reference.faults import (
    STUB_HOOKS,
    FaultSet,
    Hook,
    RequestContext,
    run_after,
    run_before,
)
from synthcheck.reference.freshdates import fresh_series
from synthcheck.reference.observations import Series, load_all
from synthcheck.reference.settings import Settings, is_valid_fred_key

RATE_LIMIT = 120
RATE_WINDOW_S = 60.0
MAX_LIMIT = 100000
DEFAULT_OBSERVATION_START = "1776-07-04"
DEFAULT_OBSERVATION_END = "9999-12-31"

_KEY_HELP = "Read https://fred.stlouisfed.org/docs/api/api_key.html for more information."
MSG_KEY_MISSING = f"Bad Request.  Variable api_key is not set. {_KEY_HELP}"
MSG_KEY_INVALID = (
    "Bad Request.  The value for variable api_key is not a 32 character alpha-numeric "
    f"lower-case string.  {_KEY_HELP}"
)
MSG_SERIES_MISSING = "Bad Request.  Variable series_id is not set."
MSG_SERIES_UNKNOWN = "Bad Request.  The series does not exist."
MSG_RATE_LIMIT = "Too Many Requests.  Exceeded Rate Limit"
MSG_FILE_TYPE = "Bad Request.  Variable file_type must be json for this stub."
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def fred_error(status: int, message: str) -> Response:
    return Response.json({"error_code": status, "error_message": message}, status)


class RateLimiter:
    """Sliding one-minute window per API key."""

    def __init__(
        self,
        limit: int = RATE_LIMIT,
        window_s: float = RATE_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> tuple[bool, int, int]:
        """Count one request: (allowed, remaining, seconds until the window frees a slot)."""
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        if len(self._hits) > 10000:  # bound memory when many keys come and go
            self._hits = {k: v for k, v in self._hits.items() if v}
        reset = math.ceil(hits[0] + self.window_s - now) if hits else int(self.window_s)
        return allowed, self.limit - len(hits), max(reset, 0)


class _BadParam(Exception):
    pass


def _date_param(params: Mapping[str, str], name: str, default: str) -> str:
    value = params.get(name, "") or default
    if not _DATE_RE.match(value):
        raise _BadParam(f"Bad Request.  Variable {name} is not a valid date (YYYY-MM-DD).")
    return value


def _int_param(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise _BadParam(
            f"Bad Request.  The value for variable {name} is not an integer between "
            f"{low} and {high}."
        )
    return value


class FredStub:
    """ASGI app: `GET /series/observations` and `GET /series` (optionally under `/fred`)."""

    def __init__(
        self,
        faults: FaultSet | None = None,
        *,
        series: Mapping[str, Series] | None = None,
        limiter: RateLimiter | None = None,
        today: Callable[[], date] = date.today,
        fresh: bool = False,
    ) -> None:
        self.faults = faults if faults is not None else FaultSet()
        self.series = dict(series) if series is not None else load_all()
        if fresh:  # dates shifted so the newest observation is recent (freshdates.py)
            self.series = {k: fresh_series(v, today()) for k, v in self.series.items()}
        self.limiter = limiter or RateLimiter()
        self._today = today
        self._settings = Settings()  # effects need a Settings; the stub holds no real secrets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send, _noop, _noop)
            return
        if scope["type"] != "http":
            return
        request = await Request.from_scope(scope, receive, read_body=False)
        ctx = RequestContext(
            request=request,
            settings=self._settings,
            rng=self.faults.rng,
            faults=self.faults.select(request.path, STUB_HOOKS),
        )
        response = await run_before(ctx, Hook.UPSTREAM_BEFORE)
        if response is None:
            response = self.handle(request)
        response = run_after(ctx, response, Hook.UPSTREAM_AFTER)
        await send_response(send, response, head=request.method == "HEAD")

    def handle(self, request: Request) -> Response:
        path = request.path.removeprefix("/fred").rstrip("/") or "/"
        if path not in ("/series", "/series/observations"):
            return fred_error(404, "Not Found.")
        if request.method not in ("GET", "HEAD"):
            response = fred_error(405, "Method Not Allowed.")
            response.headers.set("Allow", "GET, HEAD")
            return response
        params = request.query
        key = params.get("api_key", "")
        if not key:
            return fred_error(400, MSG_KEY_MISSING)
        if not is_valid_fred_key(key):
            return fred_error(400, MSG_KEY_INVALID)
        allowed, remaining, reset = self.limiter.hit(key)
        response = self._answer(path, params) if allowed else fred_error(429, MSG_RATE_LIMIT)
        response.headers.set("X-RateLimit-Limit", str(self.limiter.limit))
        response.headers.set("X-RateLimit-Remaining", str(remaining))
        response.headers.set("X-RateLimit-Reset", str(reset))
        return response

    def _answer(self, path: str, params: Mapping[str, str]) -> Response:
        series_id = params.get("series_id", "").strip()
        if not series_id:
            return fred_error(400, MSG_SERIES_MISSING)
        if params.get("file_type", "json") != "json":
            return fred_error(400, MSG_FILE_TYPE)
        series = self.series.get(series_id.upper())
        if series is None:
            return fred_error(400, MSG_SERIES_UNKNOWN)
        try:
            if path == "/series":
                return Response.json(self._series_body(series))
            return Response.json(self._observations_body(series, params))
        except _BadParam as exc:
            return fred_error(400, str(exc))

    def _realtime(self) -> dict[str, str]:
        today = self._today().isoformat()
        return {"realtime_start": today, "realtime_end": today}

    def _series_body(self, series: Series) -> dict[str, Any]:
        realtime = self._realtime()
        return {
            **realtime,
            "seriess": [
                {
                    "id": series.id,
                    **realtime,
                    "title": series.title,
                    "observation_start": series.observation_start,
                    "observation_end": series.observation_end,
                    "frequency": series.frequency,
                    "frequency_short": series.frequency_short,
                    "units": series.units,
                    "units_short": series.units_short,
                    "seasonal_adjustment": series.seasonal_adjustment,
                    "seasonal_adjustment_short": series.seasonal_adjustment_short,
                    "notes": f"Bundled reference data. Source: {series.source}",
                }
            ],
        }

    def _observations_body(self, series: Series, params: Mapping[str, str]) -> dict[str, Any]:
        start = _date_param(params, "observation_start", DEFAULT_OBSERVATION_START)
        end = _date_param(params, "observation_end", DEFAULT_OBSERVATION_END)
        limit = _int_param(params, "limit", MAX_LIMIT, 1, MAX_LIMIT)
        offset = _int_param(params, "offset", 0, 0, 10**9)
        sort_order = params.get("sort_order", "asc") or "asc"
        if sort_order not in ("asc", "desc"):
            raise _BadParam(
                "Bad Request.  Variable sort_order is not one of the values: 'asc', 'desc'."
            )
        rows = [(d, v) for d, v in series.observations if start <= d <= end]
        if sort_order == "desc":
            rows.reverse()
        realtime = self._realtime()
        page = rows[offset : offset + limit]
        return {
            **realtime,
            "observation_start": start,
            "observation_end": end,
            "units": "lin",
            "output_type": 1,
            "file_type": "json",
            "order_by": "observation_date",
            "sort_order": sort_order,
            "count": len(rows),
            "offset": offset,
            "limit": limit,
            "observations": [{**realtime, "date": d, "value": v} for d, v in page],
        }


async def _noop() -> None:
    return None
