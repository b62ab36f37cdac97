"""Activation: ``pytest_configure`` turns the pytest session into a verification run.

It reads the settings and the environment file (a usage error names the bad field),
starts the embedded reference service on the controller, hands its run context to
pytest-xdist workers through ``workerinput``, and registers the controller's reporter.
"""

from __future__ import annotations

import atexit
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from synthcheck.afterrun import after_run_settings
from synthcheck.config import ConfigError, apply_overrides, load_environment
from synthcheck.config.options import Settings, resolve_settings
from synthcheck.config.run_context import RunContext
from synthcheck.config.timing import apply_timing
from synthcheck.embedded import start_embedded
from synthcheck.load.gates import vet_load_run
from synthcheck.plan import build_plan
from synthcheck.plugin.options import BASE_URL_PLUGIN, cli_value, ini_value
from synthcheck.plugin.report import Reporter
from synthcheck.plugin.state import RUN_KEY, active_run, is_worker, output_guard
from synthcheck.secrets import KnownSecrets
from synthcheck.session import VerificationRun

SUITE_MARKERS = {
    "predeploy": "pre-deploy gate checks (CI, before the deploy)",
    "postdeploy": "post-deploy verification (deploy-verify.sh's default suite)",
    "canary": "gentle subset for scheduled canary runs",
    "load": "load-test checks (locust)",
}


@pytest.hookimpl(tryfirst=True)  # before junitxml and allure read their report paths
def pytest_configure(config: pytest.Config) -> None:
    if not (config.getoption("help", False) or config.getoption("version", False)):
        activate(config)
    for name, text in SUITE_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    config.addinivalue_line(
        "markers", "category(name): the runbook check family of a check (see synthcheck.catalog)"
    )


def _settings(config: pytest.Config) -> Settings:
    return resolve_settings(
        lambda dest: cli_value(config, dest),
        Path(str(config.rootpath)),
        os.environ,
        ini=lambda key: ini_value(config, key),
    )


def _prepare_reports(config: pytest.Config, reports: Path) -> None:
    """Point JUnit and Allure into the reports directory unless the user chose paths."""
    reports.mkdir(parents=True, exist_ok=True)
    for stale in ("summary.json", "summary.html", "summary.md", "junit.xml", "incident.md"):
        (reports / stale).unlink(missing_ok=True)
    if not getattr(config.option, "xmlpath", None):
        config.option.xmlpath = str(reports / "junit.xml")
    if hasattr(config.option, "allure_report_dir") and not config.option.allure_report_dir:
        config.option.allure_report_dir = str(reports / "allure-results")
        config.option.clean_alluredir = True


def activate(config: pytest.Config) -> VerificationRun:
    """Turn this pytest session into a verification run (call from ``pytest_configure``)."""
    existing = active_run(config)
    if existing is not None:
        return existing
    context = _worker_context(config)  # the controller's (empty on the controller itself)
    try:
        settings = _settings(config)
        environ = context.environ(os.environ)
        env = load_environment(settings.env, settings.env_dir, environ=environ)
        env = apply_overrides(
            env,
            base_url=settings.base_url,
            budgets=settings.budgets,
            samples=settings.samples,
            suite=settings.suite if settings.suite != "all" else "postdeploy",
            environ=environ,
        )
        env = apply_timing(
            env,
            settings.suite if settings.suite != "all" else "postdeploy",
            deadline_s=settings.deadline_s,
            timeout_s=settings.timeout_s,
            connect_timeout_s=settings.connect_timeout_s,
            sources=(settings.sources["timeout"], settings.sources["connect_timeout"]),
        )
        vet_load_run(env, settings.suite, settings.load, settings.budgets)
        after = after_run_settings(env, settings.history_setting(env), settings.reports_dir)
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None

    reference = None
    if not is_worker(config):
        _prepare_reports(config, settings.reports_dir)
        if env.embedded:
            reference, context = _start_reference(config, settings)
            config.option.synthcheck_base_url = reference.base_url
            _tell_output_guard(config, context)
    if env.embedded:
        if context.base_url is None:
            raise pytest.UsageError("internal: xdist worker started without the run context")
        # Workers verify the controller's service; upstream probes go to its stub.
        upstream = context.upstream_url or env.fred_base_url
        env = replace(env, base_url=context.base_url, fred_base_url=upstream)

    suite = settings.suite if settings.suite != "all" else "postdeploy"
    run = VerificationRun(
        settings=settings,
        env=env,
        plan=build_plan(env, suite),
        secrets=KnownSecrets.from_environ(env.secret_env, context.environ(os.environ)),
        reference=reference,
        embedded=context.embedded,
        context=context,
    )
    config.stash[RUN_KEY] = run
    if config.pluginmanager.has_plugin(BASE_URL_PLUGIN):
        # pytest-base-url's base_url fixture (and report header) name what is verified.
        config.option.base_url = run.base_url
    if not is_worker(config):
        config.pluginmanager.register(Reporter(run, after), "synthcheck-reporter")
        if config.pluginmanager.has_plugin("xdist"):
            config.pluginmanager.register(_WorkerInput(run), "synthcheck-worker-input")
    return run


CONTEXT_KEY = "synthcheck_run_context"


def _worker_context(config: pytest.Config) -> RunContext:
    """On an xdist worker, the controller's run context; an empty one elsewhere."""
    text = dict(getattr(config, "workerinput", {})).get(CONTEXT_KEY)
    return RunContext.from_json(text, "workerinput") if text else RunContext()


def _tell_output_guard(config: pytest.Config, context: RunContext) -> None:
    # The output guard of `synthcheck verify` redacts the keys it knows; the embedded
    # service's keys are generated now, so it learns them here (never via os.environ).
    guard = output_guard(config)
    if guard is not None:
        guard.know(context.keys)


class _WorkerInput:
    """What pytest-xdist workers learn from the controller (``workerinput``)."""

    def __init__(self, run: VerificationRun) -> None:
        self.run = run

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[CONTEXT_KEY] = self.run.context.to_json()


def _start_reference(config: pytest.Config, settings: Settings) -> tuple[Any, RunContext]:
    from synthcheck.reference import ReferenceServiceError

    try:
        service, context = start_embedded(settings.reference_faults, os.environ)
    except ReferenceServiceError as exc:
        raise pytest.UsageError(f"could not start the embedded reference service: {exc}") from None

    # Stop it on every way out: normal end, Ctrl-C, or a crash of the harness.
    def stop() -> None:
        service.stop()

    atexit.register(stop)
    config.add_cleanup(stop)
    return service, context


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    run = active_run(config)
    if run is None:
        return None
    env, plan = run.env, run.plan
    b = env.budgets
    keys = ", ".join(run.secrets.names()) or "none set"
    lines = [
        f"synthcheck: env={env.name} ({env.source}) suite={run.settings.suite}"
        f" base_url={plan.base_url}" + (" [embedded reference service]" if run.reference else ""),
        f"synthcheck: {len(plan.targets)} endpoints x {plan.samples} samples"
        f" (+{plan.warmup} warm-up, adaptive up to {env.suite(plan.suite).max_samples}),"
        f" concurrency {plan.concurrency}, <= {plan.max_rps:g} req/s;"
        f" budgets p95 {b.p95_ms:g} ms (critical {b.p95_critical_ms:g}), errors {b.error_rate:.0%},"
        f" memory {b.memory_percent:g} %; secrets known: {keys}",
    ]
    if run.settings.reference_faults:
        lines.append(f"synthcheck: reference faults on: {'; '.join(run.settings.reference_faults)}")
    return lines
