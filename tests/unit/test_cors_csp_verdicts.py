"""CORS probes and Content-Security-Policy on hand-built answers."""

from __future__ import annotations

import pytest

from synthcheck.catalog import Severity
from synthcheck.probe import Exchange
from synthcheck.probe.cors import PROBE_ORIGIN, CorsProbe
from synthcheck.verdicts import security
from synthcheck.verdicts.cors import cors
from synthcheck.verdicts.result import Outcome
from tests.support.exchanges import exchange, target

DATA = target("data", "/api/fred-data")


def answer(status: int = 200, method: str = "GET", **headers: str) -> Exchange:
    e = exchange(status, {"ok": True})
    e.method = method
    e.headers = (*e.headers, *((k.replace("_", "-"), v) for k, v in headers.items()))
    return e


def probe(**headers: str) -> CorsProbe:
    return CorsProbe(DATA, answer(204, "OPTIONS", **headers), answer(200, **headers))


@pytest.mark.parametrize(
    "headers",
    [
        {"Access_Control_Allow_Origin": PROBE_ORIGIN, "Access_Control_Allow_Credentials": "true"},
        {"Access_Control_Allow_Origin": "*", "Access_Control_Allow_Credentials": "true"},
        {"Access_Control_Allow_Origin": "null", "Access_Control_Allow_Credentials": "TRUE"},
    ],
)
def test_any_origin_with_credentials_fails_p1(headers: dict[str, str]) -> None:
    result = cors(probe(**headers))
    assert result.outcome == Outcome.FAILED
    assert result.severity == Severity.P1
    assert result.runbook == "security-incident"
    assert "with credentials allowed" in result.message
    assert "2 of 2 probes" in result.observed


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Access_Control_Allow_Origin": "*"},
        {"Access_Control_Allow_Origin": PROBE_ORIGIN},  # a public API: no cookies
        {
            "Access_Control_Allow_Origin": "https://app.example.com",
            "Access_Control_Allow_Credentials": "true",
        },
    ],
)
def test_safe_policies_pass(headers: dict[str, str]) -> None:
    result = cors(probe(**headers))
    assert result.outcome == Outcome.PASSED, result.message


def test_only_the_preflight_reflecting_is_enough_to_fail() -> None:
    bad = {"Access_Control_Allow_Origin": PROBE_ORIGIN, "Access_Control_Allow_Credentials": "true"}
    result = cors(CorsProbe(DATA, answer(204, "OPTIONS", **bad), answer(200)))
    assert result.outcome == Outcome.FAILED
    assert "1 of 2 probes" in result.observed


def test_no_answer_or_no_target_is_skipped() -> None:
    assert cors(CorsProbe(None)).outcome == Outcome.SKIPPED
    dead = exchange(None, None)
    assert cors(CorsProbe(DATA, dead, dead)).outcome == Outcome.SKIPPED


def page(**headers: str) -> dict[str, list[Exchange]]:
    e = exchange(200, raw=b"<html></html>", content_type="text/html")
    e.headers = (*e.headers, *((k.replace("_", "-"), v) for k, v in headers.items()))
    return {"GET /": [e], "GET /api/health": [exchange(200, {"status": "ok"})]}


def test_csp_on_html_pages_passes() -> None:
    result = security.content_security_policy(
        page(Content_Security_Policy="default-src 'self'"), "warn"
    )
    assert result.outcome == Outcome.PASSED


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({}, "Content-Security-Policy missing"),
        ({"Content_Security_Policy_Report_Only": "default-src 'self'"}, "Report-Only"),
    ],
)
def test_missing_csp_warns_by_default_and_fails_when_strict(
    headers: dict[str, str], problem: str
) -> None:
    warned = security.content_security_policy(page(**headers), "warn")
    assert warned.outcome == Outcome.WARNED
    assert problem in warned.message
    assert "GET /" in warned.message
    assert security.content_security_policy(page(**headers), "fail").outcome == Outcome.FAILED


def test_csp_is_not_asked_of_json_answers() -> None:
    json_only = {"GET /api/health": [exchange(200, {"status": "ok"})]}
    assert security.content_security_policy(json_only, "warn").outcome == Outcome.SKIPPED
