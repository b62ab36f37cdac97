"""Runbook "API Key Exposed": no key in any response, error page or served script.

Every recorded response of the plan (warm-ups included), the error paths the leak
probes provoke (unknown series, malformed, oversized and missing parameters, a wrong
method, unknown paths) and the page's same-origin scripts and source maps are
scanned for the verifier's known key values (whole, 8+ characters, encoded) and for
secret-shaped values it does not know. Any hit is P0.
"""

import pytest

from synthcheck.catalog import Category
from synthcheck.leaks import LeakScanner
from synthcheck.leaks.exchanges import ExchangeScanner
from synthcheck.plan import ProbeTarget
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import CheckResult, key_leak
from synthcheck.verdicts.key_leak import Labelled

pytestmark = [
    pytest.mark.category("key_leak"),
    pytest.mark.usefixtures("require_reachable"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


@pytest.fixture(scope="module")
def leak_scanner(run: VerificationRun) -> ExchangeScanner:
    return ExchangeScanner(LeakScanner(run.secrets))


def test_responses(
    target: ProbeTarget, run: VerificationRun, verdict: Verdict, leak_scanner: ExchangeScanner
) -> None:
    exchanges = run.recorder.exchanges(target, include_warmup=True)
    items = [Labelled(target.id, e) for e in exchanges]
    names = run.secrets.names()
    verdict(key_leak.no_leaks(target.id, items, leak_scanner, names, endpoint=target.id))


def test_error_paths(run: VerificationRun, verdict: Verdict, leak_scanner: ExchangeScanner) -> None:
    if not run.env.security.provoke:
        verdict(CheckResult.skipped(Category.KEY_LEAK, "error-path probing is off ([security])"))
    provoked = run.leak_probes.provoked()
    verdict(
        key_leak.error_paths(
            [(p.label, exchanges) for p, exchanges in provoked],
            leak_scanner,
            run.secrets.names(),
            reproduce=lambda e: run.reproduce(e.method, e.url),
            cut=any(run.recorder.cut_by_deadline(p.target) for p, _ in provoked),
            not_sent=run.leak_probes.not_sent,
        )
    )


def test_served_scripts(
    run: VerificationRun, verdict: Verdict, leak_scanner: ExchangeScanner
) -> None:
    scripts = run.leak_probes.scripts()
    if not scripts:
        page = run.leak_probes.page()
        reason = (
            "the page loads no same-origin script"
            if page is not None
            else 'no HTML page among this suite\'s endpoints (role = "page")'
        )
        verdict(CheckResult.skipped(Category.KEY_LEAK, reason))
    items = [Labelled(f"script {e.target_id.split(' ', 1)[-1]}", e) for e in scripts]
    verdict(
        key_leak.no_leaks(
            "the served scripts",
            items,
            leak_scanner,
            run.secrets.names(),
            reproduce=lambda e: run.reproduce(e.method, e.url),
        )
    )
