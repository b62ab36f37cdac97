"""The fixtures the checks use: ``run``, ``require_reachable`` and ``verdict`` (which
also labels the Allure result)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from synthcheck.catalog import Category, info
from synthcheck.embedded import begin_stop
from synthcheck.plan import ProbeTarget
from synthcheck.plugin.collection import TARGET_FIXTURES
from synthcheck.plugin.state import RESULT_KEY, active_run, category_of, check_id
from synthcheck.reporting import explain
from synthcheck.session import VerificationRun
from synthcheck.verdicts import CheckResult, Outcome
from synthcheck.verdicts.availability import UNREACHABLE

# The ``verdict`` fixture's type, for annotations in check suites.
Verdict = Callable[[CheckResult], None]


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
        category = category_of(request.node) or Category.AVAILABILITY
        result = CheckResult.skipped(category, UNREACHABLE)
        result.id = check_id(request.node)
        request.node.stash[RESULT_KEY] = result
        pytest.skip(UNREACHABLE)


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
        result.id = check_id(item)
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
