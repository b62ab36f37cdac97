"""Runbook "API Error Spike": data responses keep their shape and serve the right data.

The schema check keeps clients parsing (error_rate); the data checks (category
``data``, docs/data-checks.md) ask whether the answer is the series asked, fresh for
its frequency, not a fallback while claiming success, and equal to FRED's own newest
observation when the upstream is probed.
"""

import pytest

from synthcheck.config import builtin_schema
from synthcheck.plan import ProbeTarget
from synthcheck.probe.upstream import SeriesReference
from synthcheck.pytest_plugin import Verdict
from synthcheck.session import VerificationRun
from synthcheck.verdicts import data, probes
from synthcheck.verdicts.attribution import UpstreamHealth
from synthcheck.verdicts.upstream import assess

pytestmark = [
    pytest.mark.category("error_rate"),
    pytest.mark.predeploy,
    pytest.mark.postdeploy,
    pytest.mark.canary,
]


def test_schema(data_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    schema = data_target.endpoint.schema or builtin_schema("json")
    verdict(probes.data_schema(data_target, run.exchanges(data_target), schema))


def _upstream(run: VerificationRun) -> UpstreamHealth:
    return assess(run.upstream, run.env.upstream_probe.budget_ms)


def _reference(run: VerificationRun, target: ProbeTarget) -> SeriesReference | None:
    series = data.asked_series(target)
    return run.series_reference.get(series.upper()) if series else None


@pytest.mark.category("data")
def test_series(data_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(data.series_matches(data_target, run.exchanges(data_target), run.env.data))


@pytest.mark.category("data")
def test_fresh(data_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    reference = _reference(run, data_target)
    exchanges = run.exchanges(data_target)
    verdict(data.fresh(data_target, exchanges, run.env.data, run.today, reference, _upstream(run)))


@pytest.mark.category("data")
def test_no_fallback(data_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    verdict(data.no_fallback(data_target, run.exchanges(data_target), _upstream(run)))


@pytest.mark.category("data")
def test_matches_fred(data_target: ProbeTarget, run: VerificationRun, verdict: Verdict) -> None:
    reference = _reference(run, data_target)
    result = data.matches_upstream(data_target, run.exchanges(data_target), run.env.data, reference)
    verdict(result)
