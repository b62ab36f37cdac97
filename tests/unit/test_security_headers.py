"""Security headers and version banners: warnings by default, failures when configured."""

from __future__ import annotations

import pytest

from synthcheck.probe import Exchange
from synthcheck.verdicts import Outcome, security
from tests.support.exchanges import exchange

GOOD_API = (
    ("content-type", "application/json"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
)
GOOD_PAGE = (
    ("content-type", "text/html; charset=utf-8"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("content-security-policy", "default-src 'self'; frame-ancestors 'none'"),
)


def _ex(*headers: tuple[str, str]) -> Exchange:
    ex = exchange(200, {"ok": True})
    ex.headers = headers
    return ex


def _recorded(
    api: tuple[tuple[str, str], ...] = GOOD_API, page: tuple[tuple[str, str], ...] = GOOD_PAGE
) -> dict[str, list[Exchange]]:
    return {"GET /api/health": [_ex(*api)], "GET /": [_ex(*page)]}


def test_a_compliant_service_passes_every_header_check() -> None:
    recorded = _recorded()
    for check in (security.nosniff, security.clickjacking, security.referrer_policy):
        assert check(recorded, "warn").outcome == Outcome.PASSED
    assert security.no_version_banner(recorded, "warn").outcome == Outcome.PASSED


@pytest.mark.parametrize(("mode", "outcome"), [("warn", Outcome.WARNED), ("fail", Outcome.FAILED)])
def test_missing_nosniff_is_a_warning_or_a_failure(mode: str, outcome: Outcome) -> None:
    recorded = _recorded(api=(("content-type", "application/json"),))
    result = security.nosniff(recorded, mode)
    assert result.outcome == outcome
    assert result.message == "MIME sniffing: X-Content-Type-Options missing on GET /api/health"
    assert result.details == ["GET /api/health: X-Content-Type-Options missing"]
    assert result.budget
    assert result.observed == "1 of 2 endpoints fall short"


def test_clickjacking_is_judged_on_html_pages_only() -> None:
    no_frame = tuple(h for h in GOOD_PAGE if h[0] != "content-security-policy")
    assert security.clickjacking(_recorded(page=no_frame), "warn").outcome == Outcome.WARNED
    with_xfo = (*no_frame, ("x-frame-options", "SAMEORIGIN"))
    assert security.clickjacking(_recorded(page=with_xfo), "warn").outcome == Outcome.PASSED
    star = (*no_frame, ("content-security-policy", "frame-ancestors *"))
    assert security.clickjacking(_recorded(page=star), "warn").outcome == Outcome.WARNED
    api_only = {"GET /api/health": [_ex(*GOOD_API)]}
    assert security.clickjacking(api_only, "warn").outcome == Outcome.SKIPPED


def test_weak_referrer_policy_is_reported() -> None:
    weak = (*GOOD_API[:2], ("referrer-policy", "no-referrer, unsafe-url"))
    result = security.referrer_policy(_recorded(api=weak), "warn")
    assert result.outcome == Outcome.WARNED
    assert "unsafe-url leaks full URLs" in result.message


def test_hsts_only_on_https_and_with_a_long_max_age() -> None:
    assert security.hsts(_recorded(), "warn", "http://127.0.0.1:8080").outcome == Outcome.SKIPPED
    short = {"GET /": [_ex(*GOOD_PAGE, ("strict-transport-security", "max-age=3600"))]}
    result = security.hsts(short, "fail", "https://svc.example.com")
    assert result.outcome == Outcome.FAILED
    assert "max-age 3600 s" in result.message
    long = {
        "GET /": [
            _ex(*GOOD_PAGE, ("strict-transport-security", "max-age=31536000; includeSubDomains"))
        ]
    }
    assert security.hsts(long, "fail", "https://svc.example.com").outcome == Outcome.PASSED


@pytest.mark.parametrize(
    ("header", "flagged"),
    [
        (("server", "uvicorn/0.54 Python/3.11"), True),
        (("server", "nginx/1.25.3"), True),
        (("x-powered-by", "Express"), True),
        (("x-aspnet-version", "4.0.30319"), True),
        (("server", "nginx"), False),
        (("server", "cloudflare"), False),
    ],
)
def test_version_banners(header: tuple[str, str], flagged: bool) -> None:
    result = security.no_version_banner({"GET /": [_ex(*GOOD_PAGE, header)]}, "warn")
    assert (result.outcome == Outcome.WARNED) is flagged


def test_nothing_recorded_is_skipped() -> None:
    assert security.nosniff({"GET /": [exchange(None)]}, "warn").outcome == Outcome.SKIPPED
