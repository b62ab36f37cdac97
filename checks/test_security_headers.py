"""Runbook "Security Incident" hygiene: security headers present, no version banners, CORS.

Warnings by default (the deploy goes ahead and the summary lists what is missing);
``[security] headers = "fail"`` in the environment file makes them failures. CORS is
the exception: a foreign origin allowed with credentials fails (P1) in either mode.
"""

import pytest

from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import cors, security

pytestmark = [
    pytest.mark.category("security_headers"),
    pytest.mark.usefixtures("require_reachable"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_nosniff(run: VerificationRun, verdict: Verdict) -> None:
    verdict(security.nosniff(run.recorded(), run.env.security.headers))


def test_clickjacking(run: VerificationRun, verdict: Verdict) -> None:
    verdict(security.clickjacking(run.recorded(), run.env.security.headers))


def test_content_security_policy(run: VerificationRun, verdict: Verdict) -> None:
    verdict(security.content_security_policy(run.recorded(), run.env.security.headers))


def test_cors(run: VerificationRun, verdict: Verdict) -> None:
    """P1 whatever [security] headers says: any site reading answers with cookies."""
    verdict(cors.cors(run.cors))


def test_referrer_policy(run: VerificationRun, verdict: Verdict) -> None:
    verdict(security.referrer_policy(run.recorded(), run.env.security.headers))


def test_hsts(run: VerificationRun, verdict: Verdict) -> None:
    verdict(security.hsts(run.recorded(), run.env.security.headers, run.base_url))


def test_no_version_banner(run: VerificationRun, verdict: Verdict) -> None:
    verdict(security.no_version_banner(run.recorded(), run.env.security.headers))
