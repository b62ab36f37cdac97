"""--expect-version against the versions health answers report (hand-built answers)."""

from __future__ import annotations

from typing import Any

import pytest

from synthcheck.config.model import VersionSettings
from synthcheck.probe import Exchange
from synthcheck.verdicts.result import Outcome
from synthcheck.verdicts.version import deployed_version, reported_versions, same_version
from tests.support.exchanges import exchange

SETTINGS = VersionSettings()
HEALTH = "GET /api/health"


def bodies(*versions: str | None, field: str = "version") -> list[Exchange]:
    out = []
    for i, v in enumerate(versions):
        body: dict[str, Any] = {"status": "healthy"}
        if v is not None:
            body[field] = v
        out.append(exchange(200, body, seq=i))
    return out


@pytest.mark.parametrize(
    ("expected", "reported", "same"),
    [
        ("1.4.2", "1.4.2", True),
        ("v1.4.2", "1.4.2", True),
        ("1.4.2", "V1.4.2", True),
        ("3f9a1c2", "3f9a1c2d4e5f60718293a4b5c6d7e8f901234567", True),
        ("3f9a1c2d4e5f60718293a4b5c6d7e8f901234567", "3f9a1c2", True),
        ("3f9a1c", "3f9a1c2d4e5f60718293a4b5c6d7e8f901234567", False),  # 6 chars: too short
        ("1.4", "1.4.2", False),  # not a SHA: no prefix matching
        ("1.4.2", "1.4.3", False),
        ("version", "v1", False),
    ],
)
def test_tolerant_comparison(expected: str, reported: str, same: bool) -> None:
    assert same_version(expected, reported) is same


@pytest.mark.parametrize(
    ("body", "version"),
    [
        ({"version": "1.4.2"}, "1.4.2"),
        ({"version": "1", "releaseId": "1.4.2-3f9a1c2"}, "1.4.2-3f9a1c2"),
        ({"releaseId": "2026.12.01-3"}, "2026.12.01-3"),
        ({"build": {"version": "7.1.0"}}, "7.1.0"),
        ({"git": {"commit": {"id": "3f9a1c2d4e"}}}, "3f9a1c2d4e"),
        ({"commit": "abcdef0"}, "abcdef0"),
        ({"sha": "abcdef0123"}, "abcdef0123"),
        ({"version": 3}, "3"),
    ],
)
def test_versions_are_found_in_common_fields(body: dict[str, Any], version: str) -> None:
    assert reported_versions(exchange(200, body), SETTINGS)[0] == version


def test_configured_header_and_path_come_first() -> None:
    e = exchange(200, {"version": "1", "meta": {"deployed": "2.0.0"}})
    e.headers = (*e.headers, ("X-App-Version", "2.0.1"))
    settings = VersionSettings(paths=("meta.deployed",), header="X-App-Version")
    assert reported_versions(e, settings)[:3] == ["2.0.1", "2.0.0", "1"]


def test_expected_version_answering_everywhere_passes() -> None:
    result = deployed_version(HEALTH, bodies(*["1.4.2"] * 10), SETTINGS, "v1.4.2")
    assert result.outcome == Outcome.PASSED
    assert result.sample_size == 10


def test_any_reported_field_may_carry_the_expected_version() -> None:
    # IETF health+json: `version` is the API's major version, `releaseId` the deploy.
    answer = exchange(200, {"status": "pass", "version": "1", "releaseId": "1.4.3"})
    result = deployed_version(HEALTH, [answer], SETTINGS, "1.4.3")
    assert result.outcome == Outcome.PASSED


def test_the_old_version_still_answering_fails_with_its_share() -> None:
    result = deployed_version(HEALTH, bodies(*["1.4.3"] * 7, *["1.4.2"] * 3), SETTINGS, "1.4.3")
    assert result.outcome == Outcome.FAILED
    assert str(result.severity) == "P1"
    assert result.runbook == "deploy-rollback"
    assert "30% of health answers (3 of 10) report 1.4.2" in result.message
    assert "old version still answers" in result.message
    assert "1.4.3 (70%, 7 of 10)" in result.observed


def test_a_deploy_that_did_not_land_fails() -> None:
    result = deployed_version(HEALTH, bodies(*["1.4.2"] * 5), SETTINGS, "1.4.3")
    assert result.outcome == Outcome.FAILED
    assert "did not land" in result.message


def test_two_versions_without_an_expectation_warn_naming_shares() -> None:
    result = deployed_version(HEALTH, bodies(*["1.4.2"] * 8, *["1.4.1"] * 2), SETTINGS, None)
    assert result.outcome == Outcome.WARNED
    assert "1.4.2 (80%, 8 of 10), 1.4.1 (20%, 2 of 10)" in result.message


def test_one_version_without_an_expectation_passes() -> None:
    assert deployed_version(HEALTH, bodies("1.4.2", "1.4.2"), SETTINGS, None).outcome == (
        Outcome.PASSED
    )


def test_no_version_reported() -> None:
    silent = bodies(None, None)
    assert deployed_version(HEALTH, silent, SETTINGS, None).outcome == Outcome.SKIPPED
    result = deployed_version(HEALTH, silent, SETTINGS, "1.4.3")
    assert result.outcome == Outcome.WARNED
    assert "[version] paths or header" in result.message


def test_no_answer_is_skipped() -> None:
    assert deployed_version(HEALTH, [], SETTINGS, "1.4.3").outcome == Outcome.SKIPPED
