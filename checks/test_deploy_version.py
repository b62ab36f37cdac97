"""The deploy landed: the version just deployed is the one answering (docs/data-checks.md).

``--expect-version`` (or ``$SYNTHCHECK_EXPECT_VERSION``: the commit SHA or tag the
pipeline just deployed) is compared with the version every health answer reports;
without it, two versions answering in one run are named with their shares.
"""

import pytest

from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import version

pytestmark = [
    pytest.mark.category("deploy"),
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_version(run: VerificationRun, verdict: Verdict) -> None:
    targets = run.plan.by_role("health", methods=("GET",))
    # The sampled answers (topped up for the latency verdicts): a small share of old
    # instances still answering shows in ~60 answers, rarely in the first 10.
    exchanges = [e for t in targets for e in run.sampler.exchanges(t)]
    endpoint = targets[0].id if len(targets) == 1 else None
    result = version.deployed_version(
        endpoint, exchanges, run.env.version, run.settings.expect_version
    )
    if len(targets) == 1:
        result.reproduce = run.reproduce_target(targets[0])
    verdict(result)
