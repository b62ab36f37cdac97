"""Collection: the checks parametrized with the plan's targets, deselection by
``--suite``, and the upstream (FRED) prefetch once the selection is known."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from synthcheck.catalog import Category
from synthcheck.load.gates import load_mode
from synthcheck.plan import ProbeTarget
from synthcheck.plugin.state import active_run, category_of, is_worker

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
    if run is None or is_worker(session.config) or session.config.option.collectonly:
        return
    categories = {category_of(item) for item in session.items}
    if Category.DATA in categories or Category.UPSTREAM in categories:
        run.prefetch_upstream(series=Category.DATA in categories)
