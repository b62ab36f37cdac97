"""The runbook's pre-deployment checklist, one check per item.

- all tests passing: the CI job that runs the project's tests (not a check here);
- environment variables present and well-formed (`npm run validate:env`);
- security scan complete: the secret scanner over the repository and build output;
- performance benchmarks met: latency against the stable version (Mann-Whitney U);
- rollback plan prepared: a version that passed verification, from the history;
- stakeholders notified: the alert webhook is configured.
"""

import pytest

from synthcheck.history import open_store
from synthcheck.plan import ProbeTarget
from synthcheck.probe.baseline import BaselineSamples, from_history, from_live
from synthcheck.probe.measure import split
from synthcheck.pytest_plugin import Verdict
from synthcheck.scan.gate import gate_scan
from synthcheck.session import VerificationRun
from synthcheck.verdicts import baseline, predeploy
from synthcheck.verdicts.result import CheckResult

pytestmark = [pytest.mark.predeploy]


@pytest.mark.category("config")
def test_environment_variables(run: VerificationRun, verdict: Verdict) -> None:
    verdict(predeploy.environment_variables(run.env.predeploy.required_env, run.environ))


@pytest.mark.category("key_leak")
@pytest.mark.parametrize("what", ["repository", "build output"])
def test_secret_scan(what: str, run: VerificationRun, verdict: Verdict) -> None:
    settings = run.env.predeploy
    field, paths = (
        ("scan_paths", settings.scan_paths)
        if what == "repository"
        else ("build_paths", settings.build_paths)
    )
    if not paths:
        pytest.skip(f"no {what} to scan: [predeploy] {field} is empty")
    report = gate_scan(paths, settings, run.secrets, history=what == "repository")
    verdict(predeploy.secret_scan(what, paths, report))


@pytest.fixture(scope="module")
def baseline_samples(run: VerificationRun) -> BaselineSamples | None:
    url = run.settings.baseline_url or run.env.baseline.url
    targets = [t for t in run.plan.targets if t.role != "live" and t.method == "GET"]
    if url:
        return from_live(run.plan, run.env, url, targets)
    if run.env.baseline.history_env:
        history_env = run.env.baseline.history_env
        return from_history(run.history_location, history_env, run.target_of(history_env))
    return None


@pytest.mark.category("latency")
def test_performance_against_baseline(
    latency_target: ProbeTarget,
    run: VerificationRun,
    verdict: Verdict,
    baseline_samples: BaselineSamples | None,
) -> None:
    if baseline_samples is None:
        pytest.skip("no baseline: set --baseline-url or [baseline] url / history_env")
    if baseline_samples.error:
        verdict(
            CheckResult.skipped(
                predeploy.Category.LATENCY,
                f"no baseline samples: {baseline_samples.error}",
                endpoint=latency_target.id,
            )
        )
    candidate, _ = split(latency_target, run.sampler.exchanges(latency_target), run.env.error_rate)
    verdict(
        baseline.against_baseline(
            latency_target,
            candidate,
            baseline_samples.of(latency_target),
            run.env.baseline,
            baseline_samples.source,
        )
    )


@pytest.mark.category("config")
def test_rollback_target(run: VerificationRun, verdict: Verdict) -> None:
    settings = run.env.predeploy
    env_name = settings.rollback_env or run.env.name
    last = None
    if run.history_location:
        with open_store(run.history_location) as store:
            last = store.last_passing_version(env_name, run.target_of(env_name))
    verdict(predeploy.rollback_target(last, env_name, required=settings.require_rollback_target))


@pytest.mark.category("config")
def test_notification_configured(run: VerificationRun, verdict: Verdict) -> None:
    verdict(
        predeploy.notification(
            run.env.notify.webhook_url_env,
            run.environ,
            required=run.env.predeploy.require_notification,
        )
    )
