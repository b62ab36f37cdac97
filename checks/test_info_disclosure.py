"""Runbook "Security Incident": error responses show no stack trace or debug page.

Judged on the error paths the leak probes provoke (unknown series, bad parameters,
wrong method, unknown paths) and any 4xx/5xx the plan met.
"""

import pytest

from synthcheck.leaks import LeakScanner
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import disclosure
from synthcheck.verdicts.key_leak import Labelled

pytestmark = [
    pytest.mark.category("info_disclosure"),
    pytest.mark.usefixtures("require_reachable"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_error_pages(run: VerificationRun, verdict: Verdict) -> None:
    items = [Labelled(p.label, e) for p, exchanges in run.leak_probes.provoked() for e in exchanges]
    items += [
        Labelled(target_id, e)
        for target_id, exchanges in run.recorded().items()
        for e in exchanges
        if e.status is not None and e.status >= 400
    ]
    scanner = LeakScanner(run.secrets)
    verdict(
        disclosure.no_stack_traces(
            items,
            scanner.mask,
            reproduce=lambda item: run.reproduce(item.exchange.method, item.exchange.url),
        )
    )
