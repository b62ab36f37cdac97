"""FRED's own answer for the app's series, fetched from the real stub in process."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx

from synthcheck.config import Environment, HttpSettings, UpstreamProbeSettings
from synthcheck.probe.upstream import reference_series
from synthcheck.reference.fred_stub import FredStub
from synthcheck.secrets import KnownSecrets

KEY = "0badc0de0badc0de0badc0de0badc0de"  # synthcheck:allow (a fake key)
SECRETS = KnownSecrets.from_environ(["FRED_API_KEY"], {"FRED_API_KEY": KEY})
ENV = Environment(
    name="t",
    source=Path("t.toml"),
    base_url="http://app.invalid",
    endpoints=(),
    fred_base_url="http://fred.invalid/fred",
    http=HttpSettings(headers={"Authorization": "Bearer app-only"}),
    upstream_probe=UpstreamProbeSettings(enabled=True),
)
TODAY = date(2026, 12, 1)


def stub_transport(**kw: object) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=FredStub(today=lambda: TODAY, **kw))  # type: ignore[arg-type]


def test_frequency_and_newest_observation_per_series() -> None:
    refs = reference_series(ENV, SECRETS, ["unrate", "GDPC1"], transport=stub_transport(fresh=True))
    assert set(refs) == {"UNRATE", "GDPC1"}
    assert refs["UNRATE"].frequency == "M"
    assert refs["UNRATE"].latest == (date(2026, 11, 1), "4.2")
    assert refs["GDPC1"].frequency == "Q"
    assert refs["GDPC1"].latest == (date(2026, 7, 1), "24180.419")
    assert refs["UNRATE"].error == ""
    assert KEY not in refs["UNRATE"].display
    assert "sort_order=desc" in refs["UNRATE"].display


def test_the_unshifted_stub_serves_the_bundled_dates() -> None:
    refs = reference_series(ENV, SECRETS, ["UNRATE"], transport=stub_transport())
    assert refs["UNRATE"].latest == (date(2026, 6, 1), "4.2")


def test_an_unknown_series_says_why() -> None:
    refs = reference_series(ENV, SECRETS, ["NOPE"], transport=stub_transport())
    assert refs["NOPE"].latest is None
    assert "400" in refs["NOPE"].error


def test_nothing_is_sent_when_off_or_without_a_key() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    transport = httpx.MockTransport(refuse)
    off = replace(ENV, upstream_probe=UpstreamProbeSettings(enabled=False))
    assert (
        "off" in reference_series(off, SECRETS, ["UNRATE"], transport=transport)["UNRATE"].skipped
    )
    keyless = reference_series(ENV, KnownSecrets(), ["UNRATE"], transport=transport)
    assert "FRED_API_KEY" in keyless["UNRATE"].skipped


def test_the_apps_credentials_never_travel_to_fred() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503, json={"error_code": 503})

    refs = reference_series(ENV, SECRETS, ["UNRATE"], transport=httpx.MockTransport(handler))
    assert len(seen) == 2
    assert all("authorization" not in r.headers for r in seen)
    assert "503" in refs["UNRATE"].error
