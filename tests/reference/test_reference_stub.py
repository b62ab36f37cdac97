"""The FRED-compatible upstream stub: shapes, errors and rate limiting."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx

from synthcheck.reference.fault_specs import parse_fault_specs
from synthcheck.reference.faults import FaultSet
from synthcheck.reference.fred_stub import (
    MSG_KEY_INVALID,
    MSG_KEY_MISSING,
    MSG_RATE_LIMIT,
    MSG_SERIES_UNKNOWN,
    FredStub,
    RateLimiter,
)

KEY = "0123456789abcdef0123456789abcdef"


def get(stub: FredStub, path: str, **params: object) -> httpx.Response:
    async def call() -> httpx.Response:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=stub), base_url="http://stub.test"
        ) as client:
            return await client.get(path, params=params)

    return asyncio.run(call())


def make_stub(faults: str = "", **kwargs) -> FredStub:
    return FredStub(
        FaultSet(parse_fault_specs(faults), seed=3), today=lambda: date(2026, 11, 29), **kwargs
    )


def test_observations_have_freds_shape_and_real_values():
    response = get(
        make_stub(), "/series/observations", series_id="UNRATE", api_key=KEY, file_type="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert list(body) == [
        "realtime_start",
        "realtime_end",
        "observation_start",
        "observation_end",
        "units",
        "output_type",
        "file_type",
        "order_by",
        "sort_order",
        "count",
        "offset",
        "limit",
        "observations",
    ]
    assert body["realtime_start"] == body["realtime_end"] == "2026-11-29"
    assert (body["observation_start"], body["observation_end"]) == ("1776-07-04", "9999-12-31")
    assert (body["units"], body["output_type"], body["file_type"]) == ("lin", 1, "json")
    assert (body["order_by"], body["sort_order"], body["offset"], body["limit"]) == (
        "observation_date",
        "asc",
        0,
        100000,
    )
    assert body["count"] == len(body["observations"]) >= 120
    first = body["observations"][0]
    assert set(first) == {"realtime_start", "realtime_end", "date", "value"}
    assert isinstance(first["value"], str)
    by_date = {o["date"]: o["value"] for o in body["observations"]}
    assert by_date["2020-04-01"] == "14.8"  # the pandemic peak, as published
    assert by_date["2025-10-01"] == "."  # FRED's marker for a missing observation


def test_observation_filters_sort_limit_offset_and_fred_prefix():
    stub = make_stub()
    body = get(
        stub,
        "/fred/series/observations",
        series_id="GDPC1",
        api_key=KEY,
        file_type="json",
        observation_start="2024-01-01",
        observation_end="2024-12-31",
        sort_order="desc",
        limit=2,
        offset=1,
    ).json()
    assert body["count"] == 4
    assert [o["date"] for o in body["observations"]] == ["2024-07-01", "2024-04-01"]
    assert (body["sort_order"], body["limit"], body["offset"]) == ("desc", 2, 1)
    assert body["observation_start"] == "2024-01-01"


def test_series_metadata_shape():
    body = get(make_stub(), "/series", series_id="CPIAUCSL", api_key=KEY, file_type="json").json()
    (series,) = body["seriess"]
    assert series["id"] == "CPIAUCSL"
    assert series["frequency"] == "Monthly"
    assert series["units"] == "Index 1982-1984=100"
    for key in (
        "title",
        "observation_start",
        "observation_end",
        "frequency_short",
        "units_short",
        "seasonal_adjustment",
        "seasonal_adjustment_short",
        "realtime_start",
        "notes",
    ):
        assert key in series


def test_errors_in_freds_format():
    stub = make_stub()
    cases = [
        ({"series_id": "UNRATE", "file_type": "json"}, MSG_KEY_MISSING),
        ({"series_id": "UNRATE", "api_key": "SHORT", "file_type": "json"}, MSG_KEY_INVALID),
        ({"series_id": "UNRATE", "api_key": KEY.upper(), "file_type": "json"}, MSG_KEY_INVALID),
        ({"series_id": "NOSUCHSERIES", "api_key": KEY, "file_type": "json"}, MSG_SERIES_UNKNOWN),
        ({"api_key": KEY, "file_type": "json"}, "Bad Request.  Variable series_id is not set."),
    ]
    for params, message in cases:
        response = get(stub, "/series/observations", **params)
        assert response.status_code == 400
        assert response.json() == {"error_code": 400, "error_message": message}
    assert MSG_KEY_MISSING == (
        "Bad Request.  Variable api_key is not set. Read "
        "https://fred.stlouisfed.org/docs/api/api_key.html for more information."
    )
    assert MSG_SERIES_UNKNOWN == "Bad Request.  The series does not exist."
    bad_limit = get(
        stub, "/series/observations", series_id="UNRATE", api_key=KEY, file_type="json", limit=0
    )
    assert bad_limit.status_code == 400
    assert "limit" in bad_limit.json()["error_message"]
    bad_sort = get(
        stub,
        "/series/observations",
        series_id="UNRATE",
        api_key=KEY,
        file_type="json",
        sort_order="up",
    )
    assert bad_sort.status_code == 400
    assert get(stub, "/nothing/here", api_key=KEY).status_code == 404


def test_rate_limit_120_per_minute_per_key_with_headers():
    now = [1000.0]
    stub = make_stub(limiter=RateLimiter(clock=lambda: now[0]))
    params = {"series_id": "FEDFUNDS", "api_key": KEY, "file_type": "json", "limit": 1}
    first = get(stub, "/series/observations", **params)
    assert first.headers["X-RateLimit-Limit"] == "120"
    assert first.headers["X-RateLimit-Remaining"] == "119"
    assert first.headers["X-RateLimit-Reset"] == "60"
    for _ in range(119):
        now[0] += 0.1
        assert get(stub, "/series/observations", **params).status_code == 200
    limited = get(stub, "/series/observations", **params)
    assert limited.status_code == 429
    assert limited.json() == {"error_code": 429, "error_message": MSG_RATE_LIMIT}
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    # another key has its own budget
    other = dict(params, api_key="f" * 32)
    assert get(stub, "/series/observations", **other).status_code == 200
    now[0] += 60.0  # the window slides: the oldest hits expire
    assert get(stub, "/series/observations", **params).status_code == 200


def test_stub_faults_delay_fail_and_usage():
    params = {"series_id": "UNRATE", "api_key": KEY, "file_type": "json", "limit": 1}
    failing = get(make_stub("upstream_down:status=500"), "/series/observations", **params)
    assert failing.status_code == 500
    assert failing.json()["error_code"] == 500
    busy = get(make_stub("rate_limit_high"), "/series/observations", **params)
    assert busy.headers["X-RateLimit-Remaining"] == "12"
    assert busy.headers["X-RateLimit-Limit"] == "120"
