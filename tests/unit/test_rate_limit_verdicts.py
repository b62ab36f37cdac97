"""Rate-limit headroom from every header dialect and the health body."""

from __future__ import annotations

from dataclasses import replace

import pytest

from synthcheck.catalog import Category
from synthcheck.config import RateLimitSettings
from synthcheck.verdicts import Outcome, rate_limit
from tests.support.exchanges import exchange

SETTINGS = RateLimitSettings()
FIELD = SETTINGS.health_field


def with_headers(*headers: tuple[str, str], body: object = None) -> object:
    return replace(exchange(200, body), headers=(("content-type", "application/json"), *headers))


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            (("X-RateLimit-Limit", "120"), ("X-RateLimit-Remaining", "12")),
            ("X-RateLimit-*", 120, 12),
        ),
        ((("RateLimit-Limit", "100"), ("RateLimit-Remaining", "50")), ("RateLimit-*", 100, 50)),
        ((("RateLimit", "limit=100, remaining=5, reset=30"),), ("RateLimit", 100, 5)),
        (
            (("RateLimit-Policy", '"default";q=100;w=60'), ("RateLimit", '"default";r=40;t=30')),
            ("RateLimit", 100, 40),
        ),
        (
            (("RateLimit-Limit", "100, 100;w=60"), ("RateLimit-Remaining", "7")),
            ("RateLimit-*", 100, 7),
        ),
    ],
    ids=["x-ratelimit", "ietf-6", "ietf-7", "ietf-8", "with-policy"],
)
def test_header_dialects(
    headers: tuple[tuple[str, str], ...], expected: tuple[str, int, int]
) -> None:
    assert rate_limit.from_headers(with_headers(*headers)) == expected  # type: ignore[arg-type]


def test_no_headers_no_reading() -> None:
    assert rate_limit.from_headers(exchange(200, {})) is None


def test_health_body_reading() -> None:
    body = {"checks": {"fred_api": {"rate_limit": {"limit": 120, "remaining": 30}}}}
    assert rate_limit.from_body(exchange(200, body), FIELD) == (120.0, 30.0)
    assert rate_limit.from_body(exchange(200, {"checks": {}}), FIELD) is None
    assert rate_limit.from_body(exchange(200, body), "") is None


def test_peak_usage_per_source_worst_first() -> None:
    app = [
        with_headers(("X-RateLimit-Limit", "120"), ("X-RateLimit-Remaining", "100")),
        with_headers(("X-RateLimit-Limit", "120"), ("X-RateLimit-Remaining", "60")),
    ]
    fred = [with_headers(("X-RateLimit-Limit", "120"), ("X-RateLimit-Remaining", "20"))]
    readings = rate_limit.peak_readings([("app", app), ("FRED", fred)], FIELD)
    assert [(r.source, r.remaining) for r in readings] == [
        ("FRED X-RateLimit-*", 20.0),
        ("app X-RateLimit-*", 60.0),
    ]


@pytest.mark.parametrize(
    ("remaining", "outcome"),
    [
        (120, Outcome.PASSED),
        (25, Outcome.PASSED),
        (24, Outcome.PASSED),
        (23, Outcome.WARNED),
        (12, Outcome.WARNED),
        (0, Outcome.FAILED),
    ],
)
def test_thresholds_warn_above_80_and_fail_at_100(remaining: int, outcome: Outcome) -> None:
    reading = rate_limit.Reading("FRED X-RateLimit-*", 120, remaining)
    result = rate_limit.headroom([reading], SETTINGS)
    assert result.outcome == outcome
    assert result.category == Category.RATE_LIMIT
    assert "FRED X-RateLimit-*" in result.observed


def test_nothing_to_read_is_skipped() -> None:
    quiet = rate_limit.headroom([], SETTINGS)
    assert quiet.outcome == Outcome.SKIPPED
    assert "no RateLimit-*" in quiet.message
    down = rate_limit.headroom([], SETTINGS, reachable=False)
    assert "unreachable" in down.message


def test_zero_limit_counts_as_exhausted() -> None:
    assert rate_limit.Reading("x", 0, 0).usage == 1.0
