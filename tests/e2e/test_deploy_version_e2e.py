"""The deploy landed: --expect-version against the reference service (its version: 1.4.2).

The data faults and cors_reflect are rows of test_fault_matrix.py; version_mix needs
--expect-version to fail, so its cases live here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.harness import base_environ, deploy_verify

pytestmark = pytest.mark.slow


def _deploy_check(run_checks: list[dict[str, object]]) -> dict[str, object]:
    (check,) = [c for c in run_checks if c["category"] == "deploy"]
    return check


def test_the_expected_version_from_the_environment_passes(tmp_path: Path) -> None:
    environ = base_environ(SYNTHCHECK_EXPECT_VERSION="v1.4.2")
    run = deploy_verify(environ=environ, reports=tmp_path)
    assert run.code == 0, run.output
    assert _deploy_check(run.checks("passed"))["message"] == "the deployed version v1.4.2 answers"
    assert run.checks("failed") == []
    assert run.checks("warned") == []


def test_a_deploy_that_did_not_land_fails_deploy_only(tmp_path: Path) -> None:
    run = deploy_verify("--expect-version=1.4.3", reports=tmp_path)
    assert run.code == 1, run.output
    assert run.categories() == {"deploy"}, run.output
    check = _deploy_check(run.checks("failed"))
    assert check["severity"] == "P1"
    assert check["runbook"] == "deploy-rollback"
    assert "did not land" in str(check["message"])


def test_old_version_still_answering_fails_with_expect_version(tmp_path: Path) -> None:
    run = deploy_verify(
        "--reference-fault=version_mix:p=0.3", "--expect-version=1.4.2", reports=tmp_path
    )
    assert run.code == 1, run.output
    assert run.categories() == {"deploy"}, run.output
    message = str(_deploy_check(run.checks("failed"))["message"])
    assert "report 1.4.1: the old version still answers" in message


def test_two_versions_without_expect_version_warn_with_shares(tmp_path: Path) -> None:
    run = deploy_verify("--reference-fault=version_mix:p=0.3", reports=tmp_path)
    assert run.code == 0, run.output
    message = str(_deploy_check(run.checks("warned"))["message"])
    assert "2 versions answer within one run: 1.4.2 (" in message
    assert "1.4.1 (" in message
