"""The pre-deploy checklist verdicts with good and bad inputs; values never shown."""

from __future__ import annotations

import pytest

from synthcheck.catalog import Category
from synthcheck.scan.files import FileFinding, ScanReport
from synthcheck.verdicts import Outcome, predeploy

FRED = "0123456789abcdef0123456789abcdef"
AV = "Q1W2E3R4T5Y6U7I8"
REQUIRED = ("FRED_API_KEY", "ALPHA_VANTAGE_API_KEY")


def test_well_formed_keys_pass() -> None:
    result = predeploy.environment_variables(
        REQUIRED, {"FRED_API_KEY": FRED, "ALPHA_VANTAGE_API_KEY": AV}
    )
    assert result.outcome == Outcome.PASSED
    assert result.category == Category.CONFIG


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({"ALPHA_VANTAGE_API_KEY": AV}, "FRED_API_KEY is not set"),
        (
            {"FRED_API_KEY": FRED.upper(), "ALPHA_VANTAGE_API_KEY": AV},
            "FRED_API_KEY: 32 characters (upper-case letters, digits), expected 32 lower-case letters and digits",
        ),
        (
            {"FRED_API_KEY": FRED[:-1], "ALPHA_VANTAGE_API_KEY": AV},
            "FRED_API_KEY: 31 characters (lower-case letters, digits), expected 32",
        ),
        (
            {"FRED_API_KEY": FRED, "ALPHA_VANTAGE_API_KEY": AV.lower()},
            "ALPHA_VANTAGE_API_KEY: 16 characters (lower-case letters, digits), expected 16 upper-case",
        ),
        ({"FRED_API_KEY": FRED, "ALPHA_VANTAGE_API_KEY": AV + "-x"}, "other characters"),
        (
            {
                "FRED_API_KEY": FRED,
                "ALPHA_VANTAGE_API_KEY": AV,
                "FRED_BASE_URL": "api.stlouisfed.org",
            },
            "FRED_BASE_URL: 18 characters",
        ),
        (
            {"FRED_API_KEY": FRED, "ALPHA_VANTAGE_API_KEY": AV, "PORT": "99999"},
            "PORT: '99999' is not a port",
        ),
    ],
    ids=["missing", "upper-fred", "short-fred", "lower-av", "punctuation", "url", "port"],
)
def test_bad_variables_fail_without_showing_values(environ: dict[str, str], problem: str) -> None:
    result = predeploy.environment_variables(REQUIRED, environ)
    assert result.outcome == Outcome.FAILED
    assert problem in result.observed
    text = result.message + result.observed + " ".join(result.details)
    for value in environ.values():
        if len(value) > 8:
            assert value not in text
            assert value[:8] not in text


def test_optional_variables_are_checked_only_when_set() -> None:
    environ = {
        "FRED_API_KEY": FRED,
        "ALPHA_VANTAGE_API_KEY": AV,
        "FRED_BASE_URL": "http://127.0.0.1:9/fred",
    }
    assert predeploy.environment_variables(REQUIRED, environ).outcome == Outcome.PASSED


def _finding(path: str) -> FileFinding:
    return FileFinding(
        path,
        3,
        7,
        "aws-access-key-id",
        "generic",
        "AWS access key id",
        "AKIA**** (20 chars)",
        "ab12",
    )


def test_secret_scan_clean_and_dirty() -> None:
    clean = predeploy.secret_scan("repository", ["."], ScanReport(files=12, bytes=4000))
    assert clean.outcome == Outcome.PASSED
    dirty = predeploy.secret_scan(
        "build output",
        ["dist"],
        ScanReport(findings=[_finding("dist/app.js"), _finding("dist/x.js")], files=2),
    )
    assert dirty.outcome == Outcome.FAILED
    assert dirty.category == Category.KEY_LEAK
    assert dirty.details[0] == "dist/app.js:3:aws-access-key-id: AKIA**** (20 chars)"
    assert "2 finding(s) in 2 file(s)" in dirty.observed
    assert dirty.reproduce == "synthcheck scan dist"


def test_secret_scan_of_a_missing_path_fails() -> None:
    result = predeploy.secret_scan(
        "build output", ["dist"], ScanReport(skipped=["dist (does not exist)"])
    )
    assert result.outcome == Outcome.FAILED
    assert "cannot scan build output" in result.message


def test_rollback_target() -> None:
    known = predeploy.rollback_target(("1.4.2", 1_790_000_000.0), "production", required=False)
    assert known.outcome == Outcome.PASSED
    assert known.metrics["version"] == "1.4.2"
    assert predeploy.rollback_target(None, "production", required=False).outcome == Outcome.WARNED
    assert predeploy.rollback_target(None, "production", required=True).outcome == Outcome.FAILED


def test_notification_shows_the_host_only() -> None:
    url = "https://hooks.slack.com/services/T000/B000/secretpart"
    ok = predeploy.notification("HOOK", {"HOOK": url}, required=False)
    assert ok.outcome == Outcome.PASSED
    assert "hooks.slack.com" in ok.message
    assert "secretpart" not in ok.message + ok.observed
    assert predeploy.notification("HOOK", {}, required=False).outcome == Outcome.WARNED
    assert (
        predeploy.notification("HOOK", {"HOOK": "not a url"}, required=True).outcome
        == Outcome.FAILED
    )
