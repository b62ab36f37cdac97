"""Runbook "Slow Response Times" and "simple load test", as a load run with verdicts.

The load runs once per session (locust in subprocesses: pytest never imports locust,
whose gevent patching would break the harness), with the environment file's
endpoints, weights and budgets. Each threshold is its own check, so each lands as its
own ``load`` entry in summary.json; CPU and memory under load are one more.

``--suite=load`` runs these after the availability checks; ``--smoke-load`` adds them,
with the smoke profile, to the post-deploy run.
"""

import sys
from collections.abc import Iterator

import pytest

from synthcheck.load.loadrun import LoadOutcome, run_load, run_load_once
from synthcheck.load.verdicts import resources_verdict, threshold_verdict
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts.availability import UNREACHABLE

pytestmark = [pytest.mark.category("load"), pytest.mark.load]


@pytest.fixture(scope="session")
def load_run(
    request: pytest.FixtureRequest, run: VerificationRun, tmp_path_factory: pytest.TempPathFactory
) -> LoadOutcome:
    if not run.recorder.preflight().reachable:
        pytest.skip(UNREACHABLE)  # availability.reachable fails the run (exit 1)
    # Without capture (scripts/load.sh runs with -s) locust's log shows as it runs.
    echo = sys.stderr if request.config.getoption("capture", default="fd") == "no" else None
    worker = getattr(request.config, "workerinput", None)
    if worker is None:
        return run_load(run, echo=echo)
    shared = tmp_path_factory.getbasetemp().parent
    return run_load_once(run, shared, str(worker["testrunuid"]), echo=echo)


@pytest.fixture(scope="module", autouse=True)
def _end_after_interrupt(load_run: LoadOutcome) -> Iterator[None]:
    """Ctrl-C during the load: the checks still record what was measured, then the run ends."""
    yield
    if load_run.interrupted:
        pytest.exit("load run interrupted", returncode=pytest.ExitCode.INTERRUPTED)


def test_failure_ratio(load_run: LoadOutcome, verdict: Verdict) -> None:
    verdict(threshold_verdict(load_run, "failure_ratio"))


def test_p95(load_run: LoadOutcome, verdict: Verdict) -> None:
    verdict(threshold_verdict(load_run, "p95"))


def test_p99(load_run: LoadOutcome, verdict: Verdict) -> None:
    verdict(threshold_verdict(load_run, "p99"))


def test_min_throughput(load_run: LoadOutcome, verdict: Verdict) -> None:
    verdict(threshold_verdict(load_run, "min_rps"))


def test_resources_under_load(
    load_run: LoadOutcome, run: VerificationRun, verdict: Verdict
) -> None:
    verdict(resources_verdict(load_run, run.env.load, run.env.budgets.memory_percent))
