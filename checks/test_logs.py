"""Runbook: "check application logs", "never expose API keys in logs".

When the environment file names a log source (``[logs] file`` or ``command``), its
tail is scanned for the known key values and secret-shaped patterns (``key_leak``),
and the most frequent error lines are reported as information in the details.
"""

import pytest

from synthcheck.catalog import Category
from synthcheck.leaks import LeakScanner
from synthcheck.logsource import LogSourceError, LogSourceUnset, read_log
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import CheckResult, logs

pytestmark = [
    pytest.mark.category("key_leak"),
    pytest.mark.usefixtures("require_reachable"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_no_key_in_logs(run: VerificationRun, verdict: Verdict) -> None:
    settings = run.env.logs
    if not settings.configured:
        verdict(
            CheckResult.skipped(
                Category.KEY_LEAK, "the environment names no log source ([logs] file or command)"
            )
        )
    run.recorder.sample()  # the lines to read are those of this run's requests
    try:
        log = read_log(settings, run.environ)
    except LogSourceUnset as exc:
        verdict(CheckResult.skipped(Category.KEY_LEAK, str(exc)))
        return
    except LogSourceError as exc:
        verdict(
            CheckResult.warned(
                Category.KEY_LEAK,
                f"could not read the service log: {exc}",
                budget="a readable log source",
                observed=str(exc),
            )
        )
        return
    scanner = LeakScanner(run.secrets)
    verdict(logs.keys_in_log(log, scanner, scanner.mask, settings.top_errors))
