"""The FRED upstream probe and its verdict: key handling, pacing, failure and attribution."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx

from synthcheck.catalog import Category
from synthcheck.config import Environment, HttpSettings, UpstreamProbeSettings
from synthcheck.probe.upstream import UpstreamProbe, probe_fred
from synthcheck.secrets import KnownSecrets
from synthcheck.verdicts import Outcome, upstream
from tests.support.exchanges import exchange, target

KEY = "0badc0de0badc0de0badc0de0badc0de"  # synthcheck:allow (a fake key)
SECRETS = KnownSecrets.from_environ(["FRED_API_KEY"], {"FRED_API_KEY": KEY})
ENV = Environment(
    name="t",
    source=Path("t.toml"),
    base_url="http://app.invalid",
    endpoints=(),
    fred_base_url="http://fred.invalid/fred",
    http=HttpSettings(headers={"Authorization": "Bearer app-only"}),
    upstream_probe=UpstreamProbeSettings(enabled=True, samples=3),
)


def probe_of(*statuses: int, ms: float = 40.0) -> UpstreamProbe:
    exchanges = tuple(exchange(s, {"ok": 1}, total_ms=ms, seq=i) for i, s in enumerate(statuses))
    return UpstreamProbe("GET http://fred.invalid/series/observations", "http://x", exchanges)


def test_probe_asks_fred_for_one_observation_with_the_key_and_nothing_else() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json={"observations": []}, headers={"X-RateLimit-Remaining": "117"}
        )

    probe = probe_fred(ENV, SECRETS, transport=httpx.MockTransport(handler))
    assert len(probe.exchanges) == len(seen) == 3
    query = dict(seen[0].url.params)
    assert seen[0].url.path == "/fred/series/observations"
    assert query == {"series_id": "UNRATE", "file_type": "json", "limit": "1", "api_key": KEY}
    assert "authorization" not in seen[0].headers  # the app's credentials stay with the app
    assert KEY not in probe.display
    assert "api_key" not in probe.display
    assert all(e.status == 200 for e in probe.exchanges)


def test_probe_is_skipped_when_off_or_without_a_key() -> None:
    off = probe_fred(replace(ENV, upstream_probe=UpstreamProbeSettings(enabled=False)), SECRETS)
    assert not off.sent
    assert "off" in off.skipped
    keyless = probe_fred(ENV, KnownSecrets())
    assert not keyless.sent
    assert "FRED_API_KEY is not set" in keyless.skipped
    result = upstream.fred(keyless, 1000, {})
    assert result.outcome == Outcome.SKIPPED
    assert result.category == Category.UPSTREAM


def test_healthy_upstream_passes_and_shows_the_app_alongside() -> None:
    data = target("data", "/api/fred-data")
    app = {data: [exchange(200, {"ok": 1}, total_ms=5.0)] * 4}
    result = upstream.fred(probe_of(200, 200, 200), 1000, app)
    assert result.outcome == Outcome.PASSED
    assert "3x 200, median 40.0 ms" in result.observed
    assert any(
        d.startswith("app: GET /api/fred-data: 4x 200, median 5.0 ms") for d in result.details
    )
    assert upstream.assess(probe_of(200, 200, 200), 1000).failing is False


def test_failing_upstream_fails_and_is_assessed_failing() -> None:
    result = upstream.fred(probe_of(503, 503, 503), 1000, {})
    assert result.outcome == Outcome.FAILED
    assert "FRED answered 3x 503" in result.message
    health = upstream.assess(probe_of(503, 503, 200), 1000)
    assert health.failing
    assert health.explains(target("data", "/api/fred-data"))
    assert not health.explains(target())


def test_slow_upstream_fails_on_its_median() -> None:
    slow = probe_of(200, 200, 200, ms=2500.0)
    result = upstream.fred(slow, 1000, {})
    assert result.outcome == Outcome.FAILED
    assert "median 2500 ms > 1000 ms" in result.message


def test_one_failed_probe_of_three_warns() -> None:
    result = upstream.fred(probe_of(200, 200, 503), 1000, {})
    assert result.outcome == Outcome.WARNED
    assert not upstream.assess(probe_of(200, 200, 503), 1000).failing
