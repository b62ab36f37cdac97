"""The pytest plugin: loading it (``pytest_plugins`` in a check directory's conftest,
or ``-p synthcheck.pytest_plugin``) makes the pytest session a verification run.

It is deliberately not a pytest11 entry point: an unrelated pytest suite in the same
environment never sees its options, fixtures or hooks. Once loaded, it:

- registers every option as ``--synthcheck-NAME`` and as ``--NAME`` where no other
  plugin has that flag; ``--base-url`` is pytest-base-url's when that is installed;
- reads the options (:mod:`synthcheck.config.precedence`: flag > environment variable >
  ini key ``synthcheck_NAME`` > environment file > default) and the environment file,
  failing with a usage error (exit 2 through the CLI) that names the bad field;
- starts the embedded reference service for ``--env=local`` without ``--base-url``, and
  hands what it knows of it (a :class:`RunContext`) to pytest-xdist workers through
  ``workerinput``;
- parametrizes the checks with the environment's endpoints (ids like ``GET /api/health``);
- deselects checks that are not in the chosen ``--suite``;
- collects every check's :class:`CheckResult` (also across pytest-xdist workers) and,
  after pytest's own output, hands them to :mod:`synthcheck.endofrun`: gather, freeze
  once, publish once.

Reason for the length (over ~300 lines): the plugin's hooks, fixtures and the result
channel from xdist workers belong together; the end of the run lives elsewhere.
"""

from __future__ import annotations

import atexit
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from synthcheck.afterrun import AfterRunSettings, after_run_settings
from synthcheck.catalog import Category, info
from synthcheck.config import ConfigError, apply_overrides, load_environment
from synthcheck.config.options import OPTIONS, Option, Settings, resolve_settings
from synthcheck.config.run_context import RunContext
from synthcheck.config.timing import apply_timing
from synthcheck.embedded import begin_stop, start_embedded
from synthcheck.endofrun import Finished, RunFacts, finish_run
from synthcheck.load.gates import load_mode, vet_load_run
from synthcheck.plan import ProbeTarget, build_plan
from synthcheck.reporting import RunInfo, explain, render_summary
from synthcheck.reporting.frozen import FrozenSummary
from synthcheck.reporting.output_guard import OutputGuard
from synthcheck.secrets import KnownSecrets
from synthcheck.session import VerificationRun
from synthcheck.verdicts import CheckResult, Outcome
from synthcheck.verdicts.availability import UNREACHABLE

__all__ = ["Verdict", "activate", "active_run"]

# The ``verdict`` fixture's type, for annotations in check suites.
Verdict = Callable[[CheckResult], None]

RUN_KEY = pytest.StashKey[VerificationRun]()
RESULT_KEY = pytest.StashKey[CheckResult]()
PROPERTY = "synthcheck_result"

SUITE_MARKERS = {
    "predeploy": "pre-deploy gate checks (CI, before the deploy)",
    "postdeploy": "post-deploy verification (deploy-verify.sh's default suite)",
    "canary": "gentle subset for scheduled canary runs",
    "load": "load-test checks (locust)",
}

# Fixture name -> which targets of the plan it is parametrized with.
TARGET_FIXTURES: dict[str, Callable[[ProbeTarget], bool]] = {
    "target": lambda t: True,
    "get_target": lambda t: t.method == "GET",
    "health_target": lambda t: t.role == "health" and t.method == "GET",
    "health_head_target": lambda t: t.role == "health" and t.method == "HEAD",
    "ready_target": lambda t: t.role == "ready",
    "live_target": lambda t: t.role == "live",
    "data_target": lambda t: t.role == "data" and t.method == "GET",
    "page_target": lambda t: t.role == "page" and t.method == "GET",
    # /api/live's response time is judged under liveness (checks/test_liveness.py).
    "latency_target": lambda t: t.role != "live",
    # The product's traffic; health probes have their own status checks.
    "traffic_target": lambda t: t.role not in ("health", "ready", "live"),
}


# -- options ---------------------------------------------------------------------
# pytest-base-url (a dependency of pytest-playwright and pytest-selenium) owns
# ``--base-url``, the ``base_url`` ini key and the ``base_url`` fixture; with it
# installed synthcheck reads that option instead of registering a second one.
BASE_URL_PLUGIN = "base_url"  # its pytest11 entry-point name; its option's dest too


def prefixed_flag(option: Option) -> str:
    """``--synthcheck-env``: every option's name that no other plugin can take."""
    return f"--synthcheck-{option.flag.removeprefix('--')}"


def _taken_flags(parser: pytest.Parser) -> set[str]:
    # pytest has no public "is this flag registered" call; its groups are plain lists.
    groups = [parser._anonymous, *parser._groups]
    return {name for group in groups for opt in group.options for name in opt.names()}


def _base_url_plugin_coming(pluginmanager: pytest.PytestPluginManager) -> bool:
    """pytest-base-url registered, or about to be (synthcheck loaded early with ``-p``)."""
    if pluginmanager.has_plugin(BASE_URL_PLUGIN):
        return True
    if pluginmanager.is_blocked(BASE_URL_PLUGIN) or os.environ.get(
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD"
    ):
        return False
    return bool(entry_points(group="pytest11", name=BASE_URL_PLUGIN))


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """Every option as ``--synthcheck-NAME``, and as ``--NAME`` unless another plugin
    has that flag (pytest-timeout's ``--timeout``); ``--base-url`` is shared with
    pytest-base-url when that is installed."""
    group = parser.getgroup("synthcheck", "synthcheck: runbook checks and deploy verification")
    taken = _taken_flags(parser)
    shared_base_url = _base_url_plugin_coming(pluginmanager) or "--base-url" in taken
    for option in OPTIONS:
        flags = [prefixed_flag(option)]
        if option.flag not in taken and not (option.dest == "base_url" and shared_base_url):
            flags.insert(0, option.flag)
        help_text = f"{option.help} [env: {option.env_var}]"
        group.addoption(
            *flags,
            dest=f"synthcheck_{option.dest}",
            default=None,
            help=help_text,
            **option.parser_kwargs(),
        )
        parser.addini(option.ini, help=help_text, default="")


def _cli_value(config: pytest.Config, dest: str) -> Any:
    """An option's command-line value; ``--base-url`` is pytest-base-url's when that owns it."""
    value = config.getoption(f"synthcheck_{dest}")
    if dest == "base_url" and value is None and config.pluginmanager.has_plugin(BASE_URL_PLUGIN):
        value = config.getoption(BASE_URL_PLUGIN, None)
    return value


def _ini_value(config: pytest.Config, key: str) -> Any:
    """An ini/pyproject key's value; None for a key no plugin registered (``base_url``
    without pytest-base-url)."""
    try:
        return config.getini(key)
    except ValueError:
        return None


@pytest.hookimpl(tryfirst=True)  # before junitxml and allure read their report paths
def pytest_configure(config: pytest.Config) -> None:
    if not (config.getoption("help", False) or config.getoption("version", False)):
        activate(config)
    for name, text in SUITE_MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    config.addinivalue_line(
        "markers", "category(name): the runbook check family of a check (see synthcheck.catalog)"
    )


# -- activation ------------------------------------------------------------------
def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def active_run(config: pytest.Config) -> VerificationRun | None:
    return config.stash.get(RUN_KEY, None)


def _settings(config: pytest.Config) -> Settings:
    return resolve_settings(
        lambda dest: _cli_value(config, dest),
        Path(str(config.rootpath)),
        os.environ,
        ini=lambda key: _ini_value(config, key),
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
    if not _is_worker(config):
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
    if not _is_worker(config):
        config.pluginmanager.register(_Reporter(run, after), "synthcheck-reporter")
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
    for plugin in config.pluginmanager.get_plugins():
        if isinstance(plugin, OutputGuard):
            plugin.know(context.keys)


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


# -- collection ------------------------------------------------------------------
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    run = active_run(metafunc.config)
    if run is None:
        return
    for name, wanted in TARGET_FIXTURES.items():
        if name not in metafunc.fixturenames:
            continue
        targets = [t for t in run.plan.targets if wanted(t)]
        if targets:
            metafunc.parametrize(name, targets, ids=[t.id for t in targets], scope="function")
        else:
            reason = f"the environment has no endpoint for {name.removesuffix('_target')} checks"
            metafunc.parametrize(
                name, [pytest.param(None, marks=pytest.mark.skip(reason=reason))], ids=["none"]
            )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    run = active_run(config)
    if run is None or run.settings.suite == "all":
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    # --smoke-load adds the load checks (smoke profile) to the post-deploy run.
    smoke = load_mode(run.settings.suite, run.settings.load) == "smoke"
    suites = [run.settings.suite, *(["load"] if smoke else [])]
    for item in items:
        (keep if any(item.get_closest_marker(s) for s in suites) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_collection_finish(session: pytest.Session) -> None:
    """The FRED probes of the selected checks start now, on a thread (docs/deadlines.md).
    Not on xdist workers: each would send its own, against the key's limit."""
    run = active_run(session.config)
    if run is None or _is_worker(session.config) or session.config.option.collectonly:
        return
    categories = {_category_of(item) for item in session.items}
    if Category.DATA in categories or Category.UPSTREAM in categories:
        run.prefetch_upstream(series=Category.DATA in categories)


# -- fixtures --------------------------------------------------------------------
@pytest.fixture(scope="session")
def run(request: pytest.FixtureRequest) -> Iterator[VerificationRun]:
    """The run's environment, probe plan, recorder and redactor."""
    run = active_run(request.config)
    if run is None:
        pytest.fail(
            "synthcheck is not active: load it with pytest_plugins ="
            ' ["synthcheck.pytest_plugin"] in the check directory\'s conftest.py'
        )
    yield run
    run.close()
    if run.reference is not None:  # the checks are done: its shutdown overlaps the reports
        begin_stop(run.reference.process)


@pytest.fixture
def require_reachable(request: pytest.FixtureRequest, run: VerificationRun) -> None:
    """Skip a check when the target never answered: availability reports that, once.

    For checks that read more than the plan's recordings (provoked error paths,
    served scripts, logs, TLS): ``pytestmark = pytest.mark.usefixtures("require_reachable")``.
    """
    if not run.recorder.preflight().reachable:
        category = _category_of(request.node) or Category.AVAILABILITY
        result = CheckResult.skipped(category, UNREACHABLE)
        result.id = _check_id(request.node)
        request.node.stash[RESULT_KEY] = result
        pytest.skip(UNREACHABLE)


def _check_id(item: pytest.Item) -> str:
    module = Path(str(item.path)).stem.removeprefix("test_")
    name = getattr(item, "originalname", item.name).removeprefix("test_")
    callspec = getattr(item, "callspec", None)
    return f"{module}.{name}" + (f"[{callspec.id}]" if callspec else "")


def _category_of(item: pytest.Item) -> Category | None:
    marker = item.get_closest_marker("category")
    return Category(marker.args[0]) if marker and marker.args else None


def _label_allure(result: CheckResult, run: VerificationRun) -> None:
    import allure

    allure.dynamic.label("category", result.category.value)
    allure.dynamic.parent_suite(f"{run.env.name} ({run.settings.suite})")
    allure.dynamic.suite(result.category.value)
    allure.dynamic.tag(result.category.value)
    allure.dynamic.feature(info(result.category).title)
    allure.dynamic.severity(
        {"P0": "blocker", "P1": "critical", "P2": "normal", "P3": "minor"}[str(result.severity)]
    )
    if run.env.runbook_url and result.runbook:
        allure.dynamic.link(run.runbook_link(result.runbook), name=f"runbook: {result.runbook}")
    allure.dynamic.description(run.redactor.redact(explain(result, run.runbook_link)))


@pytest.fixture
def verdict(request: pytest.FixtureRequest, run: VerificationRun) -> Callable[[CheckResult], None]:
    """Record a check's result; fail or skip the test to match it."""

    def record(result: CheckResult) -> None:
        item = request.node
        result.id = _check_id(item)
        target = next(
            (request.getfixturevalue(n) for n in TARGET_FIXTURES if n in request.fixturenames),
            None,
        )
        if result.reproduce is None and isinstance(target, ProbeTarget):
            result.reproduce = run.reproduce_target(target)
        item.stash[RESULT_KEY] = result
        _label_allure(result, run)
        if result.outcome == Outcome.FAILED:
            # "<category> (<severity>): …" first: Allure's categories match on it, and
            # CI test views show the family at a glance.
            headline = f"{result.category.value} ({result.severity}): "
            pytest.fail(
                run.redactor.redact(headline + explain(result, run.runbook_link)),
                pytrace=False,
            )
        if result.outcome == Outcome.SKIPPED:
            pytest.skip(run.redactor.redact(result.message))

    return record


# -- results ---------------------------------------------------------------------
def _result_from_report(item: pytest.Item, report: pytest.TestReport) -> CheckResult | None:
    category = _category_of(item)
    if category is None:
        return None
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else "skipped"
        return CheckResult.skipped(category, str(reason).removeprefix("Skipped: "))
    if report.failed:
        text = str(report.longreprtext).strip().splitlines()
        last = text[-1] if text else "the check raised an error"
        return CheckResult(category, Outcome.ERROR, f"check crashed: {last[:300]}")
    # A check that passes without recording a verdict asserted nothing: a defect.
    return CheckResult(category, Outcome.ERROR, "check recorded no verdict")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    run = active_run(item.config)
    if run is None or _category_of(item) is None:
        return
    final = report.when == "call" or (report.when == "setup" and not report.passed)
    if not final:
        return
    result = item.stash.get(RESULT_KEY, None)
    if result is None or (report.failed and result.outcome != Outcome.FAILED):
        result = _result_from_report(item, report)
    if result is None:
        return
    result.id = result.id or _check_id(item)
    payload = run.redactor.redact(json.dumps(result.to_dict()))
    report.user_properties.append((PROPERTY, payload))


class _Reporter:
    """Registered on the controller only: gathers results and ends the run.

    Results arrive through test reports, the one channel pytest-xdist forwards from
    its workers, as redacted JSON. The end of the run (:func:`finish_run`) runs after
    everything pytest itself prints (its failure sections, short summary and final
    line), so the output guard has seen all of that when the summary is frozen.
    """

    def __init__(self, run: VerificationRun, after: AfterRunSettings) -> None:
        self.run = run
        self.after = after
        self.finished: Finished | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == PROPERTY:
                self.run.results.append(CheckResult.from_dict(json.loads(str(value))))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Iterator[None]:
        yield  # junitxml writes its file, the terminal reporter prints its end
        config = session.config
        run = self.run
        if session.exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED and not run.results:
            # A selection of no checks is a usage error (exit 2), not a verified run:
            # nothing is published, so no history record, incident draft, metrics or
            # notification says "failed" (or "passed") about a service nobody checked.
            return
        allure_dir = getattr(config.option, "allure_report_dir", None)
        guard = next(
            (p for p in config.pluginmanager.get_plugins() if isinstance(p, OutputGuard)), None
        )
        facts = RunFacts(
            info=RunInfo(
                run.env.name, run.base_url, run.settings.suite, run.started_at, time.time()
            ),
            target=run.target,
            results=tuple(run.results),
            reports_dir=run.reports_dir,
            allure_dir=Path(allure_dir) if allure_dir else None,
            history_label=self.after.history and _mask_location(self.after.history),
            output_leak=guard.result() if guard is not None else None,
        )
        allure_text = allure_dir or "(allure off)"
        paths = f"{run.reports_dir / 'summary.json'}, {config.option.xmlpath}, {allure_text}"

        def terminal(summary: FrozenSummary) -> str:
            return render_summary(summary.data(), summary.results(), run.runbook_link, paths)

        self.finished = finish_run(facts, self.after, run.redactor, terminal)
        if self.finished.summary.failed and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        self._print(config, self.finished)

    @staticmethod
    def _print(config: pytest.Config, finished: Finished) -> None:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            return
        reporter.write_sep("=", "synthcheck summary")
        for line in [*finished.terminal.splitlines(), *finished.after_lines]:
            markup: dict[str, bool] = {}
            if line.startswith(("FAILED", "RESULT: FAILED")):
                markup = {"red": True, "bold": True}
            elif line.startswith("WARNINGS"):
                markup = {"yellow": True}
            elif line.startswith("RESULT: PASSED"):
                markup = {"green": True, "bold": True}
            reporter.write_line(line, **markup)


def _mask_location(location: str) -> str:
    """A PostgreSQL URL may carry a password: never put it in a report."""
    from synthcheck.history.postgres import mask_url

    return mask_url(location)
